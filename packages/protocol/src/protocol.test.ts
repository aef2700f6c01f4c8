import { describe, expect, it } from 'vitest';
import {
  DetectRequestSchema,
  DetectResponseSchema,
  ERROR_STATUS,
  ErrorBodySchema,
  LIMITS,
  LibreTranslateRequestSchema,
  LibreTranslateResponseSchema,
  StoredGlossarySchema,
  StreamEventSchema,
  TranslateResponseSchema,
  TranslateRequestSchema,
  type StreamEvent,
} from './index.ts';

describe('TranslateRequest', () => {
  it('accepts one text or a batch, with options', () => {
    expect(TranslateRequestSchema.parse({ text: 'Hello.', target: 'es' })).toEqual({ text: 'Hello.', target: 'es' });
    const batch = { text: ['a', 'b'], source: 'en', target: 'es', stream: true, options: { beam_size: 4, max_tokens: 64 } };
    expect(TranslateRequestSchema.parse(batch)).toEqual(batch);
  });

  it('accepts "auto" as the source, locale tags written either way, and a format', () => {
    for (const source of ['auto', 'en-US', 'pt_BR', 'zh-Hant-TW']) expect(TranslateRequestSchema.safeParse({ text: 'a', source, target: 'es' }).success, source).toBe(true);
    expect(TranslateRequestSchema.safeParse({ text: 'a', target: 'auto' }).success).toBe(false); // a target is never detected
    expect(TranslateRequestSchema.parse({ text: '<p>a</p>', target: 'es', format: 'html' }).format).toBe('html');
    expect(TranslateRequestSchema.safeParse({ text: 'a', target: 'es', format: 'markdown' }).success).toBe(false);
  });

  it('rejects wrong types and out-of-range values, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ text: 5, target: 'es' }, 'text'],
      [{ text: 'a' }, 'target'],
      [{ text: 'a', target: 'e s' }, 'target'],
      [{ text: [], target: 'es' }, 'text'],
      [{ text: Array(LIMITS.maxTextsPerBatch + 1).fill('a'), target: 'es' }, 'text'],
      [{ text: 'a'.repeat(LIMITS.maxCharsPerText + 1), target: 'es' }, 'text'],
      [{ text: 'a', target: 'es', options: { beam_size: 0 } }, 'options.beam_size'],
      [{ text: 'a', target: 'es', options: { max_tokens: LIMITS.maxOutputTokens + 1 } }, 'options.max_tokens'],
      [{ text: 'a', target: 'es', options: { max_tokens: 1.5 } }, 'options.max_tokens'],
      [{ text: 'a', target: 'es', options: { temperature: 1 } }, 'options'],
      [{ text: 'a', target: 'es', stream: 'yes' }, 'stream'],
    ];
    for (const [input, path] of cases) {
      const result = TranslateRequestSchema.safeParse(input);
      expect(result.success, JSON.stringify(input).slice(0, 80)).toBe(false);
      expect(result.error?.issues[0]?.path.join('.')).toBe(path);
    }
  });
});

