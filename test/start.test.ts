// The README's first command, end to end: `npm start` (build the page, seed the local R2 bucket from
// models/, `wrangler dev`) serves the shipped English<->Spanish models, and a streamed translation of an
// ordinary sentence comes back through the SDK in each direction.
import { Client } from '@attend/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFolders, readManifest } from '../scripts/lib/model-folder.ts';
import { type LocalServer, ROOT, npmStart } from './npm-start.ts';

const SENTENCES = { en: 'Open the file menu.', es: 'Abra el menú Archivo.' } as const;
// Words any usable translation of them keeps: the shipped models, not random weights, answer. (es-en-tiny
// says "Open the Archive menu.", a known mistake listed in its model card.)
const EXPECTED = { es: [/men[uú]/i, /archivo/i], en: [/menu/i, /open/i] } as const;

let server: LocalServer;
let baseURL: string;
let client: Client;

beforeAll(async () => {
  server = await npmStart({ API_KEYS: undefined }); // open access, as on a newcomer's machine
  baseURL = server.baseURL;
  client = new Client({ baseURL, maxRetries: 0 });
});

afterAll(() => server?.stop());

describe('npm start', () => {
  it('serves every model folder under models/, both directions of English<->Spanish among them', async () => {
    const { models } = await client.models.list();
    const shipped = modelFolders(`${ROOT}models`).map((dir) => readManifest(dir).id);
    expect(models.map((m) => m.id).sort()).toEqual(shipped.sort());
    const { pairs } = await client.languages.list();
    expect(pairs.map((p) => `${p.source}-${p.target}`)).toEqual(expect.arrayContaining(['en-es', 'es-en']));
  });

  it.each([
    ['en', 'es'],
    ['es', 'en'],
  ] as const)('streams a %s->%s translation token by token', async (source, target) => {
    const stream = client.translate.stream({ text: SENTENCES[source], source, target });
    const deltas: string[] = [];
    for await (const event of stream) if (event.type === 'delta') deltas.push(event.text);
    const answer = await stream.finalResponse();
    const text = answer.translations[0]?.text ?? '';
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(text);
    expect(text.trim()).not.toBe('');
    for (const word of EXPECTED[target]) expect(text).toMatch(word);
    expect(answer).toMatchObject({ source, target });
  });

  it('keeps the wasm heap far below the 128 MB isolate with both models loaded', async () => {
    const health = (await (await fetch(`${baseURL}/health`)).json()) as { loaded: string[]; wasm_heap_bytes: number };
    expect(health.loaded.sort()).toEqual(['en-es-tiny', 'es-en-tiny']);
    expect(health.wasm_heap_bytes).toBeLessThan(64 * 2 ** 20);
  });
});
