// The only module that talks to object storage. A model is the folder `<id>/` of the R2 bucket, laid
// out as DESIGN.md's model artifact; manifest.json lists every file with its size and sha256.
import { type Manifest, MODEL_FILES, manifestEntry, parseManifest, SERVING_FILES } from '@attend/model-spec';
import { GLOSSARY_PREFIX } from '@attend/protocol';
import { type BrokenModel, guessPair } from './broken-model.ts';
import { ModelUnavailableError, REUPLOAD } from './model-error.ts';

/** The files the worker serves from: config, tokenizer and two int8 graphs, all verified. */
export interface ModelFolder {
  readonly manifest: Manifest;
  readonly config: Record<string, unknown>;
  readonly tokenizerJson: Record<string, unknown>;
  /** true: the serving graphs (batched decoding); false: the Hugging Face pair (one row per run). */
  readonly serving: boolean;
  readonly encoder: Uint8Array;
  readonly decoder: Uint8Array;
}

/** What the worker reads from a folder without serving graphs (an OPUS-MT export). */
export const SERVED_FILES = [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.encoderQuantized, MODEL_FILES.decoderQuantized] as const;

/** The files the worker reads from this folder: the serving graphs when the manifest lists both. */
export function servedFiles(manifest: Manifest): readonly string[] {
  const listed = new Set(manifest.files.map((f) => f.path));
  if (!(listed.has(SERVING_FILES.encoder) && listed.has(SERVING_FILES.decoder))) return SERVED_FILES;
  return [MODEL_FILES.config, MODEL_FILES.tokenizer, SERVING_FILES.encoder, SERVING_FILES.decoder];
}

/** The bucket's model folders: those with a valid manifest.json, and the broken ones. */
export interface ModelListing {
  readonly manifests: readonly Manifest[]; // sorted by id
  readonly broken: readonly BrokenModel[]; // sorted by id
}

/** Lists every model folder and reads its manifest; a folder whose manifest cannot be read is broken. */
export async function listModels(bucket: R2Bucket): Promise<ModelListing> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ delimiter: '/', cursor });
    // Named glossaries live beside the models (`npm run upload -- --glossary`); they are no model folder.
    ids.push(...page.delimitedPrefixes.filter((prefix) => prefix !== GLOSSARY_PREFIX).map((prefix) => prefix.slice(0, -1)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const read = await Promise.all(ids.map((id) => readManifest(bucket, id).catch((error: unknown) => brokenModel(bucket, id, error))));
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return {
    manifests: read.filter((m): m is Manifest => !('reason' in m)).sort(byId),
    broken: read.filter((m): m is BrokenModel => 'reason' in m).sort(byId),
  };
}

async function brokenModel(bucket: R2Bucket, id: string, error: unknown): Promise<BrokenModel> {
  // A failed read of R2 itself lands here too: the listing of a broken folder is kept only briefly.
  const reason = error instanceof ModelUnavailableError ? error.reason : `reading ${MODEL_FILES.manifest} failed: ${String(error)}`;
  const config = await bucket.get(`${id}/${MODEL_FILES.config}`).then((object) => object?.text(), () => undefined);
  return { id, reason, pair: guessPair(id, config) };
}

async function readManifest(bucket: R2Bucket, id: string): Promise<Manifest> {
  const object = await bucket.get(`${id}/${MODEL_FILES.manifest}`);
  // The uploader writes manifest.json last: a folder without one is an upload that did not finish.
  if (!object) throw new ModelUnavailableError(id, `${MODEL_FILES.manifest} is missing, so no file can be verified; ${REUPLOAD}`);
  let manifest: Manifest;
  try {
    manifest = parseManifest(await object.text());
  } catch (error) {
    throw new ModelUnavailableError(id, `${(error as Error).message}; ${REUPLOAD}`);
  }
  if (manifest.id !== id) throw new ModelUnavailableError(id, `${MODEL_FILES.manifest} names model "${manifest.id}"; ${REUPLOAD}`);
  return manifest;
}

/** Bytes the worker reads to load a model: the served files, as the manifest lists them. */
export function servedBytes(manifest: Manifest): number {
  const served = new Set(servedFiles(manifest));
  return manifest.files.filter((f) => served.has(f.path)).reduce((sum, f) => sum + f.size, 0);
}

/** Reads and verifies every served file; throws ModelUnavailableError naming the first problem. */
export async function readModelFolder(bucket: R2Bucket, id: string): Promise<ModelFolder> {
  const manifest = await readManifest(bucket, id);
  const files = servedFiles(manifest);
  const [config, tokenizer, encoder, decoder] = await Promise.all(files.map((path) => readVerified(bucket, manifest, path)));
  return {
    manifest,
    config: parseJson(id, MODEL_FILES.config, config!),
    tokenizerJson: parseJson(id, MODEL_FILES.tokenizer, tokenizer!),
    serving: files !== SERVED_FILES,
    encoder: encoder!,
    decoder: decoder!,
  };
}

async function readVerified(bucket: R2Bucket, manifest: Manifest, path: string): Promise<Uint8Array> {
  let expected;
  try {
    expected = manifestEntry(manifest, path);
  } catch (error) {
    throw new ModelUnavailableError(manifest.id, (error as Error).message);
  }
  const object = await bucket.get(`${manifest.id}/${path}`);
  if (!object) throw new ModelUnavailableError(manifest.id, `${path} is missing; ${REUPLOAD}`);
  const bytes = new Uint8Array(await object.arrayBuffer());
  if (bytes.byteLength !== expected.size) {
    throw new ModelUnavailableError(manifest.id, `${path} has ${bytes.byteLength} bytes, manifest.json says ${expected.size}; ${REUPLOAD}`);
  }
  const digest = await sha256Hex(bytes);
  if (digest !== expected.sha256) throw new ModelUnavailableError(manifest.id, `${path} does not match its sha256 in manifest.json; ${REUPLOAD}`);
  return bytes;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function parseJson(id: string, path: string, bytes: Uint8Array): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('expected an object');
    return json as Record<string, unknown>;
  } catch (error) {
    throw new ModelUnavailableError(id, `${path} is not a JSON object: ${(error as Error).message}`);
  }
}
