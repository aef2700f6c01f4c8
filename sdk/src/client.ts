import { APIConnectionError, APIError } from './errors.ts';
import { decodeEvents, TranslationStream, type OpenedStream, type TranslationStreamEvent } from './stream.ts';
import { Transport, type ClientOptions, type RequestOptions } from './transport.ts';
import type { LanguagesResponse, Model, ModelList, TranslateRequest, TranslateResponse } from './types.ts';

/** Arguments of `client.translate`: the request body without `stream`, which the SDK sets. */
export type TranslateParams = Omit<TranslateRequest, 'stream'>;

/** `client.translate(params)` answers as JSON; `client.translate.stream(params)` streams events. */
export interface Translate {
  (params: TranslateParams, options?: RequestOptions): Promise<TranslateResponse>;
  /** Streams the translation as Server-Sent Events; see {@link TranslationStream}. */
  stream(params: TranslateParams, options?: RequestOptions): TranslationStream;
}

/** `client.models`: the models the server can serve. */
export interface Models {
  /** `GET /v1/models`. */
  list(options?: RequestOptions): Promise<ModelList>;
  /** `GET /v1/models/{id}`; rejects with `NotFoundError` for an unknown id. */
  retrieve(id: string, options?: RequestOptions): Promise<Model>;
}

/** `client.languages`: the language pairs the server translates. */
export interface Languages {
  /** `GET /v1/languages`. */
  list(options?: RequestOptions): Promise<LanguagesResponse>;
}

/**
 * A client of the Attend translation API.
 *
 * ```ts
 * const client = new Client({ baseURL: 'https://attend.example.workers.dev', apiKey });
 * const { translations } = await client.translate({ text: 'Good morning', target: 'es' });
 * ```
 */
export class Client {
  /** Translates one text or a batch; `.stream()` streams the result token by token. */
  readonly translate: Translate;
  /** Lists and looks up models. */
  readonly models: Models;
  /** Lists the language pairs. */
  readonly languages: Languages;

  /** Throws `AttendError` when `baseURL` is missing, or when there is no `fetch` to use. */
  constructor(options: ClientOptions) {
    const transport = new Transport(options);

    const translate = (params: TranslateParams, options?: RequestOptions) =>
      transport.json<TranslateResponse>('POST', '/v1/translate', { ...params, stream: false }, options);
    translate.stream = (params: TranslateParams, options: RequestOptions = {}) =>
      new TranslationStream((signal) => openStream(transport, params, { ...options, signal }), options.signal);
    this.translate = translate;

    this.models = {
      list: (options) => transport.json<ModelList>('GET', '/v1/models', undefined, options),
      retrieve: (id, options) =>
        transport.json<Model>('GET', `/v1/models/${encodeURIComponent(id)}`, undefined, options),
    };
    this.languages = {
      list: (options) => transport.json<LanguagesResponse>('GET', '/v1/languages', undefined, options),
    };
  }
}

// Everything up to the first event is one retryable attempt; after it, a failure is the caller's to
// handle, since replaying would repeat text already shown.
function openStream(transport: Transport, params: TranslateParams, options: RequestOptions): Promise<OpenedStream> {
  return transport.retrying(options, async () => {
    const attempt = await transport.attempt('POST', '/v1/translate', { ...params, stream: true }, 'text/event-stream', options);
    const { response, fail } = attempt;
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream')) {
      attempt.release();
      await response.body?.cancel().catch(() => undefined);
      const message = `Expected an event stream from POST /v1/translate, got \`${type || 'no content-type'}\`; is baseURL an Attend server?`;
      throw new APIError(response.status, undefined, message, response.headers);
    }
    if (!response.body) {
      attempt.release();
      throw new APIConnectionError('The response to a stream request had no body.');
    }
    const rest = decodeEvents(response.body, response.headers, fail);
    let first: IteratorResult<TranslationStreamEvent>;
    try {
      first = await rest.next();
    } catch (error) {
      attempt.release();
      throw error;
    }
    if (first.done) {
      attempt.release();
      throw new APIConnectionError('The stream ended before its first event.');
    }
    attempt.stopTimer();
    return { first, rest, release: attempt.release };
  });
}
