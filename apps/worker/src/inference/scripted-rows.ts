// A Translator on the real scheduler and driver without a model, for tests of what is built on them:
// each source word is one token, and every row emits token 5 (the word 'x') `tokens` times, then EOS,
// each with p = 0.9; a step takes `stepMs` of CPU (a busy wait, as a decoder run is). Records the
// tokens of each decoder run.
import { type RowDecoder, RowBudget, StepScheduler } from '@attend/decoding';
import { type Manifest, resolveConfig } from '@attend/model-spec';
import { CpuAccount } from './cpu-account.ts';
import { StepDriver } from './step-driver.ts';
import type { Translator } from './translator.ts';

const manifest: Manifest = { format: 'attend-model/1', id: 'scripted', source: 'en', target: 'es', created: '2026-01-01T00:00:00Z', files: [] };
const VOCAB = 8;
const X = 5;
const EOS = 1;
const decode = (ids: number[]) => ids.map(() => 'x').join(' ');

export function scriptedRowsTranslator(script: { tokens?: number; stepMs?: number } = {}): Translator & { readonly runs: number[][] } {
  const { tokens = Number.POSITIVE_INFINITY, stepMs = 0 } = script;
  const runs: number[][] = [];
  const decoder: RowDecoder<{ made: number }> = {
    encode: async (sources) => sources.map(() => ({ made: 0 })),
    step: async (rows, fed) => {
      runs.push([...fed]);
      for (const until = performance.now() + stepMs; performance.now() < until; );
      const logProbs = new Float32Array(rows.length * VOCAB).fill(Math.log(0.1 / (VOCAB - 1)));
      rows.forEach((row, i) => (logProbs[i * VOCAB + (row.made++ < tokens ? X : EOS)] = Math.log(0.9)));
      return logProbs;
    },
    fork: (row) => ({ ...row }),
    release: () => {},
  };
  const driver = new StepDriver(new StepScheduler(decoder, new RowBudget({ maxRows: 64, maxCacheBytes: 1 << 30 }), 1));
  return {
    manifest,
    config: resolveConfig({ vocabSize: VOCAB, maxPositions: 64 }),
    maxSourceTokens: 64,
    runs,
    get decoderSteps() {
      return runs.length;
    },
    encode: (text) => [...text.split(/\s+/).map((_, i) => 3 + i), EOS],
    decode,
    generate: (sources, options) => driver.generate(sources, { ...options, decode }, options.account ?? new CpuAccount(Infinity)),
    dispose: () => {},
  };
}
