// The right-hand pane as a TranslationView: the output, its status line, the error banner and the
// Stop/Copy buttons. `data-state` on the output (idle | streaming | done | stopped | error) is the
// one place the page's state is written, for CSS and for the end-to-end test. Words the model doubts
// arrive underlined (`mark.doubtful`), and a legend under the output says what that means.
import type { DeltaEvent, TranslateParams, TranslateResponse } from '@attend/sdk';
import { doubtTitle, segments } from './doubtful-words.ts';
import { describeError } from './error-message.ts';
import type { TranslationView } from './live-translation.ts';

export interface PanelElements {
  readonly output: HTMLOutputElement;
  /** Shown once a word is underlined. */
  readonly legend: HTMLElement;
  readonly status: HTMLElement;
  readonly error: HTMLElement;
  readonly stop: HTMLButtonElement;
  readonly copy: HTMLButtonElement;
}

type State = 'idle' | 'streaming' | 'done' | 'stopped' | 'error';

export class TranslationPanel implements TranslationView {
  readonly #el: PanelElements;
  readonly #withKey: () => boolean;
  // Deltas are appended to the last text node: the output grows in place instead of being re-rendered.
  #text = new Text();

  /** `withKey` tells whether requests carry an API key, to word an authentication error. */
  constructor(elements: PanelElements, withKey: () => boolean) {
    this.#el = elements;
    this.#withKey = withKey;
  }

  started(request: TranslateParams): void {
    this.#el.output.lang = request.target; // read aloud in the target language's voice
    this.#text = new Text();
    this.#el.output.replaceChildren(this.#text);
    this.#el.legend.hidden = true;
    this.hideError();
    this.#set('streaming', 'Translating…');
  }

  delta(delta: DeltaEvent): void {
    for (const { text, doubtful } of segments(delta)) {
      if (doubtful === undefined) {
        this.#text.appendData(text);
        continue;
      }
      const mark = document.createElement('mark');
      mark.className = 'doubtful';
      mark.title = doubtTitle(doubtful);
      mark.textContent = text;
      this.#text = new Text();
      this.#el.output.append(mark, this.#text);
      this.#el.legend.hidden = false;
    }
  }

  done(answer: TranslateResponse): void {
    // The deltas add up to the final text (the protocol's promise); were it otherwise, the answer wins.
    const text = answer.translations[0]?.text ?? '';
    if (this.#el.output.textContent !== text) {
      this.#text = new Text(text);
      this.#el.output.replaceChildren(this.#text);
      this.#el.legend.hidden = true;
    }
    const tokens = answer.usage.output_tokens;
    this.#set('done', `Done: ${tokens} ${tokens === 1 ? 'token' : 'tokens'} from model ${answer.model}.`);
  }

  stopped(): void {
    this.#set('stopped', 'Stopped. Edit the text or press Translate to start again.');
  }

  failed(error: unknown, request: TranslateParams): void {
    const pair = request.source === undefined ? undefined : { source: request.source, target: request.target };
    this.showError(describeError(error, { pair, withKey: this.#withKey() }));
    this.#set('error', '');
  }

  /** Empties the pane, e.g. when the text to translate is cleared. */
  clear(): void {
    this.#text = new Text();
    this.#el.output.replaceChildren();
    this.#el.legend.hidden = true;
    this.hideError();
    this.#set('idle', '');
  }

  showError(message: string): void {
    this.#el.error.textContent = message;
    this.#el.error.hidden = false;
  }

  hideError(): void {
    this.#el.error.hidden = true;
    this.#el.error.textContent = '';
  }

  /** Copies the translation; says so, or says how to copy by hand where the Clipboard API is missing. */
  async copy(): Promise<void> {
    const text = this.#el.output.textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      this.#el.status.textContent = 'Copied to the clipboard.';
    } catch {
      this.showError('This browser did not allow copying. Select the translation and copy it by hand.');
    }
  }

  #set(state: State, status: string): void {
    const { output, stop, copy } = this.#el;
    output.dataset['state'] = state;
    // Screen readers announce the finished text once instead of every token.
    output.setAttribute('aria-busy', String(state === 'streaming'));
    this.#el.status.textContent = status;
    stop.disabled = state !== 'streaming';
    copy.disabled = state === 'streaming' || (output.textContent ?? '') === '';
  }
}
