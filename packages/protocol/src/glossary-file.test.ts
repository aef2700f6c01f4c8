import { describe, expect, it } from 'vitest';
import { parseGlossaryFile } from './glossary-file.ts';

describe('parseGlossaryFile', () => {
  it('reads TSV, skipping blank lines and a byte-order mark, keeping terms as written', () => {
    expect(parseGlossaryFile('\uFEFFfile menu\tmenú Archivo\r\n\n  \nSave\tGuardar\n')).toEqual([
      { source: 'file menu', target: 'menú Archivo' },
      { source: 'Save', target: 'Guardar' },
    ]);
  });

  it('reads JSON as it is, for the schema to judge', () => {
    expect(parseGlossaryFile(' [{"source": "a", "target": "b"}]')).toEqual([{ source: 'a', target: 'b' }]);
    expect(parseGlossaryFile('{"cat": "gato"}')).toEqual({ cat: 'gato' });
    expect(() => parseGlossaryFile('[{"source": ')).toThrow(SyntaxError);
  });

  it('names a TSV line that is not two columns', () => {
    expect(() => parseGlossaryFile('a\tb\nc d\n')).toThrow('line 2: expected source<TAB>target, found 1 column');
    expect(() => parseGlossaryFile('a\tb\tc')).toThrow('line 1: expected source<TAB>target, found 3 columns');
  });
});
