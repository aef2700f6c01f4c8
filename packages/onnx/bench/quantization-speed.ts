// What int8 costs or buys in onnxruntime-web (WASM, one thread, as in the Worker) against fp32.
// Exports the tiny config (random weights) in fp32 and int8 (quantize.ts), then times the encoder on
// a 16-token sentence and 32 greedy decoder steps with the KV cache. WARMUP rounds per model, then
// ROUNDS rounds that visit the models in turn (so load changes on the machine hit all of them).
// Reported: the process's CPU time (user + system; WASM runs on this one thread, so it counts the work
// even when other processes share the cores) and wall time, each the median over rounds.
// Run: npm run bench:onnx
import { TINY } from '@attend/model-spec';
import * as ort from 'onnxruntime-web';
import { buildDecoderGraph } from '../src/decoder-graph.ts';
import { buildEncoderGraph } from '../src/encoder-graph.ts';
import { encodeModel } from '../src/onnx-proto.ts';
import { quantizeModel } from '../src/quantize.ts';
import { decodeStep, encode } from '../src/testing/ort-session.ts';
import { randomWeights } from '../src/testing/random-weights.ts';

const SOURCE = Array.from({ length: 16 }, (_, i) => 3 + ((i * 977) % (TINY.vocabSize - 3)));
const STEPS = 32;
const WARMUP = 3; // rounds per form before timing: V8 tiers WASM up from its baseline compiler lazily
const ROUNDS = 11;

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const weights = randomWeights(TINY, 7);
const fp32 = { encoder: buildEncoderGraph(TINY, weights), decoder: buildDecoderGraph(TINY, weights) };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mask = [SOURCE.map(() => 1)];

interface Candidate {
  label: string;
  files: { encoder: Uint8Array; decoder: Uint8Array };
  encoder: ort.InferenceSession;
  decoder: ort.InferenceSession;
  encodeMs: number[];
  stepMs: number[];
  encodeCpuMs: number[];
  stepCpuMs: number[];
}

async function candidate(label: string, files: Candidate['files']): Promise<Candidate> {
  const options = { executionProviders: ['wasm'] };
  const encoder = await ort.InferenceSession.create(files.encoder, options);
  const decoder = await ort.InferenceSession.create(files.decoder, options);
  return { label, files, encoder, decoder, encodeMs: [], stepMs: [], encodeCpuMs: [], stepCpuMs: [] };
}

async function round(c: Candidate, record: boolean): Promise<void> {
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let [start, cpu] = [performance.now(), process.cpuUsage()];
  const states = await encode(ort, c.encoder, [SOURCE], mask);
  const [encodeMs, encodeCpuMs] = [performance.now() - start, cpuMs(cpu)];
  [start, cpu] = [performance.now(), process.cpuUsage()];
  let past: Record<string, ort.Tensor> | undefined;
  for (let t = 0; t < STEPS; t++) {
    past = (await decodeStep(ort, c.decoder, TINY, { ids: [[(t * 31) % TINY.vocabSize]], mask, states, past })).present;
  }
  if (record) {
    c.encodeMs.push(encodeMs);
    c.encodeCpuMs.push(encodeCpuMs);
    c.stepMs.push((performance.now() - start) / STEPS);
    c.stepCpuMs.push(cpuMs(cpu) / STEPS);
  }
}

const candidates = [await candidate('fp32', { encoder: encodeModel(fp32.encoder), decoder: encodeModel(fp32.decoder) })];
candidates.push(await candidate('int8', { encoder: encodeModel(quantizeModel(fp32.encoder)), decoder: encodeModel(quantizeModel(fp32.decoder)) }));
for (let r = 0; r < WARMUP; r++) for (const c of candidates) await round(c, false);
for (let r = 0; r < ROUNDS; r++) for (const c of candidates) await round(c, true);
const mb = (b: Uint8Array) => (b.length / 1e6).toFixed(2);
const ms = (xs: number[]) => median(xs).toFixed(2).padStart(6);
console.log('model                    encoder MB decoder MB | encode 16 tokens: cpu ms, wall ms | decoder step: cpu ms, wall ms');
for (const c of candidates) {
  console.log(
    `${c.label.padEnd(24)} ${mb(c.files.encoder).padStart(10)} ${mb(c.files.decoder).padStart(10)} | ` +
      `${ms(c.encodeCpuMs)} ${ms(c.encodeMs)} | ${ms(c.stepCpuMs)} ${ms(c.stepMs)}`,
  );
}
