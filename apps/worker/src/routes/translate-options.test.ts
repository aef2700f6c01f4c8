// The options of issue #16 (confidence, alternatives, glossaries) through HTTP in workerd, with the
// real exported test model and named glossaries in the real local R2 bucket: every bad request is a
// clear 422 (or a 404 for a glossary the pair lacks), on the JSON and the streaming route alike; and
// what a good request gets: the glossary's terms in the output, words with confidences, alternatives.
import { ERROR_STATUS, ErrorBodySchema, GLOSSARY_FORMAT, LIMITS, TranslateResponseSchema, glossaryKey, type ErrorType } from '@attend/protocol';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, isolatedEnv, postJson } from '../../test/app-client.ts';
import { clearBucket } from '../../test/seed-r2.ts';
import { collectEvents } from '../../test/sse.ts';
import { seedTestModel } from '../../test/test-model.ts';
import { beamSize } from './translate-options.ts';

const call = client(isolatedEnv());

beforeAll(async () => {
  await clearBucket(env.MODELS);
  await seedTestModel(env.MODELS); // en -> es
  const ui = { format: GLOSSARY_FORMAT, name: 'ui', source: 'en', target: 'es', entries: [{ source: 'file menu', target: 'menú Archivo' }] };
  await env.MODELS.put(glossaryKey(ui, ui.name), JSON.stringify(ui));
});
afterAll(() => clearBucket(env.MODELS));

async function expectError(body: unknown, type: ErrorType, message: RegExp): Promise<void> {
  for (const path of ['/v1/translate', '/v1/translate/stream']) {
    const response = await postJson(call, path, body);
    expect(response.status, path).toBe(ERROR_STATUS[type]);
    const { error } = ErrorBodySchema.parse(await response.json());
    expect(error.type).toBe(type);
    expect(error.message, path).toMatch(message);
  }
}

const request = (options: object) => ({ text: 'Open the file menu.', source: 'en', target: 'es', options });
const entry = (source: unknown, target: unknown = 'x') => ({ source, target });

