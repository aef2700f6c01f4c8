// The shipped default models translate the same in every runtime that loads them (DESIGN.md): the int8
// graphs in onnxruntime-node on this CPU's native kernels (AVX2, AVX-512, VNNI or ARM, whichever this
// machine has), in onnxruntime-web as the Worker runs them, and in @huggingface/transformers. A scheme
// whose integer products overflow on some CPU fails here on that CPU.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ourGreedy, servingTranslations, transformersGreedy } from './runtimes.ts';

const MAX_TOKENS = 64;
// Agreement is not exact: the fp32 parts (LayerNorm, attention, softmax) round differently in native and
// WASM kernels, a row's quantization can round one activation the other way, and a near-tie between two
// tokens may then flip. Measured with these models (`npx tsx test/runtime-agreement.ts --model
// models/en-es-tiny [--reverse]`: native vs web, greedy, first 600 dev.tsv sentences): en->es 96.7%
// identical for sentences of at most 8 words, 95.2% for 9-15, 91.9% for 16-25 (95.2% over all); es->en
// 99.6%, 95.9%, 87.3% (96.0%). So: short everyday sentences, of which at most one may differ; a scheme
// that overflows fails by far.
const SENTENCES = 10; // per file
const MAX_WORDS = 12;
const AGREEING = 19; // of 20

async function sentences(file: string, column: 0 | 1): Promise<string[]> {
  const lines = (await readFile(new URL(`../../shared/data/en-es/${file}`, import.meta.url), 'utf8')).split('\n');
  const texts = lines.slice(100).filter(Boolean).map((line) => line.split('\t')[column]!);
  return texts.filter((text) => text.split(/\s+/).length <= MAX_WORDS).slice(0, SENTENCES);
}

const agreeing = (a: readonly string[], b: readonly string[]) => a.filter((text, i) => text === b[i]).length;

describe.each([
  { model: 'en-es-tiny', column: 0 as const },
  { model: 'es-en-tiny', column: 1 as const },
])('models/$model, int8, greedy', ({ model, column }) => {
  const dir = new URL(`../models/${model}`, import.meta.url).pathname;
  it('gives the same translation in onnxruntime-node, onnxruntime-web and transformers.js', async () => {
    const sources = [...(await sentences('test.gnomehelp.tsv', column)), ...(await sentences('dev.tsv', column))];
    const options = { int8: true, maxTokens: MAX_TOKENS };
    const web = await ourGreedy(dir, 'web', sources, options);
    const native = await ourGreedy(dir, 'node', sources, options);
    const hf = await transformersGreedy(dir, sources, options);
    expect(new Set(web.texts).size).toBe(sources.length); // real, varied translations
    expect(agreeing(native.texts, web.texts)).toBeGreaterThanOrEqual(AGREEING);
    expect(agreeing(hf.texts, web.texts)).toBeGreaterThanOrEqual(AGREEING);
  });
});

// The worker decodes every sentence of every request in shared decoder runs; a sentence must come out
// the same whoever it is batched with (the serving graphs pad rows to KEY_ALIGNMENT, and activations
// are quantized per row), as it does alone.
describe.each([
  { model: 'en-es-tiny', column: 0 as const },
  { model: 'es-en-tiny', column: 1 as const },
])('models/$model, int8 serving graphs', ({ model, column }) => {
  const dir = new URL(`../models/${model}`, import.meta.url).pathname;
  it.each([
    { numBeams: 1, count: 40 },
    { numBeams: 4, count: 12 },
  ])('translate each sentence the same decoded together as alone (beams $numBeams)', async ({ numBeams, count }) => {
    const lines = (await readFile(new URL('../../shared/data/en-es/dev.tsv', import.meta.url), 'utf8')).split('\n').filter(Boolean);
    const sources = lines.slice(0, count).map((line) => line.split('\t')[column]!); // short and long, as they come
    const options = { maxTokens: MAX_TOKENS, numBeams };
    const together = await servingTranslations(dir, sources, { ...options, together: true });
    const alone = await servingTranslations(dir, sources, { ...options, together: false });
    expect(together.map((t) => t.ids)).toEqual(alone.map((t) => t.ids));
    expect(together.map((t) => t.logProb)).toEqual(alone.map((t) => t.logProb));
    expect(new Set(alone.map((t) => t.text)).size).toBeGreaterThan(count / 2);
  });
});
