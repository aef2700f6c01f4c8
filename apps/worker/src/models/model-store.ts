// Loaded models of one isolate. The first request for a model reads and verifies its folder from R2
// and builds its sessions; concurrent first requests share that one load; later requests reuse it.
// A failed load leaves nothing behind (the next request tries again), and at most `maxLoaded` models
// stay in memory: the least recently used is dropped, and disposed once its last user releases it.
// Every load and every failure is logged, and the last failure of each model is kept for /health.
import type { Manifest } from '@attend/model-spec';
import { log } from '../log.ts';
import { ModelUnavailableError } from './model-error.ts';
import { type ModelFolder, type ModelListing, listModels, readModelFolder, servedBytes } from './r2-model-files.ts';

export interface DisposableModel {
  dispose(): void;
}

export interface ModelStoreOptions<T extends DisposableModel> {
  readonly bucket: R2Bucket;
  readonly maxLoaded: number;
  /** Builds the in-memory model from verified files; must free what it made before throwing. */
  readonly build: (folder: ModelFolder) => Promise<T>;
  /** How long a listing of the bucket is reused (ms): models are uploaded rarely. */
  readonly catalogTtlMs?: number;
  /** How long a listing with a broken folder is reused (ms): short, so that a fixed upload is served soon. */
  readonly brokenTtlMs?: number;
}

/** A model that cannot be served, and why. */
export interface ModelFailure {
  readonly model: string;
  readonly reason: string;
}

/** A model in use; `release` it when done so that eviction can free it. */
export interface ModelLease<T> {
  readonly model: T;
  release(): void;
}

interface Slot<T> {
  readonly model: T;
  users: number;
  evicted: boolean;
}

export class ModelStore<T extends DisposableModel> {
  readonly #options: ModelStoreOptions<T>;
  readonly #loaded = new Map<string, Slot<T>>(); // iteration order = least recently used first
  readonly #loading = new Map<string, Promise<Slot<T>>>();
  #listing: { readonly at: number; readonly listing: Promise<ModelListing>; keepMs: number } | undefined;
  readonly #failures = new Map<string, string>(); // model id -> why its last load failed
  /** Folder loads started and models evicted since the isolate started. */
  readonly stats = { loads: 0, evictions: 0 };

  constructor(options: ModelStoreOptions<T>) {
    if (!Number.isInteger(options.maxLoaded) || options.maxLoaded < 1) {
      throw new RangeError(`maxLoaded must be a positive integer (MAX_LOADED_MODELS in wrangler.toml), got ${options.maxLoaded}`);
    }
    this.#options = options;
  }

  /** The bucket's model folders, healthy and broken, listed at most once per `catalogTtlMs`. */
  listing(now = Date.now()): Promise<ModelListing> {
    if (!this.#listing || now - this.#listing.at > this.#listing.keepMs) {
      const listing = listModels(this.#options.bucket);
      const entry = { at: now, listing, keepMs: this.#options.catalogTtlMs ?? 30_000 };
      this.#listing = entry;
      // A failed or empty listing is not kept: the first upload is served without waiting for the TTL.
      const forget = () => {
        if (this.#listing === entry) this.#listing = undefined;
      };
      listing.then(({ manifests, broken }) => {
        for (const { id, reason } of broken) log('model_broken', { model: id, reason });
        if (broken.length > 0) entry.keepMs = Math.min(entry.keepMs, this.#options.brokenTtlMs ?? 1_000);
        if (manifests.length === 0 && broken.length === 0) forget();
      }, forget);
    }
    return this.#listing.listing;
  }

  /** Manifests of the loadable models in the bucket (see `listing`). */
  async catalog(now = Date.now()): Promise<readonly Manifest[]> {
    return (await this.listing(now)).manifests;
  }

  /** Models that cannot be served: broken folders, and listed models whose last load failed. */
  async failures(now = Date.now()): Promise<ModelFailure[]> {
    const { manifests, broken } = await this.listing(now);
    const listed = new Set(manifests.map((m) => m.id));
    for (const id of this.#failures.keys()) if (!listed.has(id)) this.#failures.delete(id); // deleted from the bucket
    const failedLoads = [...this.#failures].map(([model, reason]) => ({ model, reason }));
    return [...broken.map(({ id, reason }) => ({ model: id, reason })), ...failedLoads].sort((a, b) => a.model.localeCompare(b.model));
  }

  isLoaded(id: string): boolean {
    return this.#loaded.has(id);
  }

  /** Ids of the models in memory, least recently used first. */
  loadedIds(): string[] {
    return [...this.#loaded.keys()];
  }

  /** Leases of `id` not yet released. */
  users(id: string): number {
    return this.#loaded.get(id)?.users ?? 0;
  }

  /** The loaded model `id`, loading it first if needed. Throws ModelUnavailableError. */
  async acquire(id: string): Promise<ModelLease<T>> {
    for (;;) {
      const slot = this.#loaded.get(id) ?? (await this.#load(id));
      // A burst of other loads may have evicted it while this request waited: load it again.
      if (slot.evicted) continue;
      this.#loaded.delete(id);
      this.#loaded.set(id, slot);
      slot.users++;
      let released = false;
      return {
        model: slot.model,
        release: () => {
          if (released) return;
          released = true;
          slot.users--;
          if (slot.evicted && slot.users === 0) slot.model.dispose();
        },
      };
    }
  }

  #load(id: string): Promise<Slot<T>> {
    let pending = this.#loading.get(id);
    if (pending) return pending;
    this.stats.loads++;
    const started = Date.now();
    pending = (async () => {
      const folder = await readModelFolder(this.#options.bucket, id);
      const model = await this.#options.build(folder);
      const slot: Slot<T> = { model, users: 0, evicted: false };
      this.#loaded.set(id, slot);
      this.#failures.delete(id);
      log('model_load', { model: id, ms: Date.now() - started, bytes: servedBytes(folder.manifest) });
      this.#evictOverflow();
      return slot;
    })();
    pending.catch((error: unknown) => {
      // Kept until a later load succeeds: a transient failure heals on the next request for the model.
      const reason = error instanceof ModelUnavailableError ? error.reason : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.#failures.set(id, reason);
      log('model_load_failed', { model: id, ms: Date.now() - started, reason });
    });
    this.#loading.set(id, pending);
    const forget = () => this.#loading.delete(id);
    pending.then(forget, forget);
    return pending;
  }

  #evictOverflow(): void {
    for (const [id, slot] of this.#loaded) {
      if (this.#loaded.size <= this.#options.maxLoaded) return;
      this.#loaded.delete(id);
      this.stats.evictions++;
      slot.evicted = true;
      if (slot.users === 0) slot.model.dispose();
    }
  }
}
