// Which model answers a request: the one named, or the one translating source -> target.
import type { Manifest } from '@attend/model-spec';
import type { Translator } from '../inference/translator.ts';
import type { ModelStore } from '../models/model-store.ts';
import { ApiError } from '../errors.ts';

export interface ModelQuery {
  readonly model?: string | undefined;
  readonly source?: string | undefined; // undefined or "auto": the only model into `target`
  readonly target: string;
}

export async function resolveModel(store: ModelStore<Translator>, query: ModelQuery): Promise<Manifest> {
  const catalog = await store.catalog();
  if (catalog.length === 0) {
    throw new ApiError('model_unavailable', 'no model is uploaded to the R2 bucket MODELS yet; export one and upload its folder');
  }
  const pairs = () => `available pairs: ${catalog.map((m) => `${m.source}->${m.target} (${m.id})`).join(', ')}`;
  const source = query.source === undefined || query.source.toLowerCase() === 'auto' ? undefined : query.source.toLowerCase();
  const target = query.target.toLowerCase();
  const matches = (m: Manifest) => m.target.toLowerCase() === target && (source === undefined || m.source.toLowerCase() === source);
  if (query.model !== undefined) {
    const named = catalog.find((m) => m.id === query.model);
    if (!named) throw new ApiError('not_found', `no model "${query.model}"; ${pairs()}`);
    if (!matches(named)) throw new ApiError('unsupported_language_pair', `model "${named.id}" translates ${named.source}->${named.target}, not ${source ?? '*'}->${target}; ${pairs()}`);
    return named;
  }
  const candidates = catalog.filter(matches);
  if (candidates.length === 0) throw new ApiError('unsupported_language_pair', `no model translates ${source ?? '*'}->${target}; ${pairs()}`);
  const sources = new Set(candidates.map((m) => m.source));
  if (source === undefined && sources.size > 1) {
    throw new ApiError('invalid_request', `several models translate into ${target} (from ${[...sources].join(', ')}): pass \`source\``);
  }
  return candidates[0]!;
}
