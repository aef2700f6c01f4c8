import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '@attend/model-spec';
import { checkpointFolders, runExport, parseExportArgs } from './export.ts';
import { type TinyRun, tinyRun } from './train/tiny-run.ts';

let run: TinyRun;
beforeAll(async () => {
  run = await tinyRun({ steps: 6, average: 2 });
});
afterAll(() => rmSync(run.dir, { recursive: true, force: true }));

describe('npm run export', () => {
  it('writes the model folder with int8 and fp32 graphs, the tokenizer and the training config', async () => {
    const out = join(run.dir, 'model');
    const result = await runExport(parseExportArgs(['--checkpoint', run.config.outDir, '--out', out, '--id', 'en-es-test']));
    expect(result).toMatchObject({ id: 'en-es-test', step: 6, files: 10 });
    // The Hugging Face int8 pair against its fp32 pair (int8Bytes also counts the serving graphs).
    const bytes = (...files: string[]) => files.reduce((sum, file) => sum + statSync(join(out, 'onnx', file)).size, 0);
    expect(bytes('encoder_model_quantized.onnx', 'decoder_model_merged_quantized.onnx')).toBeLessThan(bytes('encoder_model.onnx', 'decoder_model_merged.onnx'));
    const manifest = parseManifest(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'onnx/encoder_model_quantized.onnx',
        'onnx/decoder_model_merged_quantized.onnx',
        'onnx/encoder_model.onnx',
        'onnx/encoder_model_serving_quantized.onnx',
        'onnx/decoder_model_serving_quantized.onnx',
        'tokenizer.json',
      ]),
    );
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'marian', d_model: 16, encoder_layers: 1, translator: { source: 'en', target: 'es' } });
    expect(config.translator.training).toMatchObject({ step: 6, config: { optim: { betas: [0.9, 0.98], labelSmoothing: 0.1 }, run: { maxSteps: 6 } } });
    expect(config.translator.metrics['dev.bleu']).toBeTypeOf('number');
    expect(config.no_repeat_ngram_size).toBe(3); // the guard is on by default, for every runtime
    expect(JSON.parse(readFileSync(join(out, 'generation_config.json'), 'utf8')).no_repeat_ngram_size).toBe(3);
    expect(readFileSync(join(out, 'tokenizer.json'), 'utf8')).toBe(`${JSON.stringify(JSON.parse(readFileSync(join(run.config.outDir, 'tokenizer.json'), 'utf8')), null, 2)}\n`);
  });

  it('leaves out the fp32 graphs with --int8-only, and the manifest lists only what is there', async () => {
    const out = join(run.dir, 'int8-model');
    const result = await runExport(parseExportArgs(['--checkpoint', run.config.outDir, '--out', out, '--int8-only', '--no-repeat-ngram', '0']));
    expect(result).toMatchObject({ files: 8, fp32Bytes: 0 });
    for (const file of ['config.json', 'generation_config.json']) expect(JSON.parse(readFileSync(join(out, file), 'utf8')).no_repeat_ngram_size, file).toBe(0);
    const paths = parseManifest(readFileSync(join(out, 'manifest.json'), 'utf8')).files.map((f) => f.path);
    expect(paths).toContain('onnx/decoder_model_merged_quantized.onnx');
    expect(paths.filter((p) => p.endsWith('.onnx') && !p.endsWith('_quantized.onnx'))).toEqual([]);
    expect(existsSync(join(out, 'onnx/encoder_model.onnx'))).toBe(false);
  });

  it('averages the newest N checkpoints, and exports the trainer\'s averaged folder', async () => {
    const step5 = join(run.config.outDir, 'checkpoints', 'step-00000005');
    expect(checkpointFolders(step5, 2).map((p) => p.slice(-2))).toEqual(['04', '05']);
    const out = join(run.dir, 'averaged-model');
    await runExport(parseExportArgs(['--checkpoint', run.config.outDir, '--average', '2', '--out', out]));
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).translator.training.averagedSteps).toEqual([5, 6]);
    const fromTrainer = join(run.dir, 'trainer-average');
    await runExport(parseExportArgs(['--checkpoint', join(run.config.outDir, 'averaged'), '--out', fromTrainer]));
    expect(readFileSync(join(fromTrainer, 'onnx/encoder_model.onnx')).equals(readFileSync(join(out, 'onnx/encoder_model.onnx')))).toBe(true);
  });

  it('re-exports a model folder from its int8 files: the same weights, config and tokenizer', async () => {
    const first = join(run.dir, 'model');
    const again = join(run.dir, 'from-model');
    const result = await runExport(parseExportArgs(['--from-model', first, '--out', again, '--int8-only']));
    expect(result).toMatchObject({ id: 'from-model', from: first, files: 8, fp32Bytes: 0 });
    for (const file of ['onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx', 'onnx/decoder_model_serving_quantized.onnx', 'tokenizer.json']) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(first, file))), file).toBe(true);
    }
    const [a, b] = [first, again].map((dir) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')));
    expect(b).toEqual(a);
    expect(() => parseExportArgs(['--from-model', first, '--checkpoint', run.config.outDir, '--out', 'x'])).toThrow(/give one of/);
    await expect(runExport(parseExportArgs(['--from-model', run.dir, '--out', join(run.dir, 'x')]))).rejects.toThrow(/config.json is missing: --from-model takes a model folder/);
  });

  it('says what to pass when the checkpoint is wrong', () => {
    expect(() => parseExportArgs(['--out', 'x'])).toThrow(/give one of --checkpoint DIR/);
    for (const bad of ['-1', '2.5', 'three']) {
      expect(() => parseExportArgs(['--checkpoint', 'c', '--out', 'x', `--no-repeat-ngram=${bad}`])).toThrow(/--no-repeat-ngram must be a non-negative integer/);
    }
    expect(() => checkpointFolders(run.dir, 1)).toThrow(/neither a checkpoint folder nor a run folder/);
    expect(() => checkpointFolders(join(run.config.outDir, 'averaged'), 2)).toThrow(/already a single checkpoint/);
    expect(() => checkpointFolders(run.config.outDir, 9)).toThrow(/keeps only \d+ checkpoints up to step 6; lower --average/);
    expect(existsSync(join(run.config.outDir, 'checkpoints', 'latest'))).toBe(true);
  });
});
