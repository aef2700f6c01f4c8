// manifest.json: every file of a model folder with its size and sha256. Written last by the exporter
// and by the uploader, so a model without a manifest is incomplete; the worker verifies what it loads.

export const MANIFEST_FORMAT = 'attend-model/1';

export interface ManifestFile {
  readonly path: string; // relative to the model folder, '/' separated
  readonly size: number; // bytes
  readonly sha256: string; // lowercase hex
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly id: string; // model id, e.g. "en-es-tiny"
  readonly source: string;
  readonly target: string;
  readonly created: string; // ISO 8601
  readonly files: readonly ManifestFile[];
}

/** Parses manifest.json text, with an error that names the first thing wrong. */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`manifest.json is not valid JSON: ${(error as Error).message}`);
  }
  const m = json as Partial<Manifest>;
  if (m === null || typeof m !== 'object') throw new Error('manifest.json must be an object');
  if (m.format !== MANIFEST_FORMAT) throw new Error(`manifest.json: format must be "${MANIFEST_FORMAT}", got ${JSON.stringify(m.format)}`);
  for (const key of ['id', 'source', 'target', 'created'] as const) {
    if (typeof m[key] !== 'string' || m[key] === '') throw new Error(`manifest.json: "${key}" must be a non-empty string`);
  }
  if (!Array.isArray(m.files)) throw new Error('manifest.json: "files" must be an array');
  for (const [i, f] of m.files.entries()) {
    const file = f as Partial<ManifestFile>;
    if (typeof file.path !== 'string' || file.path === '' || file.path.startsWith('/') || file.path.split('/').includes('..')) {
      throw new Error(`manifest.json: files[${i}].path must be a relative path inside the model folder`);
    }
    if (!Number.isInteger(file.size) || (file.size as number) < 0) throw new Error(`manifest.json: files[${i}].size must be a byte count`);
    if (typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256)) {
      throw new Error(`manifest.json: files[${i}].sha256 must be 64 lowercase hex digits`);
    }
  }
  return m as Manifest;
}

export function manifestEntry(manifest: Manifest, path: string): ManifestFile {
  const entry = manifest.files.find((f) => f.path === path);
  if (!entry) throw new Error(`manifest.json of model "${manifest.id}" lists no file "${path}"`);
  return entry;
}

/** Lowercase hex sha256, with Web Crypto (Node, workerd and browsers alike). */
export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws unless `bytes` are exactly the file the manifest lists. */
export async function verifyFile(entry: ManifestFile, bytes: Uint8Array | ArrayBuffer): Promise<void> {
  if (bytes.byteLength !== entry.size) {
    throw new Error(`${entry.path}: ${bytes.byteLength} bytes, manifest says ${entry.size} (incomplete or corrupt copy)`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== entry.sha256) throw new Error(`${entry.path}: sha256 ${actual} does not match the manifest's ${entry.sha256} (corrupt copy)`);
}
