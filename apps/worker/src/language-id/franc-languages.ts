// franc-min (https://github.com/wooorm/franc, MIT) ranks 82 languages by trigram profiles taken from
// the Universal Declaration of Human Rights; it speaks ISO 639-3, the models' manifests ISO 639-1.
// It is the identifier for languages without a profile of our own: less accurate on short strings
// (README "Language identification"), but it knows most languages a model may be uploaded for.
import type { LanguageScore } from './naive-bayes.ts';

/** ISO 639-1 -> franc-min's ISO 639-3 code (its macrolanguage members: ar -> arb, fa -> pes, ms -> zlm, ...). */
const FRANC_CODE: Readonly<Record<string, string>> = {
  am: 'amh', ar: 'arb', az: 'azj', be: 'bel', bg: 'bul', bn: 'ben', bs: 'bos', cs: 'ces', de: 'deu', el: 'ell',
  en: 'eng', es: 'spa', fa: 'pes', fr: 'fra', gu: 'guj', ha: 'hau', hi: 'hin', hr: 'hrv', hu: 'hun', id: 'ind',
  ig: 'ibo', it: 'ita', ja: 'jpn', jv: 'jav', kk: 'kaz', kn: 'kan', ko: 'kor', ln: 'lin', mg: 'plt', ml: 'mal',
  mr: 'mar', ms: 'zlm', my: 'mya', ne: 'npi', nl: 'nld', ny: 'nya', pa: 'pan', pl: 'pol', ps: 'pbu', pt: 'por',
  qu: 'qug', rn: 'run', ro: 'ron', ru: 'rus', rw: 'kin', si: 'sin', so: 'som', sr: 'srp', su: 'sun', sv: 'swe',
  sw: 'swh', ta: 'tam', te: 'tel', th: 'tha', tl: 'tgl', tr: 'tur', uk: 'ukr', ur: 'urd', uz: 'uzn', vi: 'vie',
  yo: 'yor', za: 'zyb', zh: 'cmn', zu: 'zul', fil: 'tgl',
};

/** franc-min's code for a base language code (a 639-3 code passes through); undefined if it has none. */
export function francCode(language: string): string | undefined {
  return FRANC_CODE[language] ?? (language.length === 3 ? language : undefined);
}

/**
 * P(L | text) for each candidate (base language codes franc knows), most likely first. franc's
 * scores (1 for the best, less for the others) are normalized to sum to 1; all are 0 when franc
 * finds no letters of a candidate's script.
 */
export async function francScores(text: string, candidates: readonly string[]): Promise<LanguageScore[]> {
  // Imported on first use: franc-min builds its tables when evaluated (~2 MB of heap, ~20 ms).
  const { francAll } = await import('franc-min');
  const byCode = new Map(candidates.map((language) => [francCode(language)!, language]));
  const ranked = francAll(text, { only: [...byCode.keys()], minLength: 1 }).filter(([code]) => byCode.has(code));
  const total = ranked.reduce((sum, [, score]) => sum + score, 0);
  const scored = ranked.map(([code, score]) => ({ language: byCode.get(code)!, confidence: total > 0 ? score / total : 0 }));
  const missing = candidates.filter((language) => !scored.some((s) => s.language === language)).map((language) => ({ language, confidence: 0 }));
  return [...scored, ...missing];
}
