import { describe, expect, it } from 'vitest';
import { guessPair } from './broken-model.ts';

describe('guessPair', () => {
  it("prefers config.json's translator block to the folder name", () => {
    expect(guessPair('en-es-tiny', JSON.stringify({ translator: { source: 'fr', target: 'de' } }))).toEqual({ source: 'fr', target: 'de' });
  });

  it('falls back to the folder name: our exports (en-es-tiny) and OPUS-MT (opus-mt-en-es)', () => {
    expect(guessPair('en-es-tiny', undefined)).toEqual({ source: 'en', target: 'es' });
    expect(guessPair('en-es', '{"trunc')).toEqual({ source: 'en', target: 'es' });
    expect(guessPair('opus-mt-en-es', JSON.stringify({ model_type: 'marian' }))).toEqual({ source: 'en', target: 'es' });
    expect(guessPair('fra-eng-big', JSON.stringify({ translator: { source: '', target: 'x' } }))).toEqual({ source: 'fra', target: 'eng' });
  });

  it('says nothing when neither tells', () => {
    expect(guessPair('half-uploaded', '{}')).toBeUndefined();
    expect(guessPair('model', 'null')).toBeUndefined();
    expect(guessPair('EN-ES', undefined)).toBeUndefined();
  });
});
