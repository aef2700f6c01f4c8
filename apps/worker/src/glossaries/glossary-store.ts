// Named glossaries, uploaded by the operator per language pair (`npm run upload -- --glossary FILE
// --pair en-es --name NAME`) to the MODELS bucket at `glossaries/<source>-<target>/<name>.json`
// (protocol's glossaryKey). Each is read, validated and indexed once, then reused by the isolate's
// requests for a short while, so that a re-upload is served within a minute without a restart.
import { StoredGlossarySchema, glossaryKey } from '@attend/protocol';
import { ApiError } from '../errors.ts';
import { Glossary } from './glossary.ts';

export interface Pair {
  readonly source: string;
  readonly target: string;
}

export interface GlossaryStoreOptions {
  readonly bucket: R2Bucket;
  /** How long a glossary read from the bucket is reused (ms). */
  readonly ttlMs?: number;
  /** Glossaries kept at once; the oldest read goes first. */
  readonly maxKept?: number;
}

const UPLOAD = 'npm run upload -- --glossary FILE --pair <source>-<target> --name NAME';

export class GlossaryStore {
  readonly #options: GlossaryStoreOptions;
  readonly #kept = new Map<string, { readonly at: number; readonly glossary: Promise<Glossary> }>();

  constructor(options: GlossaryStoreOptions) {
    this.#options = options;
  }

  /** The glossary `name` of the pair; 404 when there is none, 500 when the stored one is invalid. */
  get(pair: Pair, name: string, now = Date.now()): Promise<Glossary> {
    const key = glossaryKey(pair, name);
    const kept = this.#kept.get(key);
    if (kept && now - kept.at <= (this.#options.ttlMs ?? 60_000)) return kept.glossary;
    const glossary = this.#read(key, pair, name);
    this.#keep(key, { at: now, glossary });
    // A failed read is not kept: an upload that fixes it is served at once.
    glossary.catch(() => {
      if (this.#kept.get(key)?.glossary === glossary) this.#kept.delete(key);
    });
    return glossary;
  }

  #keep(key: string, entry: { at: number; glossary: Promise<Glossary> }): void {
    this.#kept.delete(key);
    this.#kept.set(key, entry);
    const oldest = this.#kept.keys().next().value;
    if (this.#kept.size > (this.#options.maxKept ?? 32) && oldest !== undefined) this.#kept.delete(oldest);
  }

  async #read(key: string, pair: Pair, name: string): Promise<Glossary> {
    const object = await this.#options.bucket.get(key);
    if (!object) throw new ApiError('not_found', `options.glossary_id: no glossary "${name}" for ${pair.source}->${pair.target}; the operator uploads one with \`${UPLOAD}\``);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await object.text());
    } catch {
      throw invalid(name, pair, 'it is not JSON');
    }
    const stored = StoredGlossarySchema.safeParse(parsed);
    if (!stored.success) {
      const issue = stored.error.issues[0]!;
      throw invalid(name, pair, `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    if (stored.data.name !== name || stored.data.source !== pair.source || stored.data.target !== pair.target) {
      throw invalid(name, pair, `it names ${stored.data.name} for ${stored.data.source}->${stored.data.target}`);
    }
    return new Glossary(stored.data.entries);
  }
}

function invalid(name: string, pair: Pair, why: string): ApiError {
  return new ApiError('configuration_error', `the stored glossary "${name}" for ${pair.source}->${pair.target} is invalid (${why}); re-upload it with \`${UPLOAD}\``);
}

const stores = new WeakMap<R2Bucket, GlossaryStore>();

/** The isolate's store for this environment's bucket, created on first use. */
export function glossaryStoreFor(env: Env): GlossaryStore {
  let store = stores.get(env.MODELS);
  if (!store) {
    store = new GlossaryStore({ bucket: env.MODELS });
    stores.set(env.MODELS, store);
  }
  return store;
}
