// The scheduler in workerd: real requests (each its own request context, through the worker's default
// export) decoding at once on the exported test model.
import { createOnnxSeq2Seq, generate } from '@attend/decoding';
import { fromMarianConfig, MODEL_FILES, SERVING_FILES } from '@attend/model-spec';
import type { StreamEvent } from '@attend/protocol';
import { Tokenizer } from '@attend/tokenizer';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { client, isolatedEnv, postJson } from '../../test/app-client.ts';
import { clearBucket, seedModel } from '../../test/seed-r2.ts';
import { readEvents } from '../../test/sse.ts';
import { TEST_MODEL, seedTestModel, testModelFiles } from '../../test/test-model.ts';
import { CpuAccount } from './cpu-account.ts';
import { isolateRows } from './isolate-rows.ts';
import { createSession, makeTensor, runSession } from './onnx-runtime.ts';
import { scriptedRowsTranslator } from './scripted-rows.ts';

const TEXTS = [
  'Hello there.',
  'We will meet at the station tomorrow morning.',
  'Where is the library? It is near the old bridge.',
  'The cat sleeps on the warm window sill.',
  'I think he may try to take it for himself.',
  'How are you today?',
];
const WITHOUT_SERVING_GRAPHS = 'en-es-hf-only';

function request(body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ target: 'es', ...body }), signal };
  return exports.default.fetch(new Request('https://attend.test/v1/translate', init));
}

/** The streamed translation of one text: its `done` event, after checking that no `error` came. */
async function streamed(body: Record<string, unknown>, send: (body: Record<string, unknown>) => Promise<Response> = request): Promise<Extract<StreamEvent, { type: 'done' }>> {
  const response = await send({ ...body, stream: true });
  let done: StreamEvent | undefined;
  for await (const { event } of readEvents(response.body!)) {
    expect(event.type).not.toBe('error');
    if (event.type === 'done') done = event;
  }
  if (done?.type !== 'done') throw new Error('no done event');
  return done;
}

beforeAll(async () => {
  await clearBucket(env.MODELS);
  await seedTestModel(env.MODELS);
  const files = Object.entries(testModelFiles()).filter(([path]) => path !== 'manifest.json' && !Object.values<string>(SERVING_FILES).includes(path));
  await seedModel(env.MODELS, WITHOUT_SERVING_GRAPHS, { source: 'en', target: 'es' }, Object.fromEntries(files));
});

