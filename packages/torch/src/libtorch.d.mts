export type LibtorchLocation =
  | { found: true; includeDirs: string[]; libDir: string; cxx11Abi: 0 | 1 }
  | { found: false; reason: string };

export function findLibtorch(
  env?: Record<string, string | undefined>,
  exists?: (path: string) => boolean,
  arch?: string,
): LibtorchLocation;
export function missingLibtorchMessage(reason: string): string;
export function notBuiltMessage(cause: string): string;
