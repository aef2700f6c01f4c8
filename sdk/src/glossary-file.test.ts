import { parseGlossaryFile } from '@attend/protocol';
import { describe, expect, it } from 'vitest';
import { AttendError } from './errors.ts';
import { parseGlossary } from './glossary-file.ts';

describe('parseGlossary', () => {
  it('reads TSV and JSON as the upload command does', () => {
    for (const text of ['\uFEFFfile menu\tmenú Archivo\r\n\nSave\tGuardar\n', '[{"source": "file menu", "target": "menú Archivo"}, {"source": "Save", "target": "Guardar"}]']) {
      expect(parseGlossary(text)).toEqual(parseGlossaryFile(text));
      expect(parseGlossary(text)).toHaveLength(2);
    }
  });

  it('says what is malformed', () => {
    expect(() => parseGlossary('a\tb\nc')).toThrow(new AttendError('Glossary line 2: expected source<TAB>target, found 1 column.'));
    expect(() => parseGlossary('{"cat": "gato"}')).toThrow(/an array of \{"source": "...", "target": "..."\}/);
    expect(() => parseGlossary('[{"source": 1, "target": "x"}]')).toThrow(AttendError);
    expect(() => parseGlossary('[{"source"')).toThrow(/not valid JSON/);
  });
});
