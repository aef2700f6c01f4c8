// Seeds the local R2 bucket with the model folder exported by global-setup.ts.
import { MODEL_FILES, SERVING_FILES } from '@attend/model-spec';
import { inject } from 'vitest';

export const TEST_MODEL = { id: 'en-es-test', source: 'en', target: 'es' } as const;

export function testModelFiles(): Record<string, Uint8Array> {
  const folder = inject('testModelFolder');
  return Object.fromEntries(Object.entries(folder).map(([path, base64]) => [path, Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))]));
}

export interface SeedOptions {
  readonly id?: string;
  readonly target?: string;
  /** Flip one byte of the int8 decoder the worker serves after the manifest was written, as a bad upload would. */
  readonly corruptDecoder?: boolean;
}

/** Writes the folder, manifest.json included, under `<id>/` as the uploader does. */
export async function seedTestModel(bucket: R2Bucket, options: SeedOptions = {}): Promise<void> {
  const id = options.id ?? TEST_MODEL.id;
  for (const [path, bytes] of Object.entries(testModelFiles())) {
    let content: Uint8Array | string = bytes;
    if (path === MODEL_FILES.manifest) {
      const manifest = JSON.parse(new TextDecoder().decode(bytes));
      content = JSON.stringify({ ...manifest, id, target: options.target ?? manifest.target });
    } else if (path === SERVING_FILES.decoder && options.corruptDecoder) {
      content = bytes.slice();
      content[content.length >> 1]! ^= 0xff;
    }
    await bucket.put(`${id}/${path}`, content);
  }
}