describe('TranslateRequest options of confidence, alternatives and glossaries', () => {
  const request = (options: object) => ({ text: 'a', target: 'es', options });
  const issue = (options: object) => {
    const result = TranslateRequestSchema.safeParse(request(options));
    expect(result.success, JSON.stringify(options).slice(0, 80)).toBe(false);
    const first = result.error!.issues[0]!;
    return `${first.path.join('.')}: ${first.message}`;
  };

  it('accepts them', () => {
    const options = { confidence: true, alternatives: 3, beam_size: 4, glossary: [{ source: 'file menu', target: 'menú Archivo' }] };
    expect(TranslateRequestSchema.parse(request(options)).options).toEqual(options);
    expect(TranslateRequestSchema.parse(request({ alternatives: 8, glossary_id: 'medical.v2' })).options?.alternatives).toBe(8);
  });

  it('refuses more alternatives than the beam holds, and a glossary given twice', () => {
    expect(issue({ alternatives: 3, beam_size: 2 })).toMatch(/^options\.alternatives: 3 alternatives need a beam of at least 3, and beam_size is 2/);
    expect(issue({ alternatives: LIMITS.maxBeamSize + 1 })).toMatch(/^options\.alternatives: /);
    expect(issue({ glossary: [], glossary_id: 'x' })).toMatch(/^options\.glossary_id: give either glossary .* or glossary_id/);
    expect(issue({ glossary_id: 'Bad Name' })).toMatch(/^options\.glossary_id: a glossary name/);
  });

  it('refuses bad glossaries, naming the entry and what to do', () => {
    const entry = (source: unknown, target: unknown = 'x') => ({ source, target });
    expect(issue({ glossary: [entry('  ')] })).toBe('options.glossary.0.source: an empty source term: give every entry a source and a target term');
    expect(issue({ glossary: [entry('cat', '')] })).toMatch(/^options\.glossary\.0\.target: an empty target term/);
    expect(issue({ glossary: [entry('a'.repeat(LIMITS.maxGlossaryTermChars + 1))] })).toMatch(/^options\.glossary\.0\.source: at most 100 characters/);
    expect(issue({ glossary: [entry(Array(LIMITS.maxGlossaryTermTokens + 1).fill('w').join(' '))] })).toMatch(/at most 16 words/);
    expect(issue({ glossary: [entry(5)] })).toMatch(/^options\.glossary\.0\.source: .*expected string/i);
    expect(issue({ glossary: { cat: 'gato' } })).toMatch(/^options\.glossary: .*expected array/i);
    expect(issue({ glossary: [{ source: 'cat', target: 'gato', note: 'x' }] })).toMatch(/^options\.glossary\.0: .*note/);
    const many = Array.from({ length: LIMITS.maxGlossaryEntries + 1 }, (_, i) => entry(`term ${i}x`));
    expect(issue({ glossary: many })).toMatch(/^options\.glossary: at most 100 entries/);
    expect(issue({ glossary: [entry('Cat'), entry('dog'), entry('cat')] })).toBe(
      'options.glossary.2.source: "cat" is the same source term, ignoring case, as "Cat" of entry 0: a word can force one target term only; remove or merge one of them',
    );
    expect(issue({ glossary: [entry('New York City'), entry('york')] })).toMatch(/^options\.glossary\.1\.source: "york" overlaps \(one contains the other\) "New York City" of entry 0/);
    expect(issue({ glossary: [entry('New York'), entry('York City')] })).toMatch(/overlaps \(the end of one is the start of the other\)/);
  });

  it('validates a stored glossary with the same rules and a larger size limit', () => {
    const stored = { format: 'attend-glossary/1', name: 'ui', source: 'en', target: 'es', entries: Array.from({ length: 500 }, (_, i) => ({ source: `term${i}`, target: `t${i}` })) };
    expect(StoredGlossarySchema.parse(stored).entries).toHaveLength(500);
    expect(StoredGlossarySchema.safeParse({ ...stored, entries: [...stored.entries, { source: 'TERM7', target: 'x' }] }).success).toBe(false);
  });
});

describe('confidence and alternatives in answers', () => {
  it('carry per-word confidence and the n best on translations', () => {
    const translation = {
      text: 'Hola mundo',
      usage: { input_tokens: 3, output_tokens: 4 },
      finish_reason: 'stop',
      mean_logprob: -0.4,
      words: [{ text: 'Hola', start: 0, confidence: 0.9 }, { text: 'mundo', start: 5, confidence: 0.1 }],
      alternatives: [{ text: 'Hola mundo', score: -0.4 }, { text: 'Hola, mundo', score: -0.7 }],
    };
    const response = { translations: [translation], model: 'm', source: 'en', target: 'es', usage: translation.usage };
    expect(TranslateResponseSchema.parse(response)).toEqual(response);
    expect(TranslateResponseSchema.safeParse({ ...response, translations: [{ ...translation, words: [{ text: 'x', start: 0, confidence: 1.5 }] }] }).success).toBe(false);
  });
});

