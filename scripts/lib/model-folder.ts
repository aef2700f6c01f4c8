// A model folder on disk (DESIGN.md, "The model artifact"): its manifest, checked file by file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Manifest, MODEL_FILES, parseManifest, verifyFile } from '@attend/model-spec';

export function readManifest(dir: string): Manifest {
  let text: string;
  try {
    text = readFileSync(join(dir, MODEL_FILES.manifest), 'utf8');
  } catch {
    throw new Error(`${dir} has no ${MODEL_FILES.manifest}: is it a model folder written by \`npm run export\`?`);
  }
  return parseManifest(text);
}

/** Reads the manifest and checks every file it lists against its size and sha256. */
export async function verifyModelFolder(dir: string): Promise<Manifest> {
  const manifest = readManifest(dir);
  for (const entry of manifest.files) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(dir, entry.path));
    } catch {
      throw new Error(`${dir}: ${entry.path} is listed in the manifest but missing`);
    }
    await verifyFile(entry, bytes);
  }
  return manifest;
}

/** The model folders directly under root (those with a manifest), as paths. */
export function modelFolders(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, MODEL_FILES.manifest)))
    .map((entry) => join(root, entry.name));
}
