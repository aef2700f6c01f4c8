// Reads a glossary file for `options.glossary`: JSON, an array of {"source", "target"}; or TSV, one
// `source<TAB>target` per line, blank lines skipped. The same format as `npm run upload -- --glossary`
// (packages/protocol's parseGlossaryFile); the server validates the terms.
import { AttendError } from './errors.ts';
import type { GlossaryEntry } from './types.ts';

/** The entries of a glossary file's text; throws `AttendError` naming what is malformed. */
export function parseGlossary(text: string): GlossaryEntry[] {
  const body = text.replace(/^\uFEFF/, '');
  return /^\s*[[{]/.test(body) ? jsonEntries(body) : tsvEntries(body);
}

function jsonEntries(body: string): GlossaryEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new AttendError(`The glossary is not valid JSON: ${(error as Error).message}.`);
  }
  const isEntry = (e: unknown) => typeof e === 'object' && e !== null && typeof (e as GlossaryEntry).source === 'string' && typeof (e as GlossaryEntry).target === 'string';
  if (!Array.isArray(value) || !value.every(isEntry)) throw new AttendError('A JSON glossary is an array of {"source": "...", "target": "..."}.');
  return value.map(({ source, target }: GlossaryEntry) => ({ source, target }));
}

function tsvEntries(body: string): GlossaryEntry[] {
  const entries: GlossaryEntry[] = [];
  for (const [i, line] of body.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const columns = line.split('\t');
    if (columns.length !== 2) throw new AttendError(`Glossary line ${i + 1}: expected source<TAB>target, found ${columns.length} column${columns.length === 1 ? '' : 's'}.`);
    entries.push({ source: columns[0]!, target: columns[1]! });
  }
  return entries;
}
