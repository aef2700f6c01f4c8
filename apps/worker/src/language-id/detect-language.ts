// Which language a text is in, among the languages the uploaded models know. Two identifiers, never
// mixed in one decision (their scores are not comparable, and mixing them measured badly): when every
// candidate has a profile built from this project's corpus (profiles.ts), naive Bayes over character
// n-grams decides; otherwise franc-min decides. README "Language identification" has the numbers.
import { charNgrams } from './char-ngrams.ts';
import { francCode, francScores } from './franc-languages.ts';
import { classify, type LanguageScore, type NgramProfile, parseProfile } from './naive-bayes.ts';
import { PROFILES } from './profiles.ts';

export type { LanguageScore } from './naive-bayes.ts';

let parsed: Map<string, NgramProfile> | undefined;

/** The profiles, parsed on first use (~1 ms) rather than when the worker starts. */
function profiles(): Map<string, NgramProfile> {
  parsed ??= new Map(Object.entries(PROFILES).map(([language, stored]) => [language, parseProfile(stored)]));
  return parsed;
}

/** "pt_BR" -> "pt": profiles and franc know base languages only. */
const baseLanguage = (code: string) => code.toLowerCase().split(/[-_]/)[0]!;

/**
 * Every candidate with the probability that `text` is in it, most likely first. Candidates that no
 * identifier knows come last with confidence 0; so do all when the text has no letters.
 */
export async function detectLanguage(text: string, candidates: readonly string[]): Promise<LanguageScore[]> {
  const bases = [...new Set(candidates.map(baseLanguage))];
  let scores: LanguageScore[];
  if (bases.every((base) => profiles().has(base))) {
    scores = classify(charNgrams(text), new Map(bases.map((base) => [base, profiles().get(base)!])));
  } else {
    scores = await francScores(text, bases.filter((base) => francCode(base) !== undefined));
  }
  // Back from base languages to the catalog's codes; "pt" and "pt-BR" share one score.
  const confidence = new Map(scores.map((s) => [s.language, s.confidence]));
  const order = new Map(scores.map((s, i) => [s.language, i]));
  const rank = (code: string) => order.get(baseLanguage(code)) ?? Number.MAX_SAFE_INTEGER;
  return [...candidates].sort((a, b) => rank(a) - rank(b)).map((language) => ({ language, confidence: confidence.get(baseLanguage(language)) ?? 0 }));
}
