import { StreamEventSchema, TranslateResponseSchema, wordConfidences } from '@attend/protocol';
import { describe, expect, it } from 'vitest';
import { Client } from './client.ts';
import { deltaConfidence, isDoubtful } from './confidence.ts';
import { fakeFetch, sseBody, sseEvent, sseResponse } from './test-support.ts';
import { CONFIDENCE, type DeltaEvent, type StreamEvent } from './types.ts';

const usage = { input_tokens: 4, output_tokens: 5 };
// A stream as the protocol defines it once decoding reports log-probabilities (checked below).
const EVENTS: StreamEvent[] = [
  { type: 'start', model: 'en-es', source: 'en', target: 'es', count: 1 },
  { type: 'delta', index: 0, text: 'Abre', logprob: Math.log(0.9), tokens: 2 },
  { type: 'delta', index: 0, text: ' el', logprob: Math.log(0.8), tokens: 1 },
  { type: 'delta', index: 0, text: ' fichero.', logprob: Math.log(0.05), tokens: 2 },
  {
    type: 'done',
    index: 0,
    text: 'Abre el fichero.',
    usage,
    finish_reason: 'stop',
    mean_logprob: -0.7,
    words: [
      { text: 'Abre', start: 0, confidence: 0.9 },
      { text: 'el', start: 5, confidence: 0.8 },
      { text: 'fichero.', start: 8, confidence: 0.05 },
    ],
    alternatives: [{ text: 'Abre el fichero.', score: -0.7 }, { text: 'Abra el archivo.', score: -0.9 }],
  },
];

describe('confidence in a stream', () => {
  it('is what the protocol defines', () => {
    for (const event of EVENTS) expect(StreamEventSchema.parse(event)).toEqual(event);
  });

  it("tells doubtful deltas, agreeing with the server's words", () => {
    const deltas = EVENTS.filter((e): e is DeltaEvent => e.type === 'delta');
    expect(deltas.map((d) => isDoubtful(deltaConfidence(d)))).toEqual([false, false, true]);
    const words = wordConfidences(deltas.map((d) => ({ text: d.text, logprob: d.logprob!, tokens: d.tokens! })));
    expect(words.map((w) => isDoubtful(w.confidence))).toEqual([false, false, true]);
    expect(isDoubtful(deltaConfidence({ type: 'delta', index: 0, text: ' ', logprob: 0, tokens: 0 }))).toBe(false); // copied text, no token wrote it
    expect(isDoubtful(CONFIDENCE.doubtfulBelow)).toBe(false);
  });

  it('keeps mean_logprob, words and alternatives in the final response, as the JSON answer has them', async () => {
    const { fetch } = fakeFetch([() => sseResponse(sseBody(EVENTS.map((e) => sseEvent({ ...e }))).body)]);
    const client = new Client({ baseURL: 'http://x', fetch });
    const answer = await client.translate.stream({ text: 'Open the file.', target: 'es', options: { confidence: true, alternatives: 2 } }).finalResponse();
    const { type: _, index: __, ...translation } = EVENTS[4] as Extract<StreamEvent, { type: 'done' }>;
    expect(answer).toEqual({ translations: [translation], model: 'en-es', source: 'en', target: 'es', usage });
    expect(TranslateResponseSchema.parse(answer)).toEqual(answer);
  });
});