describe('decoding scheduler in workerd', () => {
  it('decodes concurrent requests, streamed and JSON, together; each gets the translation it gets alone', async () => {
    const options = { max_tokens: 24 };
    const alone = [];
    for (const text of TEXTS) alone.push(await streamed({ text, model: TEST_MODEL.id, options }));
    const streams = TEXTS.map((text) => streamed({ text, model: TEST_MODEL.id, options }));
    const json = TEXTS.map(async (text) => {
      const response = await request({ text: `${text} `, model: TEST_MODEL.id, options }); // a trailing space: not a cached answer
      expect(response.status).toBe(200);
      return ((await response.json()) as { translations: [{ text: string }] }).translations[0].text.trimEnd();
    });
    const [together, answers] = await Promise.all([Promise.all(streams), Promise.all(json)]);
    expect(together.map((d) => d.text)).toEqual(alone.map((d) => d.text));
    expect(answers).toEqual(alone.map((d) => d.text));
    expect(new Set(alone.map((d) => d.text)).size).toBeGreaterThan(1);
    expect(isolateRows.rows).toBe(0);
  });

  it('ends the request whose client goes away; the others finish', async () => {
    const client = new AbortController();
    const leaving = request({ text: TEXTS[1], model: TEST_MODEL.id, stream: true, options: { max_tokens: 48 } }, client.signal);
    const staying = TEXTS.map((text) => streamed({ text, model: TEST_MODEL.id, options: { max_tokens: 48 } }));
    const reader = (await leaving).body!.getReader();
    await reader.read();
    client.abort();
    await reader.cancel().catch(() => {});
    expect((await Promise.all(staying)).every((d) => d.text.length > 0)).toBe(true);
    for (let i = 0; i < 100 && isolateRows.rows > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(isolateRows.rows).toBe(0);
  });

  it('serves a folder without serving graphs from the Hugging Face graphs, one row per run, as generate decodes them', async () => {
    const files = testModelFiles();
    const [encoder, decoder] = await Promise.all([createSession(files[MODEL_FILES.encoderQuantized]!), createSession(files[MODEL_FILES.decoderQuantized]!)]);
    const config = fromMarianConfig(JSON.parse(new TextDecoder().decode(files[MODEL_FILES.config])));
    const tokenizer = Tokenizer.fromJSON(JSON.parse(new TextDecoder().decode(files[MODEL_FILES.tokenizer])));
    const model = createOnnxSeq2Seq({ runEncoder: (f, o) => runSession(encoder, f, o), runDecoder: (f, o) => runSession(decoder, f, o), makeTensor, config });
    // A fresh ModelStore: the worker's own may hold a listing from before this folder was seeded.
    const call = client(isolatedEnv());
    const send = (body: Record<string, unknown>) => postJson(call, '/v1/translate', { target: 'es', ...body });
    for (const beam_size of [1, 3]) {
      const sentences = TEXTS.filter((text) => !text.includes('? ')); // one sentence each: the worker decodes sentences
      const served = await Promise.all(sentences.map((text) => streamed({ text, model: WITHOUT_SERVING_GRAPHS, options: { max_tokens: 20, beam_size } }, send)));
      for (const [i, text] of sentences.entries()) {
        const sources = [tokenizer.encode(text, { addEos: true })];
        const { translations } = await generate(model, sources, { decode: (ids) => tokenizer.decode(ids), numBeams: beam_size, maxTokens: 20 });
        expect(served[i]!.text).toBe(translations[0]!.text);
      }
    }
  });
});

describe('StepDriver', () => {
  it('runs a tick only once every request decoding has taken the last one\'s tokens: streams get each token as it is made', async () => {
    const translator = scriptedRowsTranslator({ tokens: 20, stepMs: 1 });
    const source = [...new Array<number>(10).fill(3), 1]; // a length limit of 30: each row ends at EOS, token 21
    const lags: number[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        let tokens = 0;
        for await (const event of translator.generate([source], { numBeams: 1, maxTokens: 40, account: new CpuAccount(Number.POSITIVE_INFINITY) })) {
          if (event.type !== 'token') continue;
          tokens++;
          lags.push(translator.decoderSteps - tokens); // decoder runs made beyond this request's tokens so far
        }
        expect(tokens).toBe(21);
      }),
    );
    expect(Math.max(...translator.runs.map((run) => run.length))).toBe(4);
    // Tokens a request got only after a later decoder run: 5-6% here, 46-48% when any request could run the
    // next tick before the others had taken theirs (they then came in bursts).
    expect(lags.filter((lag) => lag > 0).length).toBeLessThan(lags.length / 5);
  });


  it('spreads the time of shared steps over the requests by their rows: each runs about its share', async () => {
    const translator = scriptedRowsTranslator({ tokens: 60, stepMs: 1 });
    const source = [...new Array<number>(30).fill(5), 1];
    const rows = [4, 1, 1]; // sources per request: the first owes 4/6 of every step
    const accounts = rows.map(() => new CpuAccount(Number.POSITIVE_INFINITY));
    await Promise.all(
      accounts.map(async (account, i) => {
        const sources = new Array<number[]>(rows[i]!).fill(source);
        for await (const _ of translator.generate(sources, { numBeams: 1, maxTokens: 64, account })) {
          // each request reads its own events
        }
      }),
    );
    expect(Math.max(...translator.runs.map((run) => run.length))).toBe(6);
    const total = accounts.reduce((sum, a) => sum + a.owedMs, 0);
    const tickMs = total / translator.runs.length;
    accounts.forEach((account, i) => {
      expect(account.owedMs / total).toBeCloseTo(rows[i]! / 6, 1);
      expect(Math.abs(account.balanceMs)).toBeLessThan(3 * tickMs); // it ran ticks worth what it owes, within a few
    });
  });
});
