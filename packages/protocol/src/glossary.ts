// Glossaries: source terms whose target terms must appear in the translation. Sent with a request
// (`options.glossary`) or uploaded by the operator under a name per language pair (`options.glossary_id`,
// `npm run upload -- --glossary`). When a source term occurs in a text (glossary-terms.ts), its
// target term is forced into that sentence's translation.
import { z } from 'zod';
import { findOverlap, type TermOverlap, termTokens } from './glossary-terms.ts';
import { LIMITS } from './limits.ts';

const term = (side: 'source' | 'target') =>
  z
    .string()
    .max(LIMITS.maxGlossaryTermChars, `at most ${LIMITS.maxGlossaryTermChars} characters per term`)
    .refine((text) => text.trim() !== '', `an empty ${side} term: give every entry a source and a target term`);

export const GlossaryEntrySchema = z
  .object({
    source: term('source').refine(
      (text) => termTokens(text).length <= LIMITS.maxGlossaryTermTokens,
      `at most ${LIMITS.maxGlossaryTermTokens} words and punctuation marks per source term`,
    ),
    target: term('target'),
  })
  .strict()
  .meta({ id: 'GlossaryEntry', description: 'a source term (matched ignoring case, at word boundaries) and the target term forced where it occurs' });

const OVERLAP: Record<TermOverlap['reason'], string> = {
  duplicate: 'is the same source term, ignoring case, as',
  contains: 'overlaps (one contains the other)',
  chains: 'overlaps (the end of one is the start of the other)',
};

/** Entries with no two source terms that could claim the same words of a text. */
function entries(max: number) {
  return z
    .array(GlossaryEntrySchema)
    .max(max, `at most ${max} entries per glossary`)
    .superRefine((list, ctx) => {
      const overlap = findOverlap(list.map((e) => e.source));
      if (!overlap) return;
      const { first, second, reason } = overlap;
      const [a, b] = [list[first]!.source, list[second]!.source];
      ctx.addIssue({
        code: 'custom',
        path: [second, 'source'],
        message: `${JSON.stringify(b)} ${OVERLAP[reason]} ${JSON.stringify(a)} of entry ${first}: a word can force one target term only; remove or merge one of them`,
      });
    });
}

export const GlossarySchema = entries(LIMITS.maxGlossaryEntries).meta({ id: 'Glossary', description: `at most ${LIMITS.maxGlossaryEntries} entries; no two source terms may overlap` });

export const GlossaryIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a glossary name: 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit')
  .meta({ description: "a glossary the operator uploaded for the request's language pair (`npm run upload -- --glossary`)", example: 'medical' });

export const GLOSSARY_FORMAT = 'attend-glossary/1';

/** A named glossary as stored in R2 at `glossaryKey(...)`, written by `npm run upload -- --glossary`. */
export const StoredGlossarySchema = z
  .object({
    format: z.literal(GLOSSARY_FORMAT),
    name: GlossaryIdSchema,
    source: z.string().min(1),
    target: z.string().min(1),
    entries: entries(LIMITS.maxStoredGlossaryEntries),
  })
  .meta({ id: 'StoredGlossary' });

/** Where a named glossary lives in the bucket: `glossaries/<source>-<target>/<name>.json`. */
export function glossaryKey(pair: { readonly source: string; readonly target: string }, name: string): string {
  return `${GLOSSARY_PREFIX}${pair.source}-${pair.target}/${name}.json`;
}

/** The bucket folder of every named glossary; the model listing skips it. */
export const GLOSSARY_PREFIX = 'glossaries/';
