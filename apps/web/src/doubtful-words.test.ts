import { CONFIDENCE } from '@attend/sdk';
import { describe, expect, it } from 'vitest';
import { doubtTitle, segments } from './doubtful-words.ts';

const delta = (text: string, probability?: number) => ({ type: 'delta' as const, index: 0, text, ...(probability === undefined ? { logprob: 0, tokens: 0 } : { logprob: Math.log(probability), tokens: 1 }) });

describe('segments', () => {
  it('puts the words of a doubtful delta apart, with their probability, and leaves whitespace plain', () => {
    const low = CONFIDENCE.doubtfulBelow / 3;
    const split = segments(delta('\n fichero.', low));
    expect(split.map((s) => s.text)).toEqual(['\n ', 'fichero.']);
    expect(split[0]!.doubtful).toBeUndefined();
    expect(split[1]!.doubtful).toBeCloseTo(low);
  });

  it('keeps a confident delta, or copied text no token wrote, as one plain run', () => {
    expect(segments(delta(' el', 0.8))).toEqual([{ text: ' el' }]);
    expect(segments(delta(' el'))).toEqual([{ text: ' el' }]);
    expect(segments(delta('', 0.01))).toEqual([]);
  });

  it('says how likely the word was', () => {
    expect(doubtTitle(0.123)).toBe('The model is unsure of this word (12% likely)');
  });
});
