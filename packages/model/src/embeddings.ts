// Embed(x)_t = E[x_t] · sqrt(d_model) + PE(t + offset), then dropout   (Vaswani et al. 2017, §3.4, §3.5, §5.4)
// E is the one shared [vocab, d] matrix (§3.4: the two embedding layers and the pre-softmax projection
// share their weights); the positional table is a constant buffer of each side.
import { torch, type Tensor } from '@attend/torch';
import type { TransformerConfig } from '@attend/model-spec';
import { dropout, type Mode } from './dropout.ts';
import { positionsAt } from './positional-encoding.ts';

export class Embeddings {
  private readonly scale: number;

  constructor(
    private readonly config: TransformerConfig,
    private readonly shared: Tensor,
    private readonly positions: Tensor,
    private readonly mode: Mode,
  ) {
    this.scale = config.scaleEmbedding ? Math.sqrt(config.dModel) : 1;
  }

  /** ids [B, T] int64 -> [B, T, d]; `offset` is the number of tokens already decoded (0 when not incremental). */
  forward(ids: Tensor, offset = 0): Tensor {
    const length = ids.shape[1] ?? 0;
    // paddingIdx as in HF Marian: the <pad> row gets no gradient through the lookup.
    const tokens = torch.F.embedding(ids, this.shared, this.config.padId); // [B, T, d]
    const scaled = this.scale === 1 ? tokens : tokens.mul(this.scale);
    const x = scaled.add(positionsAt(this.positions, offset, length)); // [B, T, d] + [T, d]
    return dropout(x, this.config.dropout, this.mode);
  }
}
