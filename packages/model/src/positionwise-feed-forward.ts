// FFN(x) = max(0, x W1 + b1) W2 + b2   (Vaswani et al. 2017, §3.3)
// With activation 'swish' (OPUS-MT), max(0, ·) becomes swish(z) = z · sigmoid(z) (Ramachandran et al. 2017).
import { torch, type Tensor } from '@attend/torch';
import { feedForwardNames, type Side, type TransformerConfig } from '@attend/model-spec';
import { Linear, type ParameterStore } from './parameters.ts';

export class PositionwiseFeedForward {
  readonly fc1: Linear;
  readonly fc2: Linear;

  constructor(
    store: ParameterStore,
    private readonly config: TransformerConfig,
    side: Side,
    layer: number,
  ) {
    const names = feedForwardNames(side, layer);
    this.fc1 = new Linear(store, names.fc1, config.dModel, config.dFF);
    this.fc2 = new Linear(store, names.fc2, config.dFF, config.dModel);
  }

  /** [B, T, d] -> [B, T, d_ff] -> [B, T, d], the same two layers at every position. */
  forward(x: Tensor): Tensor {
    const hidden = this.fc1.forward(x);
    const activated = this.config.activation === 'swish' ? torch.F.silu(hidden) : torch.F.relu(hidden);
    return this.fc2.forward(activated);
  }
}
