import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '@attend/model-spec';
import { checkpointFolders, exportCheckpoint, parseExportArgs } from './export.ts';
import { type TinyRun, tinyRun } from './train/tiny-run.ts';

let run: TinyRun;
beforeAll(async () => {
  run = await tinyRun({ steps: 6, average: 2 });
});
afterAll(() => rmSync(run.dir, { recursive: true, force: true }));

describe('npm run export', () => {
  it('writes the model folder with int8 and fp32 graphs, the tokenizer and the training config', async () => {
    const out = join(run.dir, 'model');
    const result = await exportCheckpoint(parseExportArgs(['--checkpoint', run.config.outDir, '--out', out, '--id', 'en-es-test']));
    expect(result).toMatchObject({ id: 'en-es-test', step: 6, files: 8 });
    expect(result.int8Bytes).toBeLessThan(result.fp32Bytes);
    const manifest = parseManifest(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx', 'onnx/encoder_model.onnx', 'tokenizer.json']),
    );
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'marian', d_model: 16, encoder_layers: 1, translator: { source: 'en', target: 'es' } });
    expect(config.translator.training).toMatchObject({ step: 6, config: { optim: { betas: [0.9, 0.98], labelSmoothing: 0.1 }, run: { maxSteps: 6 } } });
    expect(config.translator.metrics['dev.bleu']).toBeTypeOf('number');
    expect(readFileSync(join(out, 'tokenizer.json'), 'utf8')).toBe(`${JSON.stringify(JSON.parse(readFileSync(join(run.config.outDir, 'tokenizer.json'), 'utf8')), null, 2)}\n`);
  });

  it('leaves out the fp32 graphs with --int8-only, and the manifest lists only what is there', async () => {
    const out = join(run.dir, 'int8-model');
    const result = await exportCheckpoint(parseExportArgs(['--checkpoint', run.config.outDir, '--out', out, '--int8-only']));
    expect(result).toMatchObject({ files: 6, fp32Bytes: 0 });
    const paths = parseManifest(readFileSync(join(out, 'manifest.json'), 'utf8')).files.map((f) => f.path);
    expect(paths).toContain('onnx/decoder_model_merged_quantized.onnx');
    expect(paths.filter((p) => p.endsWith('.onnx') && !p.endsWith('_quantized.onnx'))).toEqual([]);
    expect(existsSync(join(out, 'onnx/encoder_model.onnx'))).toBe(false);
  });

  it('averages the newest N checkpoints, and exports the trainer\'s averaged folder', async () => {
    const step5 = join(run.config.outDir, 'checkpoints', 'step-00000005');
    expect(checkpointFolders(step5, 2).map((p) => p.slice(-2))).toEqual(['04', '05']);
    const out = join(run.dir, 'averaged-model');
    await exportCheckpoint(parseExportArgs(['--checkpoint', run.config.outDir, '--average', '2', '--out', out]));
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).translator.training.averagedSteps).toEqual([5, 6]);
    const fromTrainer = join(run.dir, 'trainer-average');
    await exportCheckpoint(parseExportArgs(['--checkpoint', join(run.config.outDir, 'averaged'), '--out', fromTrainer]));
    expect(readFileSync(join(fromTrainer, 'onnx/encoder_model.onnx')).equals(readFileSync(join(out, 'onnx/encoder_model.onnx')))).toBe(true);
  });

  it('says what to pass when the checkpoint is wrong', () => {
    expect(() => parseExportArgs(['--out', 'x'])).toThrow(/--checkpoint DIR is required/);
    expect(() => checkpointFolders(run.dir, 1)).toThrow(/neither a checkpoint folder nor a run folder/);
    expect(() => checkpointFolders(join(run.config.outDir, 'averaged'), 2)).toThrow(/already a single checkpoint/);
    expect(() => checkpointFolders(run.config.outDir, 9)).toThrow(/keeps only \d+ checkpoints up to step 6; lower --average/);
    expect(existsSync(join(run.config.outDir, 'checkpoints', 'latest'))).toBe(true);
  });
});