describe('glossaries in a request', () => {
  it('refuses empty, too long, mistyped, too many and overlapping terms with a 422 naming the entry', async () => {
    const cases: [unknown, RegExp][] = [
      [[entry('')], /^options\.glossary\.0\.source: an empty source term: give every entry a source and a target term$/],
      [[entry('cat', ' ')], /^options\.glossary\.0\.target: an empty target term/],
      [[entry('a'.repeat(LIMITS.maxGlossaryTermChars + 1))], /^options\.glossary\.0\.source: at most 100 characters per term$/],
      [[entry(['cat'])], /^options\.glossary\.0\.source: /],
      [[entry('cat', null)], /^options\.glossary\.0\.target: /],
      ['cat=gato', /^options\.glossary: /],
      [Array.from({ length: LIMITS.maxGlossaryEntries + 1 }, (_, i) => entry(`term${i}`)), /^options\.glossary: at most 100 entries per glossary$/],
      [[entry('File Menu'), entry('file  menu')], /^options\.glossary\.1\.source: "file {2}menu" is the same source term, ignoring case, as "File Menu" of entry 0/],
      [[entry('menu'), entry('the file menu')], /^options\.glossary\.1\.source: "the file menu" overlaps \(one contains the other\) "menu" of entry 0: .*remove or merge one of them$/],
      [[entry('the file'), entry('file menu')], /^options\.glossary\.1\.source: "file menu" overlaps \(the end of one is the start of the other\) "the file"/],
    ];
    for (const [glossary, message] of cases) await expectError(request({ glossary }), 'invalid_request', message);
  });

  it('refuses a glossary sent both ways, and a malformed glossary_id', async () => {
    await expectError(request({ glossary: [entry('cat')], glossary_id: 'ui' }), 'invalid_request', /^options\.glossary_id: give either glossary .* not both$/);
    await expectError(request({ glossary_id: '../ui' }), 'invalid_request', /^options\.glossary_id: a glossary name: /);
  });

  it('answers 404 for a glossary_id the language pair lacks', async () => {
    await expectError(request({ glossary_id: 'legal' }), 'not_found', /^options\.glossary_id: no glossary "legal" for en->es; the operator uploads one with `npm run upload -- --glossary/);
  });

  it('forces a named glossary\'s target term into the translation, on both routes', async () => {
    const json = TranslateResponseSchema.parse(await (await postJson(call, '/v1/translate', request({ glossary_id: 'ui' }))).json());
    expect(json.translations[0]!.text).toContain('menú Archivo');
    const events = (await collectEvents(await postJson(call, '/v1/translate/stream', request({ glossary: [entry('file menu', 'menú Archivo')] })))).map((e) => e.event);
    const done = events.find((e) => e.type === 'done');
    expect(done?.type === 'done' && done.text).toContain('menú Archivo');
  });
});

describe('alternatives', () => {
  it('refuses more alternatives than the beam, and more than the largest beam', async () => {
    await expectError(request({ alternatives: 4, beam_size: 2 }), 'invalid_request', /^options\.alternatives: 4 alternatives need a beam of at least 4, and beam_size is 2: raise beam_size or ask for fewer$/);
    await expectError(request({ alternatives: LIMITS.maxBeamSize + 1 }), 'invalid_request', /^options\.alternatives: /);
  });

  it('imply beam search: beam_size, else max(4, alternatives)', () => {
    expect([beamSize(undefined), beamSize({}), beamSize({ alternatives: 2 }), beamSize({ alternatives: 6 }), beamSize({ alternatives: 2, beam_size: 3 })]).toEqual([1, 1, 4, 6, 3]);
  });

  it("maps LibreTranslate's alternatives, which exclude translatedText, onto a beam that holds them all", async () => {
    const response = await postJson(call, '/translate', { q: 'Hello.', source: 'en', target: 'es', alternatives: LIMITS.maxBeamSize });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: string }).error).toMatch(/^alternatives: /);
  });
});

describe('confidence', () => {
  it('is a boolean', async () => {
    await expectError(request({ confidence: 'yes' }), 'invalid_request', /^options\.confidence: /);
  });

  it('answers every word of each translation with its probability, and the mean log-probability', async () => {
    const body = { text: ['Where is the library? It is near the old bridge.', 'Hello.'], source: 'en', target: 'es', options: { confidence: true } };
    const json = TranslateResponseSchema.parse(await (await postJson(call, '/v1/translate', body)).json());
    for (const translation of json.translations) {
      expect(translation.words!.map((w) => w.text)).toEqual(translation.text.match(/\S+/gu) ?? []);
      for (const word of translation.words!) expect(translation.text.slice(word.start, word.start + word.text.length)).toBe(word.text);
      expect(translation.mean_logprob).toBeLessThan(0);
    }
  });
});

describe('scores on the stream', () => {
  it('deltas carry the log-probability of their tokens; with EOS they make up the done\'s mean x tokens', async () => {
    const body = { text: 'Where is the library? It is near the old bridge.', source: 'en', target: 'es' };
    const events = (await collectEvents(await postJson(call, '/v1/translate/stream', body))).map((e) => e.event);
    const deltas = events.filter((e) => e.type === 'delta');
    const done = events.find((e) => e.type === 'done');
    if (done?.type !== 'done') throw new Error('no done event');
    const sentences = 2; // each ends with an EOS, which no delta holds (protocol's confidence.ts)
    const [logprob, tokens] = deltas.reduce(([l, t], e) => (e.type === 'delta' ? [l + e.logprob, t + e.tokens] : [l, t]), [0, 0]);
    expect(tokens).toBe(done.usage.output_tokens - sentences);
    const eos = done.mean_logprob * done.usage.output_tokens - logprob; // the two EOS tokens' log-probabilities
    expect(eos).toBeLessThanOrEqual(1e-9);
    expect(eos).toBeGreaterThan(-20);
    expect(deltas.some((e) => e.type === 'delta' && e.tokens === 0 && e.text === ' ')).toBe(true); // the space between sentences, copied
  });
});

describe('alternatives on success', () => {
  it('answers distinct whole-text alternatives, the first being the translation, scored per token', async () => {
    const body = { text: 'Where is the library? It is near the old bridge.', source: 'en', target: 'es', options: { alternatives: 3 } };
    const json = TranslateResponseSchema.parse(await (await postJson(call, '/v1/translate', body)).json());
    const [translation] = json.translations;
    const alternatives = translation!.alternatives!;
    expect(alternatives.length).toBeGreaterThanOrEqual(1);
    expect(alternatives.length).toBeLessThanOrEqual(3);
    expect(alternatives[0]!.text).toBe(translation!.text);
    expect(new Set(alternatives.map((a) => a.text)).size).toBe(alternatives.length);
    for (const a of alternatives) expect(a.score).toBeLessThan(0);
  });
});
