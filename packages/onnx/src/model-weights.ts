// The model's parameters as initializers of one graph, each added once however often it is used
// (the merged decoder's branches read them from the outer scope: no copy per branch).
import { SHARED_EMBEDDING, type TransformerConfig, weightSpecs } from '@attend/model-spec';
import type { GraphBuilder } from './graph-builder.ts';

/** Checks that every parameter of `config` is present with its size; throws naming the first one wrong. */
export function checkWeights(config: TransformerConfig, weights: ReadonlyMap<string, Float32Array>): void {
  for (const spec of weightSpecs(config)) {
    const data = weights.get(spec.name);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (!data) throw new Error(`weights lack "${spec.name}" [${spec.shape.join(', ')}]; pass a full Marian state dict`);
    if (data.length !== size) {
      throw new Error(`weights "${spec.name}" has ${data.length} values, expected [${spec.shape.join(', ')}] = ${size}`);
    }
  }
}

/** W [rows, cols] -> W^T [cols, rows]. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  }
  return out;
}

export class ModelWeights {
  private readonly shapes: ReadonlyMap<string, readonly number[]>;
  private readonly added = new Map<string, string>();

  constructor(
    readonly config: TransformerConfig,
    private readonly weights: ReadonlyMap<string, Float32Array>,
    private readonly graph: GraphBuilder,
  ) {
    checkWeights(config, weights);
    this.shapes = new Map(weightSpecs(config).map((s) => [s.name, s.shape]));
  }

  /** A stored tensor as it is (biases, norms, positional tables). */
  tensor(name: string): string {
    return this.once(name, () => this.graph.initializer(name, 'float', this.shape(name), this.data(name)));
  }

  /** nn.Linear as MatMul + Add: the weight [out, in] is stored transposed, [in, out]. */
  linear(prefix: string): { weight: string; bias: string } {
    return { weight: this.transposed(`${prefix}.weight`), bias: this.tensor(`${prefix}.bias`) };
  }

  /** The tied embedding as E^T [d, V]: one table serves the token lookup (Gather on axis 1) and the
   *  output projection (h @ E^T), so it is stored once, and quantized once. */
  sharedTransposed(): string {
    return this.transposed(SHARED_EMBEDDING);
  }

  private transposed(name: string): string {
    return this.once(`${name}_transposed`, (key) => {
      const [rows, cols] = this.shape(name) as [number, number];
      return this.graph.initializer(key, 'float', [cols, rows], transpose2d(this.data(name), rows, cols));
    });
  }

  private once(key: string, add: (key: string) => string): string {
    let name = this.added.get(key);
    if (name === undefined) {
      name = add(key);
      this.added.set(key, name);
    }
    return name;
  }

  private shape(name: string): readonly number[] {
    const shape = this.shapes.get(name);
    if (!shape) throw new Error(`"${name}" is not a parameter of this config`);
    return shape;
  }

  private data(name: string): Float32Array {
    return this.weights.get(name) as Float32Array;
  }
}
