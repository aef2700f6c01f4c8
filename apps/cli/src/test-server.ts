// A tiny in-process server that speaks the HTTP API (JSON and SSE) with a word-for-word "model",
// so that the CLI is tested over real HTTP without the worker. It reports confidence as the protocol
// defines it (a known word has probability 0.9, an unknown one 0.05), n-best lists, and applies
// glossaries word for word.
import type { ErrorBody, GlossaryEntry, StreamEvent, Translation, TranslateRequest, TranslateResponse } from '@attend/sdk';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const WORDS: Record<string, string> = { good: 'buenos', morning: 'días', hello: 'hola', world: 'mundo', night: 'noches' };

/** A glossary uploaded to the fake server, by name. */
const GLOSSARIES: Record<string, GlossaryEntry[]> = { ui: [{ source: 'world', target: 'orbe' }] };

/** The fake model: word for word, unknown words in brackets; glossary terms (one word each) win. */
export function fakeTranslate(text: string, glossary: readonly GlossaryEntry[] = []): string[] {
  const forced = (w: string) => glossary.find((e) => e.source.toLowerCase() === w.toLowerCase())?.target;
  return text.split(' ').map((w, i) => `${i > 0 ? ' ' : ''}${forced(w) ?? WORDS[w.toLowerCase()] ?? `[${w}]`}`);
}

/** The log-probability of a piece: unknown words (in brackets) are doubtful. */
const logprob = (piece: string) => Math.log(piece.includes('[') ? 0.05 : 0.9);

function translation(text: string, options: TranslateRequest['options'], glossary: readonly GlossaryEntry[]): Translation {
  const pieces = fakeTranslate(text, glossary);
  const out = pieces.join('');
  const mean_logprob = pieces.reduce((sum, p) => sum + logprob(p), 0) / pieces.length;
  let start = 0;
  const words = pieces.map((p) => {
    const word = { text: p.trim(), start: start + (p.startsWith(' ') ? 1 : 0), confidence: Math.exp(logprob(p)) };
    start += p.length;
    return word;
  });
  const alternatives = Array.from({ length: options?.alternatives ?? 0 }, (_, k) => ({ text: k === 0 ? out : `${out} (${k + 1})`, score: mean_logprob - k / 10 }));
  return {
    text: out,
    usage: usage(text),
    finish_reason: 'stop',
    mean_logprob,
    ...(options?.confidence && { words }),
    ...(alternatives.length > 0 && { alternatives }),
  };
}

export interface TestServer {
  readonly url: string;
  /** Bodies of the translate requests received, with their authorization header. */
  readonly requests: Array<{ body: TranslateRequest; authorization: string | undefined }>;
  close(): Promise<void>;
}

const usage = (text: string) => ({ input_tokens: text.split(' ').length, output_tokens: fakeTranslate(text).length });

/**
 * Listens on 127.0.0.1 at a random port. With `apiKey`, requests without that bearer key get a 401.
 * A text containing `FAIL_MIDSTREAM` makes the stream end with an `error` event; one containing
 * `HANG` makes it stop after `start` and stay open.
 */
export async function startTestServer(options: { apiKey?: string } = {}): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => fail(res, 500, 'internal_error', String(error)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return fail(res, 401, 'authentication_error', 'missing API key: send the header `Authorization: Bearer <key>`');
    }
    if (req.method === 'GET' && req.url === '/v1/languages') {
      return send(res, 200, { languages: ['en', 'es'], pairs: [{ source: 'en', target: 'es', model: 'en-es' }] });
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      const model = { id: 'en-es', source: 'en', target: 'es', created: '2026-11-24T00:00:00Z', size_bytes: 5_200_000, loaded: true };
      return send(res, 200, { models: [model] });
    }
    if (req.method !== 'POST' || req.url !== '/v1/translate') return fail(res, 404, 'not_found', `no route ${req.method} ${req.url}`);
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as TranslateRequest;
    requests.push({ body, authorization: req.headers.authorization });
    if (body.target !== 'es') {
      return fail(res, 404, 'unsupported_language_pair', `no model translates en -> ${body.target}; see GET /v1/languages`);
    }
    if (body.model !== undefined && body.model !== 'en-es') return fail(res, 404, 'not_found', `no model ${body.model}`);
    const texts = typeof body.text === 'string' ? [body.text] : body.text;
    const glossaryId = body.options?.glossary_id;
    if (glossaryId !== undefined && !GLOSSARIES[glossaryId]) return fail(res, 404, 'not_found', `options.glossary_id: no glossary "${glossaryId}" for en->es`);
    const glossary = glossaryId !== undefined ? GLOSSARIES[glossaryId]! : (body.options?.glossary ?? []);
    if (!body.stream) {
      const translations = texts.map((t) => translation(t, body.options, glossary));
      const total = { input_tokens: 0, output_tokens: 0 };
      for (const t of translations) {
        total.input_tokens += t.usage.input_tokens;
        total.output_tokens += t.usage.output_tokens;
      }
      const answer: TranslateResponse = { translations, model: 'en-es', source: 'en', target: 'es', usage: total };
      return send(res, 200, answer, { 'x-request-id': 'req_json' });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_sse' });
    const event = (e: StreamEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    event({ type: 'start', model: 'en-es', source: 'en', target: 'es', count: texts.length });
    // A stream that never ends, until the client goes away: for interrupting a request in flight.
    if (texts.some((t) => t.includes('HANG'))) return;
    for (const [index, text] of texts.entries()) {
      const pieces = fakeTranslate(text, glossary);
      for (const piece of pieces) event({ type: 'delta', index, text: piece, logprob: logprob(piece), tokens: 1 });
      if (text.includes('FAIL_MIDSTREAM')) {
        event({ type: 'error', error: { type: 'internal_error', message: 'the decoder failed' } });
        return void res.end();
      }
      const done = translation(text, body.options, glossary);
      event({ type: 'done', index, ...done, mean_logprob: done.mean_logprob ?? 0 });
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, type: ErrorBody['error']['type'], message: string): void {
  send(res, status, { error: { type, message } }, { 'x-request-id': 'req_err' });
}
