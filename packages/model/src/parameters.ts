// The model's tensors by their Hugging Face Marian names, and the initializers each kind of tensor gets.
import { torch, type DType, type Tensor } from '@attend/torch';

/** Every tensor the model owns, by name; `trainable` is false for constant buffers (positional tables). */
export class ParameterStore {
  readonly dtype: DType;
  private readonly tensors = new Map<string, { tensor: Tensor; trainable: boolean }>();

  constructor(dtype: DType) {
    this.dtype = dtype;
  }

  /** Registers a tensor created outside any tidy scope's reach, making it a leaf that requires grad. */
  add(name: string, tensor: Tensor, trainable = true): Tensor {
    if (this.tensors.has(name)) throw new Error(`parameter "${name}" is registered twice`);
    torch.keep(tensor);
    if (trainable) tensor.requiresGrad = true;
    this.tensors.set(name, { tensor, trainable });
    return tensor;
  }

  get(name: string): Tensor {
    const entry = this.tensors.get(name);
    if (!entry) throw new Error(`the model has no parameter "${name}"`);
    return entry.tensor;
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  isTrainable(name: string): boolean {
    return this.tensors.get(name)?.trainable ?? false;
  }

  dispose(): void {
    for (const { tensor } of this.tensors.values()) tensor.dispose();
    this.tensors.clear();
  }

  /**
   * Glorot & Bengio (2010): U(-a, a), a = sqrt(6 / (fan_in + fan_out)), keeps the activation and gradient
   * variance roughly equal across a linear layer, in both directions. The paper does not say; Marian,
   * tensor2tensor and fairseq all use it for the Transformer's projections.
   */
  xavierUniform(shape: [number, number]): Tensor {
    const [fanOut, fanIn] = shape;
    const a = Math.sqrt(6 / (fanIn + fanOut));
    return torch.tidy(() => torch.rand(shape, { dtype: this.dtype }).mul(2 * a).sub(a));
  }

  /**
   * N(0, d^-0.5) for the shared embedding: scaled by sqrt(d) on input it gives unit-variance components,
   * the same scale as the sinusoids it is added to; used tied as the output projection, a unit-variance
   * d-vector dotted with it gives logits of unit variance (fairseq's and tensor2tensor's choice).
   */
  normal(shape: number[], std: number): Tensor {
    return torch.tidy(() => torch.randn(shape, { dtype: this.dtype }).mul(std));
  }

  zeros(shape: number[]): Tensor {
    return torch.zeros(shape, { dtype: this.dtype });
  }

  ones(shape: number[]): Tensor {
    return torch.ones(shape, { dtype: this.dtype });
  }
}

/** y = x W^T + b with W stored [out, in] (nn.Linear's layout); W Xavier-uniform, b zero. */
export class Linear {
  readonly weight: Tensor;
  readonly bias: Tensor;

  constructor(store: ParameterStore, name: string, inFeatures: number, outFeatures: number) {
    this.weight = store.add(`${name}.weight`, store.xavierUniform([outFeatures, inFeatures]));
    this.bias = store.add(`${name}.bias`, store.zeros([outFeatures]));
  }

  forward(x: Tensor): Tensor {
    return torch.F.linear(x, this.weight, this.bias);
  }
}

/** LN(x) = γ ⊙ (x - μ) / sqrt(σ² + ε) + β over the last axis (Ba et al. 2016); γ = 1, β = 0 at start. */
export class LayerNorm {
  readonly weight: Tensor;
  readonly bias: Tensor;
  private readonly d: number;

  constructor(store: ParameterStore, name: string, d: number) {
    this.d = d;
    this.weight = store.add(`${name}.weight`, store.ones([d]));
    this.bias = store.add(`${name}.bias`, store.zeros([d]));
  }

  forward(x: Tensor): Tensor {
    return torch.F.layerNorm(x, [this.d], this.weight, this.bias, 1e-5); // Marian's and HF's epsilon
  }
}
