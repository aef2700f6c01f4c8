// A glossary file, as the operator uploads it (`npm run upload -- --glossary FILE`) and the CLI sends
// it (`translate --glossary FILE`): JSON, an array of {"source", "target"}; or TSV, one
// `source<TAB>target` per line, blank lines skipped. Only the shape is read here; GlossarySchema
// validates the entries. The SDK reads the same format (sdk/src/glossary-file.ts; its test compares).

/** The entries of a glossary file; throws naming the line of a TSV line that is not two columns. */
export function parseGlossaryFile(text: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*[[{]/.test(body)) return JSON.parse(body);
  const entries: { source: string; target: string }[] = [];
  for (const [i, line] of body.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const columns = line.split('\t');
    if (columns.length !== 2) throw new Error(`line ${i + 1}: expected source<TAB>target, found ${columns.length} column${columns.length === 1 ? '' : 's'}`);
    entries.push({ source: columns[0]!, target: columns[1]! });
  }
  return entries;
}
