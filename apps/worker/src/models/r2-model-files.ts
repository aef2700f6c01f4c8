// The only module that talks to object storage. A model is the folder `<id>/` of the R2 bucket, laid
// out as DESIGN.md's model artifact; manifest.json lists every file with its size and sha256.
import { type Manifest, MODEL_FILES, manifestEntry, parseManifest } from '@attend/model-spec';
import { ModelUnavailableError } from './model-error.ts';

/** The files the worker serves from: config, tokenizer and the two int8 graphs, all verified. */
export interface ModelFolder {
  readonly manifest: Manifest;
  readonly config: Record<string, unknown>;
  readonly tokenizerJson: Record<string, unknown>;
  readonly encoder: Uint8Array;
  readonly decoder: Uint8Array;
}

export const SERVED_FILES = [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.encoderQuantized, MODEL_FILES.decoderQuantized] as const;

/** Manifests of every complete model folder (one with a valid manifest.json), sorted by id. */
export async function listManifests(bucket: R2Bucket): Promise<Manifest[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ delimiter: '/', cursor });
    ids.push(...page.delimitedPrefixes.map((prefix) => prefix.slice(0, -1)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const manifests = await Promise.all(ids.map((id) => readManifest(bucket, id).catch(() => undefined)));
  return manifests.filter((m): m is Manifest => m !== undefined).sort((a, b) => a.id.localeCompare(b.id));
}

async function readManifest(bucket: R2Bucket, id: string): Promise<Manifest> {
  const object = await bucket.get(`${id}/${MODEL_FILES.manifest}`);
  if (!object) throw new ModelUnavailableError(id, `${MODEL_FILES.manifest} is missing; upload the model folder again`);
  let manifest: Manifest;
  try {
    manifest = parseManifest(await object.text());
  } catch (error) {
    throw new ModelUnavailableError(id, (error as Error).message);
  }
  if (manifest.id !== id) throw new ModelUnavailableError(id, `${MODEL_FILES.manifest} names model "${manifest.id}"`);
  return manifest;
}

/** Reads and verifies every served file; throws ModelUnavailableError naming the first problem. */
export async function readModelFolder(bucket: R2Bucket, id: string): Promise<ModelFolder> {
  const manifest = await readManifest(bucket, id);
  const [config, tokenizer, encoder, decoder] = await Promise.all(SERVED_FILES.map((path) => readVerified(bucket, manifest, path)));
  return {
    manifest,
    config: parseJson(id, MODEL_FILES.config, config!),
    tokenizerJson: parseJson(id, MODEL_FILES.tokenizer, tokenizer!),
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
  if (!object) throw new ModelUnavailableError(manifest.id, `${path} is missing; upload the model folder again`);
  const bytes = new Uint8Array(await object.arrayBuffer());
  if (bytes.byteLength !== expected.size) {
    throw new ModelUnavailableError(manifest.id, `${path} has ${bytes.byteLength} bytes, manifest.json says ${expected.size}`);
  }
  const digest = await sha256Hex(bytes);
  if (digest !== expected.sha256) throw new ModelUnavailableError(manifest.id, `${path} does not match its sha256 in manifest.json`);
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
