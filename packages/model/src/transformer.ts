// P(y_t | y_<t, x) = softmax(Decoder(y_<t, Encoder(x)) E^T + b)   (Vaswani et al. 2017, §3, §3.4)
// The output projection is the transposed shared embedding E (tied, §3.4) plus Marian's final_logits_bias.
// Parameter names and order are model-spec's weightSpecs (Hugging Face MarianMTModel), so checkpoints
// and the ONNX exporter map names 1:1.
import { torch, type DType, type Tensor } from '@attend/torch';
import {
  FINAL_LOGITS_BIAS,
  LM_HEAD,
  SHARED_EMBEDDING,
  positionsName,
  validateConfig,
  weightSpecs,
  type TransformerConfig,
} from '@attend/model-spec';
import { Decoder, DecoderCache, type DecodeOptions } from './decoder.ts';
import type { Mode } from './dropout.ts';
import { Embeddings } from './embeddings.ts';
import { Encoder } from './encoder.ts';
import { ParameterStore } from './parameters.ts';
import { positionalEncoding } from './positional-encoding.ts';

/**
 * Names a Hugging Face Marian state dict may carry for the one shared matrix (older pytorch_model.bin
 * files store each alias): accepted by loadWeights and skipped, since model.shared.weight is loaded.
 */
const TIED_ALIASES = new Set([LM_HEAD, 'model.encoder.embed_tokens.weight', 'model.decoder.embed_tokens.weight']);

export interface TransformerOptions {
  /** Seeds libtorch's global generator before initialising, for reproducible weights. */
  readonly seed?: number;
  /** float64 is for gradient checks; training runs in float32. */
  readonly dtype?: Extract<DType, 'float32' | 'float64'>;
}

export class Transformer {
  readonly config: TransformerConfig;
  readonly dtype: DType;
  readonly encoder: Encoder;
  readonly decoder: Decoder;
  private readonly store: ParameterStore;
  private readonly ordered: Map<string, Tensor>;
  private readonly mode: Mode = { training: true };

  constructor(config: TransformerConfig, opts: TransformerOptions = {}) {
    validateConfig(config);
    this.config = config;
    this.dtype = opts.dtype ?? 'float32';
    if (opts.seed !== undefined) torch.manualSeed(opts.seed);
    const d = config.dModel;
    const store = new ParameterStore(this.dtype);
    this.store = store;
    const embedding = store.normal([config.vocabSize, d], d ** -0.5); // why d^-0.5: see ParameterStore.normal
    // HF Marian zeroes the <pad> row: padding contributes nothing to the first layer.
    torch.tidy(() => {
      embedding.narrow(0, config.padId, 1).copy_(store.zeros([1, d]));
    });
    const shared = store.add(SHARED_EMBEDDING, embedding);
    // Zero: before training, every token starts with the same prior; the bias then learns unigram frequency.
    store.add(FINAL_LOGITS_BIAS, store.zeros([1, config.vocabSize]));
    const table = () => positionalEncoding(config.maxPositions, d, this.dtype);
    const encoderPositions = store.add(positionsName('encoder'), table(), false);
    this.encoder = new Encoder(store, config, new Embeddings(config, shared, encoderPositions, this.mode), this.mode);
    const decoderPositions = store.add(positionsName('decoder'), table(), false);
    this.decoder = new Decoder(store, config, new Embeddings(config, shared, decoderPositions, this.mode), this.mode);
    this.ordered = this.orderBySpec();
  }

  /** Every stored tensor, name -> tensor, in weightSpecs order (the positional tables included). */
  parameters(): Map<string, Tensor> {
    return new Map(this.ordered);
  }

  /** What the optimizer updates: everything except the constant positional tables. */
  trainableParameters(): Tensor[] {
    return [...this.ordered].filter(([name]) => this.store.isTrainable(name)).map(([, t]) => t);
  }

  train(on: boolean): void {
    this.mode.training = on;
  }

  get training(): boolean {
    return this.mode.training;
  }

  /** srcIds [B, S] int64, srcPadMask [B, S] bool (true at padding) -> memory [B, S, d]. */
  encode(srcIds: Tensor, srcPadMask: Tensor): Tensor {
    return this.encoder.forward(srcIds, srcPadMask);
  }

