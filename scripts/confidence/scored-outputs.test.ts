import type { Seq2SeqModel } from '@attend/decoding';
import { resolveConfig } from '@attend/model-spec';
import { describe, expect, it } from 'vitest';
import { scoredOutputs } from './scored-outputs.ts';

// A hand-made model over 5 tokens (0 pad, 1 EOS): token 2 first (p 0.35), then 2 again (p 0.6) before 3
// (0.3), 4 (0.05) and EOS (0.04). <pad> (banned) would win the first step.
const FIRST = [0.45, 0.05, 0.35, 0.1, 0.05];
const LATER = [0.01, 0.04, 0.6, 0.3, 0.05];
const model: Seq2SeqModel<number, number> = {
  encode: async (sources) => sources.length,
  step: async (rows, _tokens, cache) => {
    const logits = new Float32Array(rows * 5);
    for (let r = 0; r < rows; r++) logits.set((cache === null ? FIRST : LATER).map(Math.log), r * 5);
    return { logits, cache: (cache ?? 0) + 1 };
  },
  selectRows: async (memory, cache) => ({ memory, cache }),
  dispose: () => {},
};
const config = resolveConfig({ vocabSize: 5 });
const translator = (noRepeatNgramSize: number) => ({ model, serving: undefined, config, badWordsIds: [[0]], noRepeatNgramSize });
const probabilities = (logprobs: readonly number[]) => logprobs.map((p) => Number(Math.exp(p).toFixed(4)));

describe('scoredOutputs', () => {
  it("keeps each chosen token's log-probability, EOS last, under the model's repetition guard", async () => {
    const [out] = await scoredOutputs(translator(1), [[4, 1]], 8);
    expect(out!.ids).toEqual([2, 3, 4]);
    expect(probabilities(out!.logprobs)).toEqual([0.35, 0.3, 0.05, 0.04]);
  });

  it('forces EOS at the length limit (2 x source tokens + 10) without the guard', async () => {
    const outputs = await scoredOutputs(translator(0), [[4, 1], [3, 3, 1]], 1);
    expect(outputs.map((o) => o.ids.length)).toEqual([13, 15]);
    expect(outputs[0]!.ids.every((id) => id === 2)).toBe(true);
    expect(probabilities(outputs[0]!.logprobs.slice(-1))).toEqual([0.04]);
  });
});
