// `npx tsx scripts/glossary-eval.ts --model models/en-es-tiny --test ../shared/data/en-es/dev.tsv
//    --glossary scripts/glossary-eval/wesnoth-en-es.tsv [--beam 4] [--limit N]`
// How well a glossary is honoured, four ways, on the test sentences where a source term occurs:
//   beam         the shipped beam search, no glossary (the baseline),
//   constrained  Dynamic Beam Allocation forcing each occurrence's target term (packages/decoding constraints),
//   inline       the source term replaced by its target term before translating (the model copies it, or not),
//   placeholder  the source term replaced by a placeholder (XQ1, XQ2...) put back as the target term after;
// then, per term occurrence, how often the target term appears and how often the reference uses another
// form of it (inflected wrongly), and chrF / BLEU. (A sentence without terms decodes as the shipped beam
// search: decoding constrains only the rows given constraints.) The last stdout line is a JSON summary.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { generate } from '@attend/decoding';
import { scoreCorpus } from '@attend/metrics';
import { GlossarySchema, LIMITS, parseGlossaryFile, TermMatcher, type GlossaryEntry, type TermMatch } from '@attend/protocol';
import { translateAll } from './evaluate.ts';
import { appears, referenceForm } from './glossary-eval/term-checks.ts';
import { SkipCounts, readCorpus } from './train/parallel-corpus.ts';
import { loadTranslator, type Translator } from './translate.ts';

interface Sentence {
  readonly source: string;
  readonly reference: string;
  readonly matches: TermMatch[];
}

type System = 'beam' | 'constrained' | 'inline' | 'placeholder';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, test: { type: 'string' }, glossary: { type: 'string' }, beam: { type: 'string', default: '4' }, limit: { type: 'string' } },
  });
  if (!values.model || !values.test || !values.glossary) throw new Error('usage: npx tsx scripts/glossary-eval.ts --model DIR --test FILE.tsv --glossary FILE [--beam N] [--limit N]');
  const entries = GlossarySchema.parse(parseGlossaryFile(await readFile(values.glossary, 'utf8')));
  const matcher = new TermMatcher(entries.map((e) => e.source));
  const sentences = (await readPairs(values.test)).map((p) => ({ ...p, matches: matcher.find(p.source) }));
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  const withTerms = sentences.filter((s) => s.matches.length > 0).slice(0, limit);
  const translator = await loadTranslator(values.model);
  const beam = Number(values.beam);
  const outputs: Record<System, string[]> = {
    beam: await timed('beam', () => translated(translator, withTerms.map((s) => s.source), beam)),
    constrained: await timed('constrained', () => constrained(translator, withTerms, entries, beam)),
    inline: await timed('inline', () => translated(translator, withTerms.map((s) => replaced(s, (m) => entries[m.entry]!.target)), beam)),
    placeholder: await timed('placeholder', () => placeholders(translator, withTerms, entries, beam)),
  };
  const report = Object.fromEntries(Object.entries(outputs).map(([system, texts]) => [system, measure(texts, withTerms, entries)]));
  for (const [system, r] of Object.entries(report)) process.stderr.write(`${system.padEnd(12)} ${JSON.stringify(r)}\n`);
  const occurrences = withTerms.reduce((n, s) => n + s.matches.length, 0);
  process.stdout.write(`${JSON.stringify({ model: values.model, test: values.test, glossary: values.glossary, beam, sentencesWithTerms: withTerms.length, occurrences, report })}\n`);
}

