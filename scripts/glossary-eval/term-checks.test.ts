import { describe, expect, it } from 'vitest';
import { appears, referenceForm } from './term-checks.ts';

describe('term checks', () => {
  it('finds a term by the glossary matching rule', () => {
    expect(appears('Los Orcos atacan.', 'orcos')).toBe(true);
    expect(appears('Los orcoss atacan.', 'orcos')).toBe(false);
    expect(appears('Los no  muertos vienen.', 'no muertos')).toBe(true);
  });

  it('tells whether the reference uses the term, another form of it, or other words', () => {
    expect(referenceForm('Los orcos atacan.', 'orcos')).toBe('same');
    expect(referenceForm('El orco ataca.', 'orcos')).toBe('inflected');
    expect(referenceForm('Los enemigos huyen.', 'enemigo')).toBe('inflected');
    expect(referenceForm('Los reyes llegan.', 'rey')).toBe('inflected');
    expect(referenceForm('El monarca llega.', 'rey')).toBe('other');
    expect(referenceForm('Tu muerte llegará.', 'no muertos')).toBe('other');
  });
});
