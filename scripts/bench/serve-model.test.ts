import { resolveConfig } from '@attend/model-spec';
import { METASPACE, trainBpe } from '@attend/tokenizer';
import { describe, expect, it } from 'vitest';
import { steerOutput } from './serve-model.ts';

describe('steerOutput', () => {
  it('raises exactly the word-initial tokens and buries </s>', async () => {
    const tokenizer = await trainBpe(['the cat sleeps on the mat', 'el gato duerme'], { vocabSize: 300, minFrequency: 1 });
    const config = resolveConfig({ vocabSize: tokenizer.vocabSize });
    const bias = new Float32Array(tokenizer.vocabSize);
    steerOutput(bias, tokenizer, config);
    const raised = Object.entries(tokenizer.toJSON().model.vocab).filter(([, id]) => (bias[id] ?? 0) > 0);
    expect(raised.length).toBeGreaterThan(3);
    expect(raised.every(([token]) => token.startsWith(METASPACE) && token.length > 1)).toBe(true);
    expect(raised.map(([token]) => token)).toContain(`${METASPACE}the`);
    expect(bias[config.eosId]).toBeLessThan(-1000);
    // every raised token starts a word, so greedy text grows by a word per token
    expect(tokenizer.decode(raised.slice(0, 3).map(([, id]) => id)).split(' ')).toHaveLength(3);
  });
});
