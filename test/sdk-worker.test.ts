// The SDK and the CLI against the real worker: the wrangler.toml app running in workerd (started from
// Node by wrangler's test harness), its R2 bucket seeded with a tiny random-weight model exported by
// packages/onnx. Random weights translate to garbage, but every path (auth, R2, int8 sessions, SSE,
// errors) is the production one.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '@attend/model-spec';
import { exportModel } from '@attend/onnx';
import { randomWeights } from '@attend/onnx/testing';
import {
  APIUserAbortError,
  AuthenticationError,
  Client,
  NotFoundError,
  UnprocessableEntityError,
  type TranslationStreamEvent,
} from '@attend/sdk';
import { trainBpe } from '@attend/tokenizer';
import { createTestHarness, type TestHarness } from 'wrangler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const API_KEY = 'sdk-test-key-0123456789abcdef';
const MODEL = { id: 'en-es-sdk', source: 'en', target: 'es' } as const;
const CORPUS = [
  'Hello there. How are you today?',
  'The cat sleeps on the warm window sill.',
  'We will meet at the station tomorrow morning.',
  'Hola. ¿Cómo estás hoy?',
  'El gato duerme en el alféizar cálido de la ventana.',
  'Nos veremos en la estación mañana por la mañana.',
];

let harness: TestHarness;
let baseURL: string;
let client: Client;

beforeAll(async () => {
  const folder = await exportTinyModel();
  harness = createTestHarness({ root: ROOT, workers: [{ configPath: 'wrangler.toml', secrets: { API_KEYS: API_KEY } }] });
  baseURL = (await harness.listen()).url.href;
  const env = await harness.getWorker<{ MODELS: { put(key: string, value: Uint8Array): Promise<unknown> } }>().getEnv();
  for (const [path, bytes] of folder) await env.MODELS.put(`${MODEL.id}/${path}`, bytes);
  client = new Client({ baseURL, apiKey: API_KEY });
});

afterAll(async () => {
  await harness?.close();
});

