import { LIMITS } from '@attend/protocol';
import { describe, expect, it } from 'vitest';
import { scriptedTranslator } from '../../test/scripted-translator.ts';
import { Glossary } from '../glossaries/glossary.ts';
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

  it('keeps each sentence its glossary terms, and prices a constrained sentence at its wider beam of tokens + C', () => {
    // Terms tokenize as the scripted translator does: a token per word (ids 3, 4, ...), EOS dropped.
    const glossary = new Glossary([{ source: 'file menu', target: 'menú Archivo' }]);
    const plan = planRequest(translator, ['Open the file menu. Close it.'], { numBeams: 1, maxTokens: 256 }, glossary);
    const sentences = plan.texts[0]!.filter((p) => p.translate);
    expect(sentences.map((p) => p.constraints)).toEqual([[[3, 4]], []]);
    // 4 + 1 and 2 + 1 source tokens: 20 and 16 tokens at most, the first + C = 2 more
    expect(plan.worstOutputTokens).toBe(20 + 16 + 2);
    // 8 source tokens: 26 tokens greedy, and a constrained beam of C + 1 = 3 rows of 26 + 2: 110 beam tokens a text, x 80 > 8192
    const many = Array.from({ length: 80 }, () => 'Open the file menu and then wait.');
    expect(() => planRequest(translator, many, { numBeams: 1, maxTokens: 256 }, glossary)).toThrow(/widened for the sentences holding glossary terms.*use fewer glossary terms/);
    expect(() => planRequest(translator, many, { numBeams: 1, maxTokens: 256 })).not.toThrow();
  });
});
