import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scoreFile } from './score.ts';

describe('scoreFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'score-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const test = join(dir, 'test.tsv');
  writeFileSync(test, 'The house is red.\tLa casa es roja.\nWe go home.\tVamos a casa.\n');

  it('scores against the Spanish column, or the English one with reverse', () => {
    const report = scoreFile(['La casa es roja.', 'Vamos a casa.'], test, false);
    expect(report.sentences).toBe(2);
    expect(report.bleu).toBeCloseTo(100, 9);
    expect(report.chrf).toBe(100);
    expect(scoreFile(['The house is red.', 'We go home.'], test, true).chrf).toBe(100);
  });

  it('reports repeated trigrams of translations and references', () => {
    const report = scoreFile(['La casa es la casa es roja.', 'Vamos a casa.'], test, false);
    expect(report.repeatedTrigrams).toBe(0.5);
    expect(report.referenceRepeatedTrigrams).toBe(0);
  });

  it('refuses files whose line counts differ', () => {
    expect(() => scoreFile(['La casa es roja.'], test, false)).toThrow(/1 translations for 2 lines/);
  });
});
