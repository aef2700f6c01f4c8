// `npm run score -- --hyp FILE --test FILE.tsv [--reverse]`
// Scores a file of translations, one a line (from `npm run evaluate -- --out`, or from another system
// such as apertium), against the target column of a TSV test set: sacreBLEU's BLEU and chrF, and the
// share of lines with a repeated word trigram, beside the same share in the references. --reverse reads
// the file as target<TAB>source. The last line of stdout is a JSON object with the figures.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { repeatedNgramShare, scoreCorpus } from '@attend/metrics';

const USAGE = 'usage: npm run score -- --hyp FILE --test FILE.tsv [--reverse]';

export interface ScoreReport {
  readonly sentences: number;
  readonly bleu: number;
  readonly chrf: number;
  /** Share of translations with a repeated word trigram. */
  readonly repeatedTrigrams: number;
  /** The same share in the references. */
  readonly referenceRepeatedTrigrams: number;
}

function lines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** Scores `hypotheses` against the target column of `test`; fails when the line counts differ. */
export function scoreFile(hypotheses: readonly string[], test: string, reverse: boolean): ScoreReport {
  const references = lines(test).map((line) => {
    const [english = '', spanish = ''] = line.split('\t');
    return reverse ? english : spanish;
  });
  if (references.length !== hypotheses.length) {
    throw new Error(`${hypotheses.length} translations for ${references.length} lines of ${test}: give one translation a line`);
  }
  const scores = scoreCorpus(hypotheses, references);
  return {
    sentences: hypotheses.length,
    bleu: scores.bleu.score,
    chrf: scores.chrf,
    repeatedTrigrams: repeatedNgramShare(hypotheses),
    referenceRepeatedTrigrams: repeatedNgramShare(references),
  };
}

function main(): void {
  const { values } = parseArgs({ options: { hyp: { type: 'string' }, test: { type: 'string' }, reverse: { type: 'boolean', default: false } } });
  if (!values.hyp || !values.test) {
    console.error(USAGE);
    process.exit(2);
  }
  console.log(JSON.stringify({ hyp: values.hyp, test: values.test, ...scoreFile(lines(values.hyp), values.test, values.reverse) }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
