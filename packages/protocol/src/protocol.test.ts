import { describe, expect, it } from 'vitest';
import {
  DetectRequestSchema,
  DetectResponseSchema,
  ERROR_STATUS,
  ErrorBodySchema,
  LIMITS,
  LibreTranslateRequestSchema,
  LibreTranslateResponseSchema,
  StreamEventSchema,
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

describe('StreamEvent', () => {
  it('is a closed union discriminated by `type`', () => {
    const events: StreamEvent[] = [
      { type: 'start', model: 'en-es', source: 'en', target: 'es', count: 1 },
      { type: 'delta', index: 0, text: 'Ho' },
      { type: 'done', index: 0, text: 'Hola', usage: { input_tokens: 2, output_tokens: 3 }, finish_reason: 'stop' },
      { type: 'error', error: { type: 'model_unavailable', message: 'retry' } },
    ];
    for (const event of events) expect(StreamEventSchema.parse(event)).toEqual(event);
    expect(StreamEventSchema.safeParse({ type: 'progress', index: 0 }).success).toBe(false);
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