describe('StreamEvent', () => {
  it('is a closed union discriminated by `type`', () => {
    const events: StreamEvent[] = [
      { type: 'start', model: 'en-es', source: 'en', target: 'es', count: 1 },
      { type: 'delta', index: 0, text: 'Ho', logprob: 0, tokens: 0 },
      { type: 'delta', index: 0, text: 'la', logprob: -0.25, tokens: 2 },
      { type: 'done', index: 0, text: 'Hola', usage: { input_tokens: 2, output_tokens: 3 }, finish_reason: 'stop', mean_logprob: -0.2 },
      { type: 'done', index: 1, text: 'Hi', usage: { input_tokens: 2, output_tokens: 2 }, finish_reason: 'stop', mean_logprob: -0.1, alternatives: [{ text: 'Hi', score: -0.1 }] },
      { type: 'error', error: { type: 'model_unavailable', message: 'retry' } },
    ];
    for (const event of events) expect(StreamEventSchema.parse(event)).toEqual(event);
    expect(StreamEventSchema.safeParse({ type: 'progress', index: 0 }).success).toBe(false);
    expect(StreamEventSchema.safeParse({ type: 'delta', index: 0, text: 'x', logprob: 0.5, tokens: 1 }).success).toBe(false); // a log-probability is <= 0
    expect(StreamEventSchema.safeParse({ type: 'error', error: { type: 'oops', message: '' } }).success).toBe(false);
  });
});

describe('errors', () => {
  it('maps every error type to one 4xx/5xx status', () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status >= 400 && status < 600).toBe(true);
    expect(ErrorBodySchema.parse({ error: { type: 'invalid_json', message: 'x' } }).error.type).toBe('invalid_json');
    expect(ErrorBodySchema.safeParse({ error: { type: 'teapot', message: 'x' } }).success).toBe(false);
  });
});

describe('LibreTranslate', () => {
  it('accepts its request shape', () => {
    const body = { q: ['Hello'], source: 'auto', target: 'es', format: 'text', api_key: 'k' };
    expect(LibreTranslateRequestSchema.parse(body)).toEqual(body);
    expect(LibreTranslateRequestSchema.safeParse({ q: 'x', source: 'en', target: 'es', format: 'pdf' }).success).toBe(false);
  });

  it('reads `alternatives` from a form\'s string as its web UI sends it, and answers its optional fields', () => {
    expect(LibreTranslateRequestSchema.parse({ q: 'x', source: 'auto', target: 'es', alternatives: '3' }).alternatives).toBe(3);
    expect(LibreTranslateRequestSchema.safeParse({ q: 'x', source: 'auto', target: 'es', alternatives: '-1' }).success).toBe(false);
    // Besides translatedText: the beam holds all of them.
    expect(LibreTranslateRequestSchema.safeParse({ q: 'x', source: 'auto', target: 'es', alternatives: LIMITS.maxBeamSize }).success).toBe(false);
    const batch = { translatedText: ['a', 'b'], detectedLanguage: [{ language: 'en', confidence: 90 }, { language: 'en', confidence: 90 }], alternatives: [[], []] };
    expect(LibreTranslateResponseSchema.parse(batch)).toEqual(batch);
  });
});

describe('Detect', () => {
  it('takes texts as /v1/translate does and answers one detection per text', () => {
    expect(DetectRequestSchema.safeParse({ text: Array(LIMITS.maxTextsPerBatch + 1).fill('a') }).success).toBe(false);
    expect(DetectResponseSchema.parse({ detections: [{ language: 'en', confidence: 0.97 }] }).detections).toHaveLength(1);
    expect(DetectResponseSchema.safeParse({ detections: [{ language: 'en', confidence: 97 }] }).success).toBe(false); // 0-1, not percent
  });
});
