import { Tokenizer } from '@attend/tokenizer';
import { describe, expect, it } from 'vitest';
import { testModelFiles } from '../../test/test-model.ts';
import { Glossary } from './glossary.ts';

// The test model's own tokenizer (a BPE trained by test/global-setup.ts).
const tokenizer = Tokenizer.fromJSON(JSON.parse(new TextDecoder().decode(testModelFiles()['tokenizer.json'])));
const encodeTerm = (text: string) => tokenizer.encode(text, { addEos: false });

describe('Glossary', () => {
  const glossary = new Glossary([
    { source: 'window sill', target: 'alféizar' },
    { source: 'cat', target: 'gato' },
    { source: 'station', target: 'estación' },
  ]);

  it('forces the target term of each occurrence, in reading order, as a word of the output', () => {
    const constraints = glossary.constraints('The Cat sleeps on the window  sill; the cat!', encodeTerm);
    expect(constraints.map((ids) => tokenizer.decode(ids))).toEqual(['gato', 'alféizar', 'gato']);
    expect(tokenizer.idToToken(constraints[0]![0]!)!.startsWith('\u2581')).toBe(true); // begins a word
  });

  it('forces nothing where no term occurs', () => {
    expect(glossary.constraints('We will meet at the stations tomorrow; a catalogue.', encodeTerm)).toEqual([]);
  });
});
