import type { GenerationEvent } from '@attend/decoding';
import { type Manifest, resolveConfig } from '@attend/model-spec';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { collectEvents } from '../../test/sse.ts';
import type { AppEnv } from '../app-env.ts';
import type { Translator } from '../inference/translator.ts';
import { planRequest } from '../translation/request-plan.ts';
import { streamTranslation } from './translate-stream.ts';

const manifest: Manifest = { format: 'attend-model/1', id: 'fake', source: 'en', target: 'es', created: '2026-01-01T00:00:00Z', files: [] };

/** A translator whose decoder emits two tokens and then fails, as a broken graph would mid-stream. */
function failingTranslator(): Translator {
  return {
    manifest,
    config: resolveConfig(),
    maxSourceTokens: 512,
    decoderSteps: 0,
    encode: () => [5, 1],
    decode: (ids) => ids.map((id) => (id === 7 ? 'Ho' : 'la')).join(''),
    async *generate(): AsyncGenerator<GenerationEvent, void, undefined> {
      yield { type: 'token', index: 0, tokenId: 7, delta: 'Ho', logProb: -0.5 };
      yield { type: 'token', index: 0, tokenId: 8, delta: 'la', logProb: -0.5 };
      throw new Error('failed to call OrtRun(): out of memory');
    },
    dispose: () => {},
  };
}

describe('streamTranslation', () => {
  it('turns a failure mid-stream into an `error` event and releases the model', async () => {
    let released = 0;
    const lease = { model: failingTranslator(), release: () => released++ };
    const options = { numBeams: 1, maxTokens: 8 };
    const app = new Hono<AppEnv>().get('/', (c) => streamTranslation(c, lease, planRequest(lease.model, ['Hello.'], options), options, { count: 1, answer: { confidence: false, alternatives: undefined } }));
    const events = (await collectEvents(await app.request('/'))).map((e) => e.event);
    expect(events).toEqual([
      { type: 'start', model: 'fake', source: 'en', target: 'es', count: 1 },
      { type: 'delta', index: 0, text: 'Ho', logprob: -0.5, tokens: 1 },
      { type: 'delta', index: 0, text: 'la', logprob: -0.5, tokens: 1 },
      { type: 'error', error: { type: 'internal_error', message: 'internal error; retry, and report the request id if it persists' } },
    ]);
    expect(released).toBe(1);
  });
});
