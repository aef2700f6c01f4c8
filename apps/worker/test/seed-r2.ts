// Writes a model folder into the local R2 bucket, with a manifest.json computed from its files,
// exactly as the uploader would.
import { MANIFEST_FORMAT, type Manifest } from '@attend/model-spec';
import { sha256Hex } from '../src/models/r2-model-files.ts';

export type FolderFiles = Record<string, Uint8Array | string>;

export async function seedModel(bucket: R2Bucket, id: string, pair: { source: string; target: string }, files: FolderFiles): Promise<Manifest> {
  const entries = await Promise.all(
    Object.entries(files).map(async ([path, content]) => {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      await bucket.put(`${id}/${path}`, bytes);
      return { path, size: bytes.byteLength, sha256: await sha256Hex(bytes) };
    }),
  );
  const manifest: Manifest = { format: MANIFEST_FORMAT, id, ...pair, created: '2026-01-01T00:00:00.000Z', files: entries };
  await bucket.put(`${id}/manifest.json`, JSON.stringify(manifest));
  return manifest;
}

export async function clearBucket(bucket: R2Bucket): Promise<void> {
  for (;;) {
    const page = await bucket.list();
    if (page.objects.length === 0) return;
    await bucket.delete(page.objects.map((o) => o.key));
  }
}
