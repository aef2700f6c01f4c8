import { describe, expect, it } from 'vitest';
import { summarize } from './model-speed.ts';

describe('summarize', () => {
  it('keeps the fastest round and divides by sentences and later tokens', () => {
    const slow = { firstTokenMs: 40, laterMs: 200, laterTokens: 100 };
    const fast = { firstTokenMs: 30, laterMs: 150, laterTokens: 100 };
    expect(summarize([slow, fast], 10)).toEqual({ firstTokenMs: 3, msPerLaterToken: 1.5, tokens: 110 });
  });

  it('does not divide by zero when every sentence ended at its first token', () => {
    expect(summarize([{ firstTokenMs: 8, laterMs: 0, laterTokens: 0 }], 4)).toEqual({ firstTokenMs: 2, msPerLaterToken: 0, tokens: 4 });
  });
});
