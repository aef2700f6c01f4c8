// The default models as the product serves them: both folders in one worker, a burst of streams
// arriving at once on each, then the wasm heap (which only grows, so this is its peak): the goal is both
// directions within 64 MB.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILES } from '@attend/model-spec';
import type { LocalWorker } from './serve-worker.ts';

export interface DefaultsRun {
  readonly models: readonly { readonly id: string; readonly streams: number; readonly errors: number; readonly wallMs: number }[];
  readonly wasmHeapBytes: number;
}

/** `pairs`: English<TAB>Spanish lines; each model translates its source side of the first `streams`. */
export async function burstDefaults(worker: LocalWorker, dirs: readonly string[], pairs: readonly (readonly [string, string])[], streams: number, apiKey: () => string): Promise<DefaultsRun> {
  const models: DefaultsRun['models'][number][] = [];
  for (const dir of dirs) {
    const { id, source, target } = JSON.parse(await readFile(join(dir, MODEL_FILES.manifest), 'utf8')) as { id: string; source: string; target: string };
    const side = source === 'en' ? 0 : 1;
    const start = performance.now();
    const done = await Promise.all(pairs.slice(0, streams).map((pair) => streamOne(worker.url, apiKey(), { text: pair[side], target, model: id })));
    models.push({ id, streams, errors: done.filter((ok) => !ok).length, wallMs: performance.now() - start });
  }
  return { models, wasmHeapBytes: (await worker.health()).wasm_heap_bytes };
}

/** Whether the stream ended with `done` and no `error`. */
async function streamOne(baseURL: string, apiKey: string, body: { text: string; target: string; model: string }): Promise<boolean> {
  const response = await fetch(new URL('v1/translate', baseURL), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ ...body, stream: true, options: { max_tokens: 64 } }),
  });
  const events = await response.text();
  return response.ok && events.includes('event: done') && !events.includes('event: error');
}