  /** tgtInIds [B, T] int64 (starting with decoderStartId) -> logits [B, T, V]. */
  decode(tgtInIds: Tensor, memory: Tensor, srcPadMask: Tensor, options: DecodeOptions = {}): Tensor {
    const hidden = this.decoder.forward(tgtInIds, memory, srcPadMask, options); // [B, T, d]
    const bias = this.store.get(FINAL_LOGITS_BIAS).view([this.config.vocabSize]); // [1, V] -> [V]
    return torch.F.linear(hidden, this.store.get(SHARED_EMBEDDING), bias); // [B, T, d] x [V, d]^T -> [B, T, V]
  }

  /** srcIds [B, S], tgtInIds [B, T] int64 -> logits [B, T, V]; source padding is srcIds == padId. */
  forward(srcIds: Tensor, tgtInIds: Tensor, options: { maskTargetPadding?: boolean } = {}): Tensor {
    const srcPadMask = srcIds.eq(this.config.padId); // [B, S] bool
    const memory = this.encode(srcIds, srcPadMask);
    const tgtPadMask = options.maskTargetPadding ? this.targetPadMask(tgtInIds) : undefined;
    return this.decode(tgtInIds, memory, srcPadMask, tgtPadMask ? { tgtPadMask } : {});
  }

  /** [B, T] bool, true at target padding. Position 0 never is: Marian's decoder start token is <pad> itself. */
  private targetPadMask(tgtInIds: Tensor): Tensor {
    const [B = 0, T = 0] = tgtInIds.shape;
    const start = torch.zeros([B, 1], { dtype: 'bool' }); // [B, 1]
    if (T === 1) return start;
    return torch.cat([start, tgtInIds.narrow(1, 1, T - 1).eq(this.config.padId)], 1); // [B, 1] ++ [B, T-1] -> [B, T]
  }

  /** A fresh cache for incremental decoding with decode(..., { cache }); the caller disposes it. */
  newDecoderCache(): DecoderCache {
    return new DecoderCache(this.config.decoderLayers);
  }

  /**
   * Copies weights in (a checkpoint, a Hugging Face Marian state dict). Every name of weightSpecs must be
   * present with its shape; the tied aliases of model.shared.weight (lm_head.weight, embed_tokens) are skipped.
   */
  loadWeights(weights: Map<string, Float32Array | Float64Array | Tensor> | Record<string, Float32Array | Float64Array | Tensor>): void {
    const entries = weights instanceof Map ? weights : new Map(Object.entries(weights));
    const unknown = [...entries.keys()].filter((name) => !this.ordered.has(name) && !TIED_ALIASES.has(name));
    if (unknown.length > 0) throw new Error(`loadWeights: unknown parameter(s) ${unknown.slice(0, 5).join(', ')}`);
    // 1) check every name and size, so that a bad file leaves the model untouched  2) copy
    for (const [name, target] of this.ordered) {
      const source = entries.get(name);
      if (source === undefined) throw new Error(`loadWeights: missing "${name}"`);
      const isArray = source instanceof Float32Array || source instanceof Float64Array;
      if (isArray ? source.length !== target.numel : source.shape.join() !== target.shape.join()) {
        const size = isArray ? `${source.length} values` : `shape [${source.shape}]`;
        throw new Error(`loadWeights: "${name}" has ${size}, the model expects [${target.shape}]`);
      }
    }
    torch.noGrad(() => {
      for (const [name, target] of this.ordered) {
        const source = entries.get(name) as Float32Array | Float64Array | Tensor;
        torch.tidy(() => {
          const value = source instanceof Float32Array || source instanceof Float64Array ? torch.tensor(source, target.shape) : source;
          target.copy_(value.dtype === target.dtype ? value : value.to(target.dtype));
        });
      }
    });
  }

  dispose(): void {
    this.store.dispose();
    this.ordered.clear();
  }

  /** Checks the registered tensors against model-spec, name by name and shape by shape. */
  private orderBySpec(): Map<string, Tensor> {
    const specs = weightSpecs(this.config);
    const registered = new Set(this.store.names());
    const ordered = new Map<string, Tensor>();
    for (const spec of specs) {
      const tensor = this.store.get(spec.name);
      if (tensor.shape.join() !== spec.shape.join()) {
        throw new Error(`parameter "${spec.name}" has shape [${tensor.shape}], model-spec says [${spec.shape}]`);
      }
      ordered.set(spec.name, tensor);
      registered.delete(spec.name);
    }
    if (registered.size > 0) throw new Error(`parameters missing from model-spec's weightSpecs: ${[...registered].join(', ')}`);
    return ordered;
  }
}
