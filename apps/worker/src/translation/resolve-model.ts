// Which model answers a request: the one named, or the one translating source -> target. A locale tag
// falls back to its base language (es-ES, es_ES -> es) and a base language to a variant (pt -> pt-BR);
// an exact match wins. With no source (or "auto"), the source is detected in the texts. A broken model
// folder (manifest.json missing or unreadable) still claims its pair: a request for that pair is a 503
// naming the model and why, never a 404 that hides the fault.
import type { Manifest } from '@attend/model-spec';
import type { DetectedLanguage } from '@attend/protocol';
import type { Translator } from '../inference/translator.ts';
import { detectLanguage } from '../language-id/detect-language.ts';
import type { BrokenModel } from '../models/broken-model.ts';
import { ModelUnavailableError } from '../models/model-error.ts';
import type { ModelStore } from '../models/model-store.ts';
import { ApiError } from '../errors.ts';

export interface ModelQuery {
  readonly model?: string | undefined;
  readonly source?: string | undefined; // undefined or "auto": any (chooseSource detects it first)
  readonly target: string;
}

interface Pair {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

/** How well a language code fits the one asked for: 2 the same, 1 the same base language, 0 another language. */
export function languageFit(wanted: string, code: string): 0 | 1 | 2 {
  const [a, b] = [normalizeTag(wanted), normalizeTag(code)];
  if (a === b) return 2;
  return a.split('-')[0] === b.split('-')[0] ? 1 : 0;
}

/** BCP-47 compares case-insensitively, and LibreTranslate's clients write pt_BR for pt-BR. */
const normalizeTag = (code: string) => code.toLowerCase().replaceAll('_', '-');

const isAuto = (source: string | undefined) => source === undefined || source.toLowerCase() === 'auto';

export async function resolveModel(store: ModelStore<Translator>, query: ModelQuery): Promise<Manifest> {
  const { manifests, broken } = await store.listing();
  if (manifests.length === 0 && broken.length === 0) {
    throw new ApiError('model_unavailable', 'no model is uploaded to the R2 bucket MODELS yet; export one and upload its folder');
  }
  const unavailable = (model: BrokenModel) => new ModelUnavailableError(model.id, model.reason);
  const brokenPairs: Pair[] = broken.flatMap((b) => (b.pair ? [{ id: b.id, ...b.pair }] : []));
  const pairs = () => `available pairs: ${manifests.map((m) => `${m.source}->${m.target} (${m.id})`).join(', ') || 'none'}${brokenNote(broken)}`;
  const source = isAuto(query.source) ? undefined : query.source!;
  const { target } = query;
  const fit = (m: Pair) => (source === undefined ? 1 : languageFit(source, m.source)) * languageFit(target, m.target);
  const byFit = (list: readonly Pair[]) => list.filter((m) => fit(m) > 0).sort((a, b) => fit(b) - fit(a));
  if (query.model !== undefined) {
    const named = manifests.find((m) => m.id === query.model);
    const namedBroken = broken.find((m) => m.id === query.model);
    if (namedBroken) throw unavailable(namedBroken);
    if (!named) throw new ApiError('not_found', `no model "${query.model}"; ${pairs()}`);
    if (fit(named) === 0) throw new ApiError('unsupported_language_pair', `model "${named.id}" translates ${named.source}->${named.target}, not ${source ?? '*'}->${target}; ${pairs()}`);
    return named;
  }
  const candidates = byFit(manifests) as Manifest[];
  const brokenCandidates = byFit(brokenPairs);
  // A broken model's source counts too: were it healthy this request would be ambiguous, and
  // guessing the other source would translate the text from the wrong language.
  const sources = new Set([...candidates, ...brokenCandidates].map((m) => m.source));
  if (source === undefined && sources.size > 1) {
    throw new ApiError('invalid_request', `several models translate into ${target} (from ${[...sources].join(', ')}): pass \`source\``);
  }
  const best = candidates[0];
  const bestBroken = brokenCandidates[0];
  // A broken exact match beats a healthy fallback: es-ES must not silently use es when es-ES is the one asked for.
  if (bestBroken && (!best || fit(bestBroken) > fit(best))) throw unavailable(broken.find((b) => b.id === bestBroken.id)!);
  if (best) return best;
  throw new ApiError('unsupported_language_pair', `no model translates ${source ?? '*'}->${target}; ${pairs()}`);
}

/** Every language code a model in storage translates from or into, as the manifests spell it. */
export async function knownLanguages(store: ModelStore<Translator>): Promise<string[]> {
  const { manifests, broken } = await store.listing();
  const pairs = [...manifests, ...broken.flatMap((b) => (b.pair ? [b.pair] : []))];
  return [...new Set(pairs.flatMap((p) => [p.source, p.target]))];
}

export interface SourceChoice {
  /** The source to resolve the model with; undefined leaves it to resolveModel (a named model, or no candidate). */
  readonly source: string | undefined;
  /** Set when the source was detected. */
  readonly detected?: DetectedLanguage;
}

/**
 * The source of `texts`: the one asked for; or, with none or "auto", the most likely language (among
 * all the models know) that a model translates into `target`, or that is `target` itself when
 * `orTarget` (LibreTranslate then returns the text as it is). Its confidence is the detector's, so a
 * text in no such language shows as a low one rather than as an error.
 */
export async function chooseSource(store: ModelStore<Translator>, query: ModelQuery, texts: readonly string[], orTarget = false): Promise<SourceChoice> {
  if (!isAuto(query.source) || query.model !== undefined) return { source: isAuto(query.source) ? undefined : query.source };
  const { manifests, broken } = await store.listing();
  const pairs = [...manifests, ...broken.flatMap((b) => (b.pair ? [b.pair] : []))];
  const translatable = (language: string) =>
    (orTarget && languageFit(query.target, language) > 0) || pairs.some((p) => languageFit(language, p.source) === 2 && languageFit(query.target, p.target) > 0);
  const ranking = await detectLanguage(texts.join('\n'), await knownLanguages(store));
  const choice = ranking.find((score) => translatable(score.language));
  if (!choice) return { source: undefined };
  return { source: choice.language, detected: { language: choice.language, confidence: Math.round(choice.confidence * 1000) / 1000 } };
}

/** A broken folder may be the one asked for (its pair unknown, or a typo'd code): name them in the 404. */
function brokenNote(broken: readonly BrokenModel[]): string {
  return broken.length === 0 ? '' : `; unavailable: ${broken.map((b) => b.id).join(', ')} (GET /health says why)`;
}
