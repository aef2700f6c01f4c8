// Which model answers a request: the one named, or the one translating source -> target. A broken
// model folder (manifest.json missing or unreadable) still claims its pair: a request for that pair is
// a 503 naming the model and why, never a 404 that hides the fault.
import type { Manifest } from '@attend/model-spec';
import type { Translator } from '../inference/translator.ts';
import type { BrokenModel } from '../models/broken-model.ts';
import { ModelUnavailableError } from '../models/model-error.ts';
import type { ModelStore } from '../models/model-store.ts';
import { ApiError } from '../errors.ts';

export interface ModelQuery {
  readonly model?: string | undefined;
  readonly source?: string | undefined; // undefined or "auto": the only model into `target`
  readonly target: string;
}

interface Pair {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

export async function resolveModel(store: ModelStore<Translator>, query: ModelQuery): Promise<Manifest> {
  const { manifests, broken } = await store.listing();
  if (manifests.length === 0 && broken.length === 0) {
    throw new ApiError('model_unavailable', 'no model is uploaded to the R2 bucket MODELS yet; export one and upload its folder');
  }
  const unavailable = (model: BrokenModel) => new ModelUnavailableError(model.id, model.reason);
  const brokenPairs: Pair[] = broken.flatMap((b) => (b.pair ? [{ id: b.id, ...b.pair }] : []));
  const pairs = () => `available pairs: ${manifests.map((m) => `${m.source}->${m.target} (${m.id})`).join(', ') || 'none'}${brokenNote(broken)}`;
  const source = query.source === undefined || query.source.toLowerCase() === 'auto' ? undefined : query.source.toLowerCase();
  const target = query.target.toLowerCase();
  const matches = (m: Pair) => m.target.toLowerCase() === target && (source === undefined || m.source.toLowerCase() === source);
  if (query.model !== undefined) {
    const named = manifests.find((m) => m.id === query.model);
    const namedBroken = broken.find((m) => m.id === query.model);
    if (namedBroken) throw unavailable(namedBroken);
    if (!named) throw new ApiError('not_found', `no model "${query.model}"; ${pairs()}`);
    if (!matches(named)) throw new ApiError('unsupported_language_pair', `model "${named.id}" translates ${named.source}->${named.target}, not ${source ?? '*'}->${target}; ${pairs()}`);
    return named;
  }
  const candidates = manifests.filter(matches);
  const brokenCandidates = brokenPairs.filter(matches);
  // A broken model's source counts too: were it healthy this request would be ambiguous, and
  // guessing the other source would translate the text from the wrong language.
  const sources = new Set([...candidates, ...brokenCandidates].map((m) => m.source));
  if (source === undefined && sources.size > 1) {
    throw new ApiError('invalid_request', `several models translate into ${target} (from ${[...sources].join(', ')}): pass \`source\``);
  }
  if (candidates.length > 0) return candidates[0]!;
  if (brokenCandidates.length > 0) throw unavailable(broken.find((b) => b.id === brokenCandidates[0]!.id)!);
  throw new ApiError('unsupported_language_pair', `no model translates ${source ?? '*'}->${target}; ${pairs()}`);
}

/** A broken folder may be the one asked for (its pair unknown, or a typo'd code): name them in the 404. */
function brokenNote(broken: readonly BrokenModel[]): string {
  return broken.length === 0 ? '' : `; unavailable: ${broken.map((b) => b.id).join(', ')} (GET /health says why)`;
}
