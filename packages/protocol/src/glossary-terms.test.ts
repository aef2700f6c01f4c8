import { describe, expect, it } from 'vitest';
import { TermMatcher, findOverlap } from './glossary-terms.ts';

describe('the matching rule', () => {
  it('ignores case and how much whitespace, but not whether there is any', () => {
    const found = (term: string, text: string) => new TermMatcher([term]).find(text).length > 0;
    expect(found('New  York', 'in new york')).toBe(true);
    expect(found('Cafe\u0301', 'un café')).toBe(true); // NFC
    expect(found('e-mail', 'an e - mail')).toBe(false);
    expect(found('e-mail', 'an email')).toBe(false);
  });
});

describe('findOverlap', () => {
  it('finds duplicates, terms inside terms, and terms that chain', () => {
    expect(findOverlap(['cat', 'dog', 'Cat'])).toEqual({ first: 0, second: 2, reason: 'duplicate' });
    expect(findOverlap(['New York City', 'York'])).toEqual({ first: 0, second: 1, reason: 'contains' });
    expect(findOverlap(['York City', 'New York'])).toEqual({ first: 0, second: 1, reason: 'chains' });
    expect(findOverlap(['file menu', 'menu bar'])).toEqual({ first: 0, second: 1, reason: 'chains' });
  });

  it('accepts terms that share words without overlapping, and a term that repeats itself', () => {
    expect(findOverlap(['file menu', 'edit menu', 'menus', 'ha ha', 'York', 'Yorkshire'])).toBeUndefined();
  });
});

describe('TermMatcher', () => {
  const matcher = new TermMatcher(['file menu', 'e-mail', 'cat', 'ha ha', 'Node.js']);
  const found = (text: string) => matcher.find(text).map((m) => [m.entry, text.slice(m.start, m.end)]);

  it('matches whole words, ignoring case and the amount of whitespace', () => {
    expect(found('Open the File  Menu, then the file menus.')).toEqual([[0, 'File  Menu']]);
    expect(found("The cat's bowl; a catalogue; CAT.")).toEqual([[2, 'cat'], [2, 'CAT']]);
    expect(found('Send an e-mail, not an e - mail.')).toEqual([[1, 'e-mail']]);
    expect(found('Install Node.js or node . js')).toEqual([[4, 'Node.js']]);
  });

  it('takes occurrences left to right without overlapping', () => {
    expect(found('ha ha ha ha ha')).toEqual([[3, 'ha ha'], [3, 'ha ha']]);
    expect(found('nothing here')).toEqual([]);
  });
});
