// Loaded models of one isolate. The first request for a model reads and verifies its folder from R2
// and builds its sessions; concurrent first requests share that one load; later requests reuse it.
// A failed load leaves nothing behind (the next request tries again), and at most `maxLoaded` models
// stay in memory: the least recently used is dropped, and disposed once its last user releases it.
import type { Manifest } from '@attend/model-spec';
import { type ModelFolder, listManifests, readModelFolder } from './r2-model-files.ts';

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
  #catalog: { readonly at: number; readonly manifests: Promise<Manifest[]> } | undefined;
  /** Folder loads started and models evicted since the isolate started. */
  readonly stats = { loads: 0, evictions: 0 };

  constructor(options: ModelStoreOptions<T>) {
    if (!Number.isInteger(options.maxLoaded) || options.maxLoaded < 1) {
      throw new RangeError(`maxLoaded must be a positive integer (MAX_LOADED_MODELS in wrangler.toml), got ${options.maxLoaded}`);
    }
    this.#options = options;
  }

  /** Manifests of the models in the bucket, listed at most once per `catalogTtlMs`. */
  catalog(now = Date.now()): Promise<Manifest[]> {
    const ttl = this.#options.catalogTtlMs ?? 30_000;
    if (!this.#catalog || now - this.#catalog.at > ttl) {
      const manifests = listManifests(this.#options.bucket);
      this.#catalog = { at: now, manifests };
      // A failed or empty listing is not kept: the first upload is served without waiting for the TTL.
      const forget = () => {
        if (this.#catalog?.manifests === manifests) this.#catalog = undefined;
      };
      manifests.then((list) => list.length === 0 && forget(), forget);
    }
    return this.#catalog.manifests;
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
    pending = (async () => {
      const model = await this.#options.build(await readModelFolder(this.#options.bucket, id));
      const slot: Slot<T> = { model, users: 0, evicted: false };
      this.#loaded.set(id, slot);
      this.#evictOverflow();
      return slot;
    })();
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
