// Builds a GraphProto node by node. Each op returns the name of its output, so graph code reads like
// the forward pass it encodes. Subgraphs (the branches of `If`) share the parent's name counter, so
// every value name in the model is unique, as ONNX requires across scopes.
import type { AttributeValue, DataTypeName, Dim, GraphProto, NodeProto, TensorProto, ValueInfoProto } from './onnx-proto.ts';

export const attr = {
  int: (value: number | bigint): AttributeValue => ({ kind: 'int', value }),
  ints: (value: readonly (number | bigint)[]): AttributeValue => ({ kind: 'ints', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  graph: (value: GraphProto): AttributeValue => ({ kind: 'graph', value }),
} as const;

type Attributes = Readonly<Record<string, AttributeValue>>;

interface Counter {
  next: number;
}

function rawBytes(data: Float32Array | Int8Array | Uint8Array | BigInt64Array | Int32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function tensorProto(
  name: string,
  dataType: DataTypeName,
  dims: readonly number[],
  data: Float32Array | Int8Array | Uint8Array | BigInt64Array | Int32Array,
): TensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new Error(`tensor ${name}: ${data.length} values for shape [${dims.join(', ')}]`);
  return { name, dataType, dims, rawData: rawBytes(data) };
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  private scope = '';

  constructor(
    readonly name: string,
    private readonly counter: Counter = { next: 0 },
  ) {}

  /** A builder for a subgraph whose values may refer to this graph's (outer scope). */
  subgraph(name: string): GraphBuilder {
    return new GraphBuilder(name, this.counter);
  }

  /** Runs `body` with node names prefixed by `scope` (e.g. '/decoder/layers.0/self_attn'). */
  within<T>(scope: string, body: () => T): T {
    const outer = this.scope;
    this.scope = `${outer}/${scope}`;
    try {
      return body();
    } finally {
      this.scope = outer;
    }
  }

  input(name: string, dataType: DataTypeName, shape: readonly Dim[]): string {
    this.inputs.push({ name, dataType, shape });
    return name;
  }

  output(name: string, dataType: DataTypeName, shape?: readonly Dim[]): void {
    this.outputs.push({ name, dataType, shape });
  }

  initializer(
    name: string,
    dataType: DataTypeName,
    dims: readonly number[],
    data: Float32Array | Int8Array | Uint8Array | BigInt64Array | Int32Array,
  ): string {
    this.initializers.push(tensorProto(name, dataType, dims, data));
    return name;
  }

  /** An int64 constant (shapes, axes, indices), stored as an initializer of this graph. */
  ints(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = `${this.scope}/const_${this.counter.next++}`;
    return this.initializer(name, 'int64', dims, BigInt64Array.from(values, (v) => BigInt(v)));
  }

  floats(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = `${this.scope}/const_${this.counter.next++}`;
    return this.initializer(name, 'float', dims, Float32Array.from(values));
  }

  /** Adds one node and returns its first output. */
  op(opType: string, inputs: readonly string[], attributes: Attributes = {}, domain = ''): string {
    return this.opN(opType, inputs, 1, attributes, domain)[0] as string;
  }

  opN(opType: string, inputs: readonly string[], outputCount: number, attributes: Attributes = {}, domain = ''): string[] {
    const name = `${this.scope}/${opType}_${this.counter.next++}`;
    const outputs = Array.from({ length: outputCount }, (_, i) => `${name}_output_${i}`);
    this.nodes.push({ name, opType, domain, inputs, outputs, attributes });
    return outputs;
  }

  /** Adds a node whose outputs carry given names (graph outputs). */
  opNamed(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Attributes = {}): void {
    const name = `${this.scope}/${opType}_${this.counter.next++}`;
    this.nodes.push({ name, opType, domain: '', inputs, outputs, attributes });
  }

  build(): GraphProto {
    return { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }
}