describe('SDK against the worker', () => {
  it('lists the seeded model and its language pair', async () => {
    const { models } = await client.models.list();
    expect(models.map((m) => [m.id, m.source, m.target])).toEqual([[MODEL.id, 'en', 'es']]);
    expect(await client.models.retrieve(MODEL.id)).toMatchObject({ id: MODEL.id });
    expect((await client.languages.list()).pairs).toEqual([{ source: 'en', target: 'es', model: MODEL.id }]);
  });

  it('detects the language of each text among those the models know', async () => {
    const { detections } = await client.detect({ text: ['Where is the library? It is near the old bridge.', '¿Dónde está la biblioteca?'] });
    expect(detections.map((d) => d.language)).toEqual(['en', 'es']);
    for (const d of detections) expect(d.confidence).toBeGreaterThan(0.5);
  });

  it('streams, as deltas, the same greedy translations the JSON answer gives', async () => {
    const texts = ['Hello there.', 'The cat sleeps.'];
    const answer = await client.translate({ text: texts, target: 'es', options: { max_tokens: 12 } });
    expect(answer).toMatchObject({ model: MODEL.id, source: 'en', target: 'es' });
    expect(answer.translations).toHaveLength(2);

    const stream = client.translate.stream({ text: texts, target: 'es', options: { max_tokens: 12 } });
    const deltas = ['', ''];
    const seen: TranslationStreamEvent['type'][] = [];
    for await (const event of stream) {
      seen.push(event.type);
      if (event.type === 'delta') deltas[event.index] += event.text;
    }
    const streamed = await stream.finalResponse();
    expect(seen[0]).toBe('start');
    expect(seen.filter((t) => t === 'done')).toHaveLength(2);
    expect(streamed.translations.map((t) => t.text)).toEqual(deltas);
    expect(streamed).toEqual(answer);
  });

  it('reports confidence, alternatives and forced glossary terms through the typed client', async () => {
    const text = 'The cat sleeps.';
    const stream = client.translate.stream({ text, target: 'es', options: { max_tokens: 12 } });
    let logprob = 0;
    let tokens = 0;
    for await (const event of stream) {
      if (event.type !== 'delta') continue;
      expect(event.logprob).toBeLessThanOrEqual(0);
      logprob += event.logprob;
      tokens += event.tokens;
    }
    const [streamed] = (await stream.finalResponse()).translations;
    // The deltas hold every token but EOS, whose log-probability is what the mean adds beyond them.
    expect(tokens).toBe(streamed!.usage.output_tokens - 1);
    expect(streamed!.mean_logprob).toBeTypeOf('number');
    expect(streamed!.mean_logprob! * streamed!.usage.output_tokens).toBeLessThanOrEqual(logprob + 1e-9);

    const options = { max_tokens: 12, confidence: true, alternatives: 2, glossary: [{ source: 'cat', target: 'gato' }] };
    const [judged] = (await client.translate({ text, target: 'es', options })).translations;
    expect(judged!.text).toContain('gato');
    expect(judged!.words!.map((w) => w.text).join(' ')).toBe(judged!.text.split(/\s+/).filter(Boolean).join(' '));
    for (const word of judged!.words!) expect(word.confidence).toBeGreaterThanOrEqual(0);
    expect(judged!.alternatives!.length).toBeGreaterThanOrEqual(1);
    expect(judged!.alternatives![0]!.text).toBe(judged!.text);
    await expect(client.translate({ text, target: 'es', options: { glossary: [{ source: '', target: 'x' }] } })).rejects.toBeInstanceOf(UnprocessableEntityError);
  });

  it('aborts a stream left early, and the worker keeps serving', async () => {
    const stream = client.translate.stream({ text: 'We will meet at the station.', target: 'es' });
    for await (const event of stream) if (event.type === 'delta') break;
    await expect(stream.finalText()).rejects.toBeInstanceOf(APIUserAbortError);
    const again = await client.translate({ text: 'Hello there.', target: 'es', options: { max_tokens: 4 } });
    expect(again.translations).toHaveLength(1);
  });

  it('maps the worker errors to typed errors with a request id', async () => {
    const anonymous = new Client({ baseURL, maxRetries: 0, apiKey: null }); // not ATTEND_API_KEY from the shell
    const denied = await anonymous.translate({ text: 'Hello', target: 'es' }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AuthenticationError);
    expect(denied).toMatchObject({ status: 401, type: 'authentication_error' });
    expect((denied as AuthenticationError).requestID).toBeTruthy();

    await expect(client.translate({ text: 'Hello', target: 'fr' })).rejects.toMatchObject({
      constructor: NotFoundError,
      type: 'unsupported_language_pair',
    });
    await expect(client.translate({ text: 'Hello', target: 'es', options: { beam_size: 99 } })).rejects.toMatchObject({
      constructor: UnprocessableEntityError,
      type: 'invalid_request',
    });
  });
});

