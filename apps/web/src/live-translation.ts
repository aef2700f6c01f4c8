// One translation on screen at a time: a new request (typed or submitted) aborts the one streaming,
// and only the newest stream may write to the view, so a late event of an aborted stream never mixes
// into the text shown.
import { APIUserAbortError, type Client, type DeltaEvent, type TranslateParams, type TranslateResponse, type TranslationStream } from '@attend/sdk';

/** Where the translation goes; the page's DOM, or a recorder in a test. */
export interface TranslationView {
  started(request: TranslateParams): void;
  delta(delta: DeltaEvent): void;
  done(answer: TranslateResponse): void;
  stopped(): void;
  failed(error: unknown, request: TranslateParams): void;
}

// Long enough to wait out a word being typed, short enough to feel live.
const TYPING_PAUSE_MS = 450;

export class LiveTranslation {
  readonly #client: () => Client;
  readonly #view: TranslationView;
  #stream: TranslationStream | undefined;
  #pending: ReturnType<typeof setTimeout> | undefined;
  #lastKey = '';

  /** `client` is asked for at each request, so that a changed API key applies at once. */
  constructor(client: () => Client, view: TranslationView) {
    this.#client = client;
    this.#view = view;
  }

  /** True while a translation is streaming in. */
  get streaming(): boolean {
    return this.#stream !== undefined;
  }

  /** Translates once typing pauses; nothing happens if the request is the one last sent. */
  schedule(request: TranslateParams): void {
    clearTimeout(this.#pending);
    this.#pending = setTimeout(() => {
      if (keyOf(request) !== this.#lastKey) void this.run(request);
    }, TYPING_PAUSE_MS);
  }

  /** Translates now, aborting any translation under way. */
  async run(request: TranslateParams): Promise<void> {
    clearTimeout(this.#pending);
    this.#stream?.abort();
    this.#lastKey = keyOf(request);
    const stream = this.#client().translate.stream(request);
    this.#stream = stream;
    this.#view.started(request);
    try {
      for await (const event of stream) {
        if (this.#stream !== stream) return; // superseded: the newer stream owns the view
        if (event.type === 'delta') this.#view.delta(event);
      }
      const answer = await stream.finalResponse();
      if (this.#stream === stream) this.#view.done(answer);
    } catch (error) {
      if (this.#stream !== stream) return;
      this.#lastKey = ''; // a failed or stopped request may be sent again as is
      if (error instanceof APIUserAbortError) this.#view.stopped();
      else this.#view.failed(error, request);
    } finally {
      if (this.#stream === stream) this.#stream = undefined;
    }
  }

  /** Stops the translation under way, and any that was about to start. */
  stop(): void {
    clearTimeout(this.#pending);
    this.#stream?.abort();
  }

  /** Cancels silently (the view hears nothing more) and forgets the last request, e.g. when the text is cleared. */
  reset(): void {
    clearTimeout(this.#pending);
    const stream = this.#stream;
    this.#stream = undefined;
    stream?.abort();
    this.#lastKey = '';
  }
}

function keyOf(request: TranslateParams): string {
  return JSON.stringify([request.source, request.target, request.text]);
}
