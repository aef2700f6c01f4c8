import { APIPromise } from './api-promise.ts';
import { APIConnectionError, APIError } from './errors.ts';
import { decodeEvents, TranslationStream, type OpenedStream, type TranslationStreamEvent } from './stream.ts';
import { Transport, type ClientOptions, type RequestOptions } from './transport.ts';
import type { DetectRequest, DetectResponse, LanguagesResponse, Model, ModelList, TranslateRequest, TranslateResponse } from './types.ts';

/** Arguments of `client.translate`: the request body without `stream`, which the SDK sets. */
export type TranslateParams = Omit<TranslateRequest, 'stream'>;

/**
 * `client.translate(params)` answers as JSON (`.withResponse()` adds the response and request id);
 * `client.translate.stream(params)` streams events.
 */
export interface Translate {
  (params: TranslateParams, options?: RequestOptions): APIPromise<TranslateResponse>;
  /** Streams the translation as Server-Sent Events; see {@link TranslationStream}. */
  stream(params: TranslateParams, options?: RequestOptions): TranslationStream;
}

/** `client.models`: the models the server can serve. */
export interface Models {
  /** `GET /v1/models`. */
  list(options?: RequestOptions): APIPromise<ModelList>;
  /** `GET /v1/models/{id}`; rejects with `NotFoundError` for an unknown id. */
  retrieve(id: string, options?: RequestOptions): APIPromise<Model>;
}

/** `client.languages`: the language pairs the server translates. */
export interface Languages {
  /** `GET /v1/languages`. */
  list(options?: RequestOptions): APIPromise<LanguagesResponse>;
}

/**
 * A client of the Attend translation API.
 *
 * ```ts
 * const client = new Client({ baseURL: 'https://attend.example.workers.dev', apiKey });
 * const { translations } = await client.translate({ text: 'Good morning', target: 'es' });
 * ```
 *
 * Without options it reads `ATTEND_BASE_URL` and `ATTEND_API_KEY` from the environment.
 */
export class Client {
  /** Translates one text or a batch; `.stream()` streams the result token by token. */
  readonly translate: Translate;
  /** Lists and looks up models. */
  readonly models: Models;
  /** Lists the language pairs. */
  readonly languages: Languages;
  /** `POST /v1/detect`: the language of each text, among those the server's models know. */
  readonly detect: (params: DetectRequest, options?: RequestOptions) => APIPromise<DetectResponse>;

  /**
   * Throws `AttendError` when neither `baseURL` nor `ATTEND_BASE_URL` gives an http(s) URL, or when
   * there is no `fetch` to use.
   */
  constructor(options: ClientOptions = {}) {
    const transport = new Transport(options);
    const call = <T>(method: 'GET' | 'POST', path: string, body: unknown, options: RequestOptions | undefined) =>
      new APIPromise(transport.json<T>(method, path, body, options));

    const translate = (params: TranslateParams, options?: RequestOptions) =>
      call<TranslateResponse>('POST', '/v1/translate', { ...params, stream: false }, options);
    translate.stream = (params: TranslateParams, options: RequestOptions = {}) =>
      new TranslationStream((signal) => openStream(transport, params, { ...options, signal }), options.signal);
    this.translate = translate;

    this.models = {
      list: (options) => call<ModelList>('GET', '/v1/models', undefined, options),
      retrieve: (id, options) => call<Model>('GET', `/v1/models/${encodeURIComponent(id)}`, undefined, options),
    };
    this.languages = {
      list: (options) => call<LanguagesResponse>('GET', '/v1/languages', undefined, options),
    };
    this.detect = (params, options) => call<DetectResponse>('POST', '/v1/detect', params, options);
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
    return { first, rest, release: attempt.release, response };
  });
}
