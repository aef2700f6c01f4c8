import { describe, expect, it } from 'vitest';
import { parsePair } from './glossary-file.ts';

describe('parsePair', () => {
  it('reads SOURCE-TARGET as the manifests spell the codes, and says what it takes otherwise', () => {
    expect(parsePair('en-es')).toEqual({ source: 'en', target: 'es' });
    for (const bad of ['en', 'en_es', 'EN-ES', 'en-es-tiny']) expect(() => parsePair(bad), bad).toThrow(/--pair takes SOURCE-TARGET .* e\.g\. en-es/);
  });
});