describe('translate CLI against the worker', () => {
  /** Runs the CLI with `args`, `stdin` as its input; its exit code and stdout. */
  async function cli(args: readonly string[], stdin: string): Promise<{ code: unknown; stdout: string }> {
    const bin = join(ROOT, 'apps/cli/src/bin.ts');
    const env = { ...process.env, ATTEND_URL: baseURL, ATTEND_API_KEY: API_KEY };
    const child = spawn(process.execPath, [bin, ...args], { env });
    child.stdin.end(stdin);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    return { code, stdout };
  }

  it('prints the streamed translation of stdin', async () => {
    const expected = await client.translate({ text: 'Hello there.', target: 'es' });
    expect(await cli(['--to', 'es'], 'Hello there.\n')).toEqual({ code: 0, stdout: `${expected.translations[0]?.text}\n` });
  });

  it('sends --confidence, --alternatives and a --glossary file, and prints the answer as JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attend-cli-glossary-'));
    try {
      const glossary = join(dir, 'terms.tsv');
      await writeFile(glossary, 'station\testación\n');
      const text = 'We will meet at the station.';
      const options = { max_tokens: 16, confidence: true, alternatives: 2, glossary: [{ source: 'station', target: 'estación' }] };
      const expected = await client.translate({ text, target: 'es', options });
      const { code, stdout } = await cli(['--to', 'es', '--json', '--confidence', '--alternatives', '2', '--max-tokens', '16', '--glossary', glossary], `${text}\n`);
      expect(code).toBe(0);
      const answer = JSON.parse(stdout) as typeof expected;
      expect(answer.translations).toEqual(expected.translations);
      expect(answer.translations[0]?.text).toContain('estación');
      expect(answer.translations[0]?.words?.length).toBeGreaterThan(0);
      expect(answer.translations[0]?.alternatives?.length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Exports a 2+2-layer d_model 32 model with seeded random weights; returns path -> bytes. */
async function exportTinyModel(): Promise<Map<string, Uint8Array>> {
  const tokenizer = await trainBpe(CORPUS, { vocabSize: 400, minFrequency: 1 });
  const config = resolveConfig({ vocabSize: tokenizer.vocabSize, dModel: 32, heads: 4, dFF: 64, encoderLayers: 2, decoderLayers: 2, maxPositions: 48 });
  const outDir = await mkdtemp(join(tmpdir(), 'attend-sdk-'));
  try {
    await exportModel({
      config,
      weights: randomWeights(config, 11),
      tokenizerJson: tokenizer.toJSON(),
      tokenizerConfig: tokenizer.tokenizerConfig(),
      outDir,
      ...MODEL,
      keepFp32: false,
    });
    const files = new Map<string, Uint8Array>();
    for (const entry of await readdir(outDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const full = join(entry.parentPath, entry.name);
      files.set(relative(outDir, full).split('\\').join('/'), await readFile(full));
    }
    return files;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}


describe('a client generated from /openapi.json (openapi-typescript + openapi-fetch)', () => {
  it('type-checks under --strict and translates through the worker', async () => {
    const spec = (await (await fetch(new URL('openapi.json', baseURL))).json()) as { servers?: { url: string }[] };
    expect(spec.servers?.[0]?.url).toBe(new URL(baseURL).origin);
    // inside test/, so that openapi-fetch and its types resolve from this workspace
    const dir = await mkdtemp(join(ROOT, 'test', '.openapi-client-'));
    try {
      const { default: openapiTS, astToString } = await import('openapi-typescript');
      await writeFile(join(dir, 'api.d.ts'), astToString(await openapiTS(spec as never)));
      await writeFile(join(dir, 'call.ts'), GENERATED_CLIENT_CALL);
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const check = spawnSync(process.execPath, [tsc, '--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', join(dir, 'call.ts')], { encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'call.ts')], { encoding: 'utf8', env: { ...process.env, BASE_URL: new URL(baseURL).origin, KEY: API_KEY } });
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ finishReason: expect.stringMatching(/^(stop|length)$/), status: 'ok', missingKey: 401 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// What a user of openapi-fetch writes: `data` is the JSON answer's type, `error` the error body's.
const GENERATED_CLIENT_CALL = `import createClient from 'openapi-fetch';
import type { paths } from './api.d.ts';

const client = createClient<paths>({ baseUrl: process.env.BASE_URL, headers: { Authorization: \`Bearer \${process.env.KEY}\` } });
const { data, error } = await client.POST('/v1/translate', { body: { text: 'Hello there.', target: 'es', options: { max_tokens: 8 } } });
if (error) throw new Error(error.error.message);
const text: string = data.translations[0]!.text;
const finishReason: 'stop' | 'length' = data.translations[0]!.finish_reason;
const health = await client.GET('/health');
const anonymous = await createClient<paths>({ baseUrl: process.env.BASE_URL }).POST('/v1/translate', { body: { text: 'Hi.', target: 'es' } });
console.log(JSON.stringify({ text, finishReason, status: health.data?.status, missingKey: anonymous.response.status }));
`;
