export { torch } from './torch.ts';
export { Tensor } from './tensor.ts';
export type { DType, TypedData } from './dtype.ts';
export type { CreateOptions } from './creation.ts';
export type { CrossEntropyOptions } from './functional.ts';
export type { Adam, AdamOptions, AdamState } from './optim.ts';
export type { ProcessGroup, ProcessGroupOptions, Store } from './distributed.ts';
export { writeFileAtomic, syncDirectory } from './durable-files.ts';
