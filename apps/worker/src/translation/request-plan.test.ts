import { LIMITS } from '@attend/protocol';
import { describe, expect, it } from 'vitest';
import { scriptedTranslator } from '../../test/scripted-translator.ts';
import { planRequest } from './request-plan.ts';

const translator = scriptedTranslator();
const words = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 'Word' : `w${i}`)).join(' ');

describe('planRequest', () => {
  it('prices each sentence at min(max_tokens, positions, 2 x source tokens + 10), summed', () => {
    // 3 words + EOS = 4 source tokens: 2 x 4 + 10 = 18; a 40-word sentence: 41 -> positions (64)
    const plan = planRequest(translator, [`${words(3)}. ${words(40)}.`, words(3)], { numBeams: 1, maxTokens: 256 });
    expect(plan.texts.map((parts) => parts.filter((p) => p.translate).length)).toEqual([2, 1]);
    expect(plan.worstOutputTokens).toBe(18 + 64 + 18);
    expect(planRequest(translator, [words(3)], { numBeams: 1, maxTokens: 5 }).worstOutputTokens).toBe(5);
  });

  it('refuses a request over the output-token budget with 413 and the limit, before any decoding', () => {
    const texts = Array.from({ length: LIMITS.maxTextsPerBatch }, () => Array.from({ length: 3 }, () => `${words(40)}.`).join(' '));
    expect(() => planRequest(translator, texts, { numBeams: 1, maxTokens: 256 })).toThrow(
      expect.objectContaining({ status: 413, message: expect.stringMatching(/up to 6144 tokens; the limit is 4096 per request/) }),
    );
    expect(translator.steps).toBe(0);
  });

  it('refuses beam_size x tokens over its budget, and says to lower beam_size', () => {
    const texts = Array.from({ length: 20 }, () => `${words(40)}.`); // 20 x 64 = 1280 tokens
    expect(planRequest(translator, texts, { numBeams: 6, maxTokens: 256 }).worstOutputTokens).toBe(1280);
    expect(() => planRequest(translator, texts, { numBeams: 7, maxTokens: 256 })).toThrow(/beam_size 7 x up to 1280 tokens is 8960; the limit is 8192 per request: lower beam_size/);
  });
});
