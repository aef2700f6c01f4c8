import { describe, expect, it } from 'vitest';
import { torch } from '@attend/torch';
import { resolveConfig } from '@attend/model-spec';
import { Embeddings } from './embeddings.ts';
import { positionalEncoding, sinusoidTable } from './positional-encoding.ts';
import { MICRO, ids } from './test-support.ts';

describe('Embeddings', () => {
  it('is E[id] · sqrt(d) + PE(offset + t)', () => {
    const d = MICRO.dModel;
    torch.tidy(() => {
      const shared = torch.randn([MICRO.vocabSize, d], { dtype: 'float64' });
      const pe = positionalEncoding(MICRO.maxPositions, d, 'float64');
      const embeddings = new Embeddings(MICRO, shared, pe, { training: true }); // dropout 0 in MICRO
      const table = sinusoidTable(MICRO.maxPositions, d);
      const E = shared.toArray();
      const tokens = [[5, 7, 0]];
      for (const offset of [0, 4]) {
        const y = embeddings.forward(ids(tokens), offset).toArray();
        tokens[0]?.forEach((id, t) => {
          for (let j = 0; j < d; j++) {
            const expected = (E[id * d + j] as number) * Math.sqrt(d) + (table[(offset + t) * d + j] as number);
            expect(y[t * d + j]).toBeCloseTo(expected, 12);
          }
        });
      }
      const unscaled = new Embeddings(resolveConfig({ ...MICRO, scaleEmbedding: false }), shared, pe, { training: true });
      expect(unscaled.forward(ids([[5]])).toArray()[0]).toBeCloseTo((E[5 * d] as number) + (table[0] as number), 12);
    });
  });
});
