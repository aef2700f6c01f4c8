import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FORMAT, sha256Hex } from '@attend/model-spec';
import { StoredGlossarySchema } from '@attend/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { wranglerBin } from './wrangler.ts';
import { uploadGlossary, uploadModel } from './r2-upload.ts';

const root = mkdtempSync(join(tmpdir(), 'attend-upload-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const persistTo = join(root, 'state');

async function modelFolder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const entries = [];
  for (const [path, content] of Object.entries(files)) {
    writeFileSync(join(dir, path), content);
    const bytes = new TextEncoder().encode(content);
    entries.push({ path, size: bytes.length, sha256: await sha256Hex(bytes) });
  }
  const manifest = { format: MANIFEST_FORMAT, id: name, source: 'en', target: 'es', created: new Date().toISOString(), files: entries };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

// Read objects back through wrangler, from the same local storage `wrangler dev` serves.
function getObject(key: string): string | null {
  const args = [wranglerBin(), 'r2', 'object', 'get', `attend-models/${key}`, '--local', '--persist-to', persistTo, '--pipe'];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout : null;
}

describe('upload', () => {
  it('puts every file under <id>/ in the local bucket, the manifest last', async () => {
    const dir = await modelFolder('m1', { 'config.json': '{"a":1}', 'onnx/encoder_model.onnx': 'fp32', 'onnx/encoder_model_quantized.onnx': 'int8' });
    const log: string[] = [];
    await uploadModel(dir, { bucket: 'attend-models', remote: false, persistTo, servingOnly: true, log: (l) => log.push(l.trim()) });
    expect(log).toEqual(['config.json', 'onnx/encoder_model_quantized.onnx', 'manifest.json']);
    expect(getObject('m1/config.json')).toBe('{"a":1}');
    expect(getObject('m1/onnx/encoder_model_quantized.onnx')).toBe('int8');
    expect(JSON.parse(getObject('m1/manifest.json')!).id).toBe('m1');
    expect(getObject('m1/onnx/encoder_model.onnx')).toBeNull(); // fp32 is not served
  });

  it('refuses a folder whose files do not match the manifest, uploading nothing', async () => {
    const dir = await modelFolder('m2', { 'config.json': 'ok' });
    writeFileSync(join(dir, 'config.json'), 'changed');
    const upload = uploadModel(dir, { bucket: 'attend-models', remote: false, persistTo, servingOnly: false, log: () => {} });
    await expect(upload).rejects.toThrow(/config.json: 7 bytes, manifest says 2/);
    expect(getObject('m2/manifest.json')).toBeNull();
  });

  it('says what to do when the folder is not a model', async () => {
    await expect(uploadModel(root, { bucket: 'b', remote: false, servingOnly: false, log: () => {} })).rejects.toThrow(/no manifest.json: is it a model folder/);
  });
});

describe('upload --glossary', () => {
  const store = { bucket: 'attend-models', remote: false, persistTo, log: () => {} };
  const file = (name: string, text: string) => {
    writeFileSync(join(root, name), text);
    return join(root, name);
  };

  it('puts a TSV or JSON glossary, validated, at the key the worker reads', async () => {
    const tsv = file('ui.tsv', 'file menu\tmenú Archivo\nSave\tGuardar\n');
    expect(await uploadGlossary(tsv, { source: 'en', target: 'es' }, 'ui', store)).toBe('glossaries/en-es/ui.json');
    expect(StoredGlossarySchema.parse(JSON.parse(getObject('glossaries/en-es/ui.json')!))).toEqual({
      format: 'attend-glossary/1',
      name: 'ui',
      source: 'en',
      target: 'es',
      entries: [{ source: 'file menu', target: 'menú Archivo' }, { source: 'Save', target: 'Guardar' }],
    });
    const json = file('legal.json', '[{"source": "contract", "target": "contrato"}]');
    await uploadGlossary(json, { source: 'es', target: 'en' }, 'legal', store);
    expect(JSON.parse(getObject('glossaries/es-en/legal.json')!).entries).toEqual([{ source: 'contract', target: 'contrato' }]);
  });

  it('refuses a glossary the worker would refuse, uploading nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['overlap.tsv', 'New York\tNueva York\nYork City\tYork\n', /overlap\.tsv: entries\.1\.source: "York City" overlaps \(the end of one is the start of the other\) "New York" of entry 0/],
      ['empty.tsv', 'cat\t \n', /empty\.tsv: entries\.0\.target: an empty target term/],
      ['columns.tsv', 'cat gato\n', /columns\.tsv: line 1: expected source<TAB>target/],
      ['shape.json', '{"cat": "gato"}', /shape\.json: entries: .*expected array/i],
    ];
    for (const [name, text, message] of cases) {
      await expect(uploadGlossary(file(name, text), { source: 'en', target: 'es' }, 'bad', store)).rejects.toThrow(message);
    }
    await expect(uploadGlossary(file('ok.tsv', 'a\tb\n'), { source: 'en', target: 'es' }, 'Bad Name', store)).rejects.toThrow(/^--name: a glossary name/);
    expect(getObject('glossaries/en-es/bad.json')).toBeNull();
  });
});
