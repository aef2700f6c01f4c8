import { describe, expect, it } from 'vitest';
import {
  ERROR_STATUS,
  ErrorBodySchema,
  LIMITS,
  LibreTranslateRequestSchema,
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
});
