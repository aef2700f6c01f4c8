// The promise of a non-streamed call, as in openai-node and anthropic-sdk-typescript: await it for the
// parsed answer, or ask `.withResponse()` for the answer with its HTTP response and request id.

/** A parsed answer and the response it came in. */
export interface Answered<T> {
  readonly data: T;
  readonly response: Response;
}

/** What `.withResponse()` resolves to. */
export interface WithResponse<T> {
  /** The parsed answer, as awaiting the call gives it. */
  data: T;
  /** The HTTP response; its body has been read. */
  response: Response;
  /** The server's request id (`x-request-id` header), or null; quote it when reporting a problem. */
  request_id: string | null;
}

/**
 * `await client.translate(...)` gives the answer; `await client.translate(...).withResponse()` gives
 * `{ data, response, request_id }`. The request is sent at once either way.
 */
export class APIPromise<T> extends Promise<T> {
  readonly #answered: Promise<Answered<T>>;

  constructor(answered: Promise<Answered<T>>) {
    // The base promise is never read: `then`, `catch` and `finally` all go through #answered.
    super((resolve) => resolve(undefined as T));
    this.#answered = answered;
  }

  /** The answer with the HTTP response and the request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#answered.then(({ data, response }) => ({ data, response, request_id: response.headers.get('x-request-id') }));
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#answered.then(({ data }) => data).then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  // Overridden too: Promise.prototype.finally would build its result with this class's constructor.
  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }
}
