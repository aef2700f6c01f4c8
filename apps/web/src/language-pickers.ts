// The From/To pickers, filled from the server's language pairs (`GET /v1/languages`): the From list
// holds every source, the To list only the targets some model serves from the chosen source, so the
// page never offers a pair that cannot be translated.
import type { LanguagePair } from '@attend/sdk';

export interface Pair {
  readonly source: string;
  readonly target: string;
}

/** "Spanish" for `es`, in the reader's language; the code itself where the browser has no name. */
export function languageName(code: string): string {
  try {
    const names = new Intl.DisplayNames([...navigator.languages, 'en'], { type: 'language', fallback: 'code' });
    return names.of(code) ?? code;
  } catch {
    return code; // a code Intl rejects as malformed, e.g. from a custom model id
  }
}

export class LanguagePickers {
  readonly #source: HTMLSelectElement;
  readonly #target: HTMLSelectElement;
  #pairs: readonly LanguagePair[] = [];
  #lastChosen: Pair | undefined; // survives a clear, so that a reload of the list keeps the reader's pair

  constructor(source: HTMLSelectElement, target: HTMLSelectElement) {
    this.#source = source;
    this.#target = target;
    source.addEventListener('change', () => this.#fillTargets());
  }

  /** The chosen pair, or undefined while there is none to choose. */
  get value(): Pair | undefined {
    const { value: source } = this.#source;
    const { value: target } = this.#target;
    return this.#pairs.some((p) => p.source === source && p.target === target) ? { source, target } : undefined;
  }

  /** Replaces the choices; keeps the current pair when it is still served. */
  fill(pairs: readonly LanguagePair[]): void {
    if (pairs.length === 0) return this.clear('None');
    const previous = this.value ?? this.#lastChosen;
    this.#pairs = pairs;
    replaceOptions(this.#source, unique(pairs.map((p) => p.source)), previous?.source);
    this.#fillTargets(previous?.target);
    this.#source.disabled = this.#target.disabled = false;
  }

  /** Disables both pickers with a one-word placeholder, e.g. while the list cannot be loaded. */
  clear(placeholder: string): void {
    this.#lastChosen = this.value ?? this.#lastChosen;
    this.#pairs = [];
    for (const select of [this.#source, this.#target]) {
      select.replaceChildren(new Option(placeholder, ''));
      select.disabled = true;
    }
  }

  #fillTargets(preferred?: string): void {
    const targets = unique(this.#pairs.filter((p) => p.source === this.#source.value).map((p) => p.target));
    replaceOptions(this.#target, targets, preferred ?? this.#target.value);
  }
}

/** Codes without repeats, ordered by their names as the reader sees them. */
function unique(codes: readonly string[]): string[] {
  return [...new Set(codes)].sort((a, b) => languageName(a).localeCompare(languageName(b)));
}

function replaceOptions(select: HTMLSelectElement, codes: readonly string[], selected: string | undefined): void {
  select.replaceChildren(...codes.map((code) => new Option(`${languageName(code)} (${code})`, code)));
  if (selected !== undefined && codes.includes(selected)) select.value = selected;
}
