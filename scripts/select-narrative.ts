// `npm run select-narrative -- --corpus DIR --out FILE.tsv`
// Picks the prose of the gettext catalogs out of a corpus folder's train.tsv (train.origin names each
// line's source): game dialogue and story text (Wesnoth, Widelands, Freeciv, Warzone 2100 campaigns)
// rather than UI strings. A training config can then list the file as an extra corpus with a weight, to
// see more text of the register users write. The rule is plain and documented, not learned from dev.tsv
// (that would tune the data to the evaluation set).
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

// Words of software help and UI strings; a line with one of them is not story text.
const SOFTWARE_WORDS = new RegExp(
  `\\b(${[
    'file', 'files', 'click', 'select', 'menu', 'option', 'options', 'setting', 'settings', 'toolbar',
    'dialog', 'window', 'button', 'image', 'layer', 'pixel', 'document', 'folder', 'directory', 'cell',
    'spreadsheet', 'database', 'format', 'default', 'enable', 'disable', 'error', 'value', 'parameter',
    'server', 'install', 'package', 'version', 'command', 'user', 'password', 'printer', 'page', 'slide',
    'chart', 'table', 'column', 'row', 'field', 'object', 'node', 'mode', 'tool', 'plugin', 'filter',
    'export', 'import', 'display', 'screen', 'mouse', 'keyboard', 'cannot', 'failed', 'unable', 'invalid',
    'specified', 'selected', 'current',
  ].join('|')})\\b`,
  'i',
);
// Markup, format strings, paths and key names.
const MARKUP = /[%{}<>_&=\\/|@#*]/;
const STARTS_LIKE_PROSE = /^[“"‘A-Z]/;
const ENDS_LIKE_PROSE = /[.!?…”’"]$/;
const MIN_WORDS = 4;

/** Whether an English catalog string reads as a sentence of prose rather than UI text. */
export function isNarrative(english: string): boolean {
  return (
    STARTS_LIKE_PROSE.test(english) &&
    ENDS_LIKE_PROSE.test(english) &&
    !MARKUP.test(english) &&
    !SOFTWARE_WORDS.test(english) &&
    english.split(/\s+/).length >= MIN_WORDS
  );
}

/** Copies the narrative gettext pairs of `corpusDir`/train.tsv to `out`; returns how many. */
export async function selectNarrative(corpusDir: string, out: string): Promise<number> {
  const pairs = createInterface({ input: createReadStream(join(corpusDir, 'train.tsv')), crlfDelay: Infinity });
  const origins = createInterface({ input: createReadStream(join(corpusDir, 'train.origin')), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const output = createWriteStream(out);
  let kept = 0;
  for await (const pair of pairs) {
    const origin = await origins.next();
    if (origin.done) throw new Error(`${corpusDir}/train.origin has fewer lines than train.tsv`);
    if (origin.value !== 'gettext' || !isNarrative(pair.split('\t')[0] ?? '')) continue;
    if (!output.write(`${pair}\n`)) await new Promise<void>((resolve) => output.once('drain', () => resolve()));
    kept++;
  }
  await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return kept;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, out: { type: 'string' } } });
  if (!values.corpus || !values.out) {
    console.error('usage: npm run select-narrative -- --corpus DIR --out FILE.tsv (DIR holds train.tsv and train.origin)');
    process.exit(2);
  }
  const kept = await selectNarrative(values.corpus, values.out);
  console.log(`${kept} narrative pairs written to ${values.out}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
