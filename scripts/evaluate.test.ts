import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transformer, loadCheckpoint, readCheckpoint } from '@attend/model';
import { scoreCorpus } from '@attend/metrics';
import { loadTokenizer } from '@attend/tokenizer/files';
import { evaluateModel, parseEvaluateArgs } from './evaluate.ts';
import { loadTranslator } from './translate.ts';
import { runExport, parseExportArgs } from './export.ts';
import { greedyDecode } from './train/greedy-decode.ts';
import { type TinyRun, tinyRun } from './train/tiny-run.ts';

let run: TinyRun;
let model: string;
beforeAll(async () => {
  run = await tinyRun({ steps: 60 });
  model = join(run.dir, 'model');
  await runExport(parseExportArgs(['--checkpoint', run.config.outDir, '--out', model]));
});
afterAll(() => rmSync(run.dir, { recursive: true, force: true }));

describe('npm run evaluate', () => {
  it('decodes the exported fp32 model as the libtorch model does, and scores what it wrote', async () => {
    const out = join(run.dir, 'hyps.txt');
    // --no-repeat-ngram 0 turns off the folder's guard: greedyDecode below has none
    const args = ['--model', model, '--test', run.config.dev!.path, '--fp32', '--out', out, '--batch', '3', '--no-repeat-ngram', '0'];
    const result = await evaluateModel(parseEvaluateArgs(args));
    const hypotheses = readFileSync(out, 'utf8').split('\n').slice(0, -1);
    expect(hypotheses).toHaveLength(run.dev.length);
    const scores = scoreCorpus(hypotheses, run.dev.map(([, target]) => target));
    expect(result).toMatchObject({ weights: 'fp32', beam: 1, noRepeatNgram: 0, sentences: run.dev.length, bleu: scores.bleu.score, chrf: scores.chrf });

    // The same greedy search on the training-time model: the export and decoding must agree with it.
    const folder = run.summary.lastCheckpoint!;
    const torchModel = new Transformer(readCheckpoint(folder)!.config);
    loadCheckpoint(folder, torchModel);
    const tokenizer = await loadTokenizer(folder);
    const reference = greedyDecode(torchModel, run.dev.map(([source]) => tokenizer.encode(source))).map((ids) => tokenizer.decode(ids));
    torchModel.dispose();
    const agreeing = reference.filter((text, i) => text === hypotheses[i]).length;
    expect(agreeing).toBeGreaterThanOrEqual(run.dev.length - 1); // a near-tie argmax may flip between runtimes
  });

  it('decodes int8 on the serving graphs as the worker does: the batch size never changes a translation', async () => {
    const texts = async (batch: string) => {
      const out = join(run.dir, `batch-${batch}.txt`);
      await evaluateModel(parseEvaluateArgs(['--model', model, '--test', run.config.dev!.path, '--batch', batch, '--out', out]));
      return readFileSync(out, 'utf8');
    };
    expect((await loadTranslator(model)).serving).toBeDefined();
    const alone = await texts('1');
    expect(new Set(alone.split('\n')).size).toBeGreaterThan(2); // rows of different lengths and texts
    expect(await texts('5')).toBe(alone);
  });

  it('runs the int8 model with beam search, and --reverse scores against the first column', async () => {
    const out = join(run.dir, 'reverse.txt');
    const result = await evaluateModel(parseEvaluateArgs(['--model', model, '--test', run.config.dev!.path, '--beam', '2', '--reverse', '--limit', '4', '--out', out]));
    expect(result).toMatchObject({ weights: 'int8', beam: 2, noRepeatNgram: 3, sentences: 4 }); // the folder's guard, `npm run export`'s default
    const hypotheses = readFileSync(out, 'utf8').split('\n').slice(0, -1);
    expect(result.chrf).toBe(scoreCorpus(hypotheses, run.dev.slice(0, 4).map(([source]) => source)).chrf);
    expect(() => parseEvaluateArgs(['--model', model])).toThrow(/--test FILE.tsv is required/);
    expect(() => parseEvaluateArgs(['--model', model, '--test', 't', '--no-repeat-ngram=-1'])).toThrow(/--no-repeat-ngram must be a non-negative integer/);
  });
});
