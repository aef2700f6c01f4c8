import type { Seq2SeqModel } from '@attend/decoding';
import { describe, expect, it } from 'vitest';
import { greedyWithLogprobs } from './greedy-logprobs.ts';

// A hand-made model over 5 tokens (0 pad, 1 EOS): after the prefix [] it gives token 2 p = 0.5, then
// token 3 p = 0.7, then EOS p = 0.6; pad would win at step 2 were it not banned.
const TABLE: number[][] = [
  [0.1, 0.1, 0.5, 0.2, 0.1],
  [0.8, 0.05, 0.05, 0.07, 0.03],
  [0.1, 0.6, 0.1, 0.1, 0.1],
];
const model: Seq2SeqModel<number, number> = {
  encode: async (sources) => sources.length,
  step: async (rows, tokens, cache) => {
    const at = cache === null ? 0 : cache + 1;
    const logits = new Float32Array(rows * 5);
    for (let r = 0; r < rows; r++) logits.set(TABLE[Math.min(at, 2)]!.map(Math.log), r * 5);
    return { logits, cache: at };
  },
  selectRows: async (memory, cache) => ({ memory, cache }),
  dispose: () => {},
};

describe('greedyWithLogprobs', () => {
  it("keeps each chosen token's log-probability, EOS last, skipping banned tokens", async () => {
    const [out] = await greedyWithLogprobs(model, [[4, 1]], { special: { pad: 0, eos: 1, decoderStart: 0 }, banned: [0], limit: () => 10 });
    expect(out!.ids).toEqual([2, 3]);
    expect(out!.logprobs.map((p) => Number(Math.exp(p).toFixed(4)))).toEqual([0.5, 0.07, 0.6]);
  });

  it('forces EOS at the length limit', async () => {
    const [out] = await greedyWithLogprobs(model, [[4, 1]], { special: { pad: 0, eos: 1, decoderStart: 0 }, banned: [0], limit: () => 2 });
    expect(out!.ids).toEqual([2]);
    expect(Math.exp(out!.logprobs[1]!)).toBeCloseTo(0.05); // EOS at step 2, where the model gave it 0.05
  });
});
