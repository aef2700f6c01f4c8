import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNarrative, selectNarrative } from './select-narrative.ts';

describe('isNarrative', () => {
  it('keeps story sentences and dialogue', () => {
    expect(isNarrative('You will see things differently at the point of a sword, my friend.')).toBe(true);
    expect(isNarrative('“We must not be seen,” said Gweddry.')).toBe(true);
  });

  it('drops UI strings, markup and fragments', () => {
    expect(isNarrative('Select the file to open.')).toBe(false);
    expect(isNarrative('Tangential offset (percentage of pattern length):')).toBe(false);
    expect(isNarrative('Deleted %s units.')).toBe(false);
    expect(isNarrative('We need weapons.')).toBe(false); // three words
    expect(isNarrative('the enemy is near.')).toBe(false);
  });
});

describe('selectNarrative', () => {
  it('copies only the narrative gettext pairs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'narrative-'));
    const pairs = ['The orcs are coming from the north.\tLos orcos vienen del norte.', 'Open the file menu now.\tAbra el menú archivo.', 'And God said, let there be light.\tY dijo Dios: Sea la luz.'];
    writeFileSync(join(dir, 'train.tsv'), `${pairs.join('\n')}\n`);
    writeFileSync(join(dir, 'train.origin'), 'gettext\ngettext\nbible\n');
    const out = join(dir, 'narrative.tsv');
    expect(await selectNarrative(dir, out)).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe(`${pairs[0]}\n`);
    rmSync(dir, { recursive: true, force: true });
  });
});
