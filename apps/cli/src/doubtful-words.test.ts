import { CONFIDENCE } from '@attend/sdk';
import { describe, expect, it } from 'vitest';
import { markDoubtful, markStyle } from './doubtful-words.ts';

const delta = (text: string, probability?: number) => ({ type: 'delta' as const, index: 0, text, ...(probability === undefined ? { logprob: 0, tokens: 0 } : { logprob: Math.log(probability), tokens: 2 }) });

describe('markDoubtful', () => {
  it('marks the words of a doubtful delta, not its whitespace', () => {
    const doubtful = CONFIDENCE.doubtfulBelow / 2;
    expect(markDoubtful(delta(' fichero.', doubtful), 'brackets')).toBe(' [[fichero.]]');
    expect(markDoubtful(delta('\nuno dos', doubtful), 'underline')).toBe('\n\x1b[4muno\x1b[24m \x1b[4mdos\x1b[24m');
  });

  it('leaves confident deltas, and copied text that no token wrote, as they are', () => {
    expect(markDoubtful(delta(' el', 0.9), 'brackets')).toBe(' el');
    expect(markDoubtful(delta(' el'), 'brackets')).toBe(' el');
  });
});

describe('markStyle', () => {
  it('underlines on a terminal unless NO_COLOR is set', () => {
    expect(markStyle({ isTTY: true }, {})).toBe('underline');
    expect(markStyle({ isTTY: true }, { NO_COLOR: '1' })).toBe('brackets');
    expect(markStyle({}, {})).toBe('brackets');
  });
});