async function readPairs(path: string): Promise<{ source: string; reference: string }[]> {
  const pairs: { source: string; reference: string }[] = [];
  for await (const { pair } of readCorpus({ path, swap: false }, new SkipCounts())) pairs.push({ source: pair.source, reference: pair.target });
  return pairs;
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  process.stderr.write(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function translated(translator: Translator, sources: readonly string[], beam: number): Promise<string[]> {
  return (await translateAll(translator, sources, { beam, batch: 8 })).texts;
}

/** The source with each term occurrence replaced. */
function replaced(sentence: Sentence, by: (match: TermMatch, k: number) => string): string {
  let text = '';
  let at = 0;
  sentence.matches.forEach((m, k) => {
    text += sentence.source.slice(at, m.start) + by(m, k);
    at = m.end;
  });
  return text + sentence.source.slice(at);
}

/**
 * packages/decoding's constrained beam search (the worker's), in batches of 8: each sentence's beam
 * widens to a bank per forced token where LIMITS allow (max(beam, C + 1), at most LIMITS.maxBeamSize),
 * and a sentence no hypothesis could satisfy within its length limit keeps the unconstrained beam output.
 */
async function constrained(translator: Translator, sentences: readonly Sentence[], entries: readonly GlossaryEntry[], width: number): Promise<string[]> {
  const { model, tokenizer, config, badWordsIds, noRepeatNgramSize } = translator;
  const texts: string[] = [];
  let unsatisfied = 0;
  for (let start = 0; start < sentences.length; start += 8) {
    const batch = sentences.slice(start, start + 8);
    const sources = batch.map((s) => tokenizer.encode(s.source, { addEos: true }));
    const constraints = batch.map((s) => s.matches.map((m) => tokenizer.encode(entries[m.entry]!.target, { addEos: false })));
    const { translations } = await generate(model, sources, {
      decode: (ids) => tokenizer.decode(ids),
      numBeams: width,
      maxConstrainedBeams: LIMITS.maxBeamSize,
      constraints,
      badWordsIds,
      noRepeatNgramSize, // the model's guard, as the worker applies it to constrained requests too
      maxTokens: config.maxPositions,
      specialTokens: { pad: config.padId, eos: config.eosId, decoderStart: config.decoderStartId },
    });
    translations.forEach((t, i) => {
      if (!constraints[i]!.every((phrase) => ` ${t.ids.join(' ')} `.includes(` ${phrase.join(' ')} `))) unsatisfied++;
      texts.push(t.text);
    });
  }
  process.stderr.write(`constrained: ${unsatisfied} sentences without a hypothesis meeting every constraint (unconstrained output kept)\n`);
  return texts;
}

/** Placeholders XQ1, XQ2... in the source, put back as the target terms where the output kept them. */
async function placeholders(translator: Translator, sentences: readonly Sentence[], entries: readonly GlossaryEntry[], beam: number): Promise<string[]> {
  const outputs = await translated(translator, sentences.map((s) => replaced(s, (_, k) => `XQ${k + 1}`)), beam);
  let kept = 0;
  let total = 0;
  const texts = outputs.map((output, i) => {
    let text = output;
    sentences[i]!.matches.forEach((m, k) => {
      total++;
      const tag = `XQ${k + 1}`;
      if (text.split(tag).length === 2) kept++;
      text = text.replace(tag, entries[m.entry]!.target);
    });
    return text;
  });
  process.stderr.write(`placeholder: ${kept} of ${total} placeholders came back exactly once\n`);
  return texts;
}

function measure(texts: readonly string[], sentences: readonly Sentence[], entries: readonly GlossaryEntry[]) {
  let occurrences = 0;
  let appeared = 0;
  let wrongForm = 0;
  let referenceSame = 0;
  sentences.forEach((sentence, i) => {
    for (const match of sentence.matches) {
      const term = entries[match.entry]!.target;
      const form = referenceForm(sentence.reference, term);
      occurrences++;
      if (form === 'same') referenceSame++;
      if (!appears(texts[i]!, term)) continue;
      appeared++;
      if (form === 'inflected') wrongForm++;
    }
  });
  const scores = scoreCorpus([...texts], sentences.map((s) => s.reference));
  const percent = (n: number) => Math.round((1000 * n) / occurrences) / 10;
  return { termAppears: percent(appeared), inflectedWrongly: percent(wrongForm), referenceUsesTerm: percent(referenceSame), chrf: round(scores.chrf), bleu: round(scores.bleu.score) };
}

const round = (x: number) => Math.round(x * 100) / 100;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`glossary-eval: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
