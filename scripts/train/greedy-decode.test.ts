import { describe, expect, it } from 'vitest';
import { Transformer } from '@attend/model';
import { resolveConfig } from '@attend/model-spec';
import { greedyDecode } from './greedy-decode.ts';

const config = resolveConfig({ vocabSize: 40, dModel: 16, heads: 2, dFF: 32, encoderLayers: 1, decoderLayers: 1, maxPositions: 64 });
const sources = [
  [5, 9, 1],
  [7, 8, 9, 10, 11, 12, 13, 1],
  [3, 1],
  [20, 21, 22, 23, 1],
];

describe('greedy decoding on the libtorch model', () => {
  it('gives each row the same output in a padded batch as alone, never <pad>, within the length limit', () => {
    const model = new Transformer(config, { seed: 4 });
    const batched = greedyDecode(model, sources, { batchSize: 4 });
    const alone = sources.map((source) => greedyDecode(model, [source], { batchSize: 1 })[0]);
    expect(batched).toEqual(alone);
    batched.forEach((ids, i) => {
      expect(ids).not.toContain(config.padId);
      expect(ids).not.toContain(config.eosId);
      expect(ids.length).toBeLessThan(2 * sources[i]!.length + 10);
    });
    expect(batched.some((ids) => ids.length > 0)).toBe(true);
    expect(model.training).toBe(true); // restored after decoding in eval mode
    model.dispose();
  });
});
