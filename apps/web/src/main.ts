// The page's entry: wires the form to the SDK. The API is the worker that serves this page, so the
// client talks to this origin (and the page's CSP allows no other).
import { Client, LIMITS, type TranslateParams } from '@attend/sdk';
import { describeError } from './error-message.ts';
import { LanguagePickers } from './language-pickers.ts';
import { LiveTranslation } from './live-translation.ts';
import { TranslationPanel } from './translation-panel.ts';

const KEY_STORAGE = 'attend.apiKey';

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html lacks the #${id} ${type.name}`);
  return found;
}

function start(): void {
  const form = element('translate-form', HTMLFormElement);
  const text = element('text', HTMLTextAreaElement);
  const count = element('text-count', HTMLElement);
  const live = element('live', HTMLInputElement);
  const keyInput = element('api-key', HTMLInputElement);
  const stop = element('stop', HTMLButtonElement);
  const copy = element('copy', HTMLButtonElement);

  let apiKey = sessionStorage.getItem(KEY_STORAGE) ?? '';
  keyInput.value = apiKey;
  let client = new Client({ baseURL: location.origin, apiKey: apiKey || undefined });

  const pickers = new LanguagePickers(element('source', HTMLSelectElement), element('target', HTMLSelectElement));
  const panel = new TranslationPanel(
    {
      output: element('output', HTMLOutputElement),
      legend: element('doubt-legend', HTMLElement),
      status: element('status', HTMLElement),
      error: element('error', HTMLElement),
      stop,
      copy,
    },
    () => apiKey !== '',
  );
  const translation = new LiveTranslation(() => client, panel);

  const request = (): TranslateParams | undefined => {
    const pair = pickers.value;
    return pair && text.value.trim() !== '' ? { text: text.value, ...pair } : undefined;
  };

  const loadLanguages = async (): Promise<void> => {
    pickers.clear('Loading…');
    try {
      const { pairs } = await client.languages.list();
      pickers.fill(pairs);
      if (pairs.length === 0) panel.showError('This server has no translation model yet. Ask its operator to upload one.');
      else panel.hideError();
    } catch (error) {
      pickers.clear('Unavailable');
      panel.showError(describeError(error, { withKey: apiKey !== '' }));
    }
  };

  const onTextChanged = (): void => {
    count.textContent = `${text.value.length.toLocaleString()} / ${LIMITS.maxCharsPerText.toLocaleString()}`;
    const next = request();
    if (text.value.trim() === '') {
      translation.reset();
      panel.clear();
    } else if (next && live.checked) translation.schedule(next);
  };

  text.maxLength = LIMITS.maxCharsPerText;
  text.addEventListener('input', onTextChanged);
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  form.addEventListener('change', (event) => {
    const next = request();
    if ((event.target as HTMLElement).tagName === 'SELECT' && next && live.checked) void translation.run(next);
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // The pickers may be empty because the server was down: try them again first.
    if (!pickers.value) await loadLanguages();
    const next = request();
    if (next) await translation.run(next);
    else if (pickers.value) text.focus();
  });
  stop.addEventListener('click', () => translation.stop());
  copy.addEventListener('click', () => void panel.copy());
  keyInput.addEventListener('change', () => {
    apiKey = keyInput.value.trim();
    if (apiKey) sessionStorage.setItem(KEY_STORAGE, apiKey);
    else sessionStorage.removeItem(KEY_STORAGE);
    client = new Client({ baseURL: location.origin, apiKey: apiKey || undefined });
    // A translation that was refused for want of the key is retried with it.
    void loadLanguages().then(() => {
      const next = request();
      if (next) void translation.run(next);
    });
  });

  onTextChanged();
  void loadLanguages();
}

start();
