import { describe, expect, it } from 'vitest';
import { agreementByLength } from './runtime-agreement.ts';

describe('agreementByLength', () => {
  it('counts equal translations overall and per band of source words', () => {
    const sources = ['a b', 'a b c', 'one two three four five six seven eight nine ten'];
    expect(agreementByLength(sources, ['x', 'y', 'z'], ['x', 'n', 'z'])).toEqual({
      all: '66.7% of 3',
      '1-8 words': '50.0% of 2',
      '9-15 words': '100.0% of 1',
      '16-25 words': 'none',
      '26+ words': 'none',
    });
  });
});
