// Reads a glossary file for `npm run upload -- --glossary FILE --pair en-es --name NAME` and checks it
// with the schema the worker applies when it loads it (protocol's StoredGlossarySchema), so that
// nothing invalid reaches the bucket.
import { readFile } from 'node:fs/promises';
import { GLOSSARY_FORMAT, GlossaryIdSchema, parseGlossaryFile, type StoredGlossary, StoredGlossarySchema } from '@attend/protocol';

export interface Pair {
  readonly source: string;
  readonly target: string;
}

/** `en-es` -> { source: 'en', target: 'es' }: the codes as the models' manifests spell them. */
export function parsePair(text: string): Pair {
  const match = /^([a-z]{2,3})-([a-z]{2,3})$/.exec(text);
  if (!match) throw new Error(`--pair takes SOURCE-TARGET as the models' manifests name them, e.g. en-es; got ${JSON.stringify(text)}`);
  return { source: match[1]!, target: match[2]! };
}

/** The stored form of a TSV or JSON glossary file; throws naming the first problem. */
export async function readStoredGlossary(path: string, pair: Pair, name: string): Promise<StoredGlossary> {
  const named = GlossaryIdSchema.safeParse(name);
  if (!named.success) throw new Error(`--name: ${named.error.issues[0]!.message}`);
  let entries: unknown;
  try {
    entries = parseGlossaryFile(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  const stored = StoredGlossarySchema.safeParse({ format: GLOSSARY_FORMAT, name, ...pair, entries });
  if (!stored.success) {
    const issue = stored.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message} (entries count from 0)`);
  }
  return stored.data;
}
