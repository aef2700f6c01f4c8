// post-norm: LayerNorm(x + Dropout(Sublayer(x)))   (Vaswani et al. 2017, §3.1, §5.4; Marian)
// pre-norm:  x + Dropout(Sublayer(LayerNorm(x)))   (Xiong et al. 2020: stable without warmup in deep stacks;
//            the stack then ends with one more LayerNorm, see encoder.ts and decoder.ts)
import type { Tensor } from '@attend/torch';
import type { TransformerConfig } from '@attend/model-spec';
import { dropout, type Mode } from './dropout.ts';
import { LayerNorm, type ParameterStore } from './parameters.ts';

export class SublayerConnection {
  readonly norm: LayerNorm;

  constructor(
    store: ParameterStore,
    private readonly config: TransformerConfig,
    normName: string,
    private readonly mode: Mode,
  ) {
    this.norm = new LayerNorm(store, normName, config.dModel);
  }

  forward(x: Tensor, sublayer: (input: Tensor) => Tensor): Tensor {
    if (this.config.norm === 'pre') {
      return x.add(dropout(sublayer(this.norm.forward(x)), this.config.dropout, this.mode));
    }
    return this.norm.forward(x.add(dropout(sublayer(x), this.config.dropout, this.mode)));
  }
}
