import { resolveConfig, type TransformerConfig } from '@attend/model-spec';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { buildDecoderGraph } from './decoder-graph.ts';
import { buildEncoderGraph } from './encoder-graph.ts';
import { encodeModel, type ModelProto } from './onnx-proto.ts';
import { quantizeModel } from './quantize.ts';
import { buildServingDecoderGraph } from './serving-decoder-graph.ts';
import { buildServingEncoderGraph } from './serving-encoder-graph.ts';
import { decodeStep, encode, logitsAt, relativeError } from './testing/ort-session.ts';
import { randomWeights } from './testing/random-weights.ts';
import { encodeRows, type ServingRow, stepRows } from './testing/serving-session.ts';

const SMALL = { vocabSize: 96, dModel: 32, heads: 4, dFF: 64, encoderLayers: 2, decoderLayers: 2, maxPositions: 64 } as const;
const SOURCES = [
  [5, 17, 42, 8, 63, 1],
  [9, 30, 77, 1],
  [11, 12, 13, 14, 15, 16, 17, 18, 19, 1],
  [40, 1],
];
const TARGET = [0, 12, 40, 7, 90, 3, 55, 21, 8]; // teacher-forced, the same for every row

type Ort = typeof ortNode;

function logSoftmax(row: Float32Array): Float32Array {
  const max = Math.max(...row);
  const logSum = max + Math.log(row.reduce((sum, x) => sum + Math.exp(x - max), 0));
  return row.map((x) => x - logSum);
}

async function sessions(ort: Ort, config: TransformerConfig, build: (m: ModelProto) => ModelProto, seed: number) {
  const weights = randomWeights(config, seed, 3);
  return {
    encoder: await ort.InferenceSession.create(encodeModel(build(buildServingEncoderGraph(config, weights)))),
    decoder: await ort.InferenceSession.create(encodeModel(build(buildServingDecoderGraph(config, weights)))),
    weights,
  };
}

/** Each source teacher-forced through TARGET, row `i` joining at step `joins[i]` of one shared run per step. */
async function decodeTogether(ort: Ort, s: { encoder: ortNode.InferenceSession; decoder: ortNode.InferenceSession }, config: TransformerConfig, joins: readonly number[]) {
  const rows = await encodeRows(ort, s.encoder, config, SOURCES);
  const logits: Float32Array[][] = SOURCES.map(() => []);
  for (let t = 0; logits.some((l) => l.length < TARGET.length); t++) {
    const active = rows.flatMap((row, i) => (t >= joins[i]! && logits[i]!.length < TARGET.length ? [i] : []));
    const out = await stepRows(ort, s.decoder, config, active.map((i) => rows[i] as ServingRow), active.map((i) => TARGET[logits[i]!.length]!));
    active.forEach((i, k) => logits[i]!.push(out[k]!));
  }
  return logits;
}

describe.each([
  { norm: 'post', activation: 'relu' },
  { norm: 'pre', activation: 'swish' },
] as const)('serving graphs, fp32, $norm-norm $activation', ({ norm, activation }) => {
  const config = resolveConfig({ ...SMALL, norm, activation, scaleEmbedding: norm === 'post' });

  it('give the log softmax of the Hugging Face graphs\' logits, for rows at different positions in one run', async () => {
    const serving = await sessions(ortNode, config, (m) => m, 4);
    const together = await decodeTogether(ortNode, serving, config, [0, 2, 5, 1]);
    const encoder = await ortNode.InferenceSession.create(encodeModel(buildEncoderGraph(config, serving.weights)));
    const decoder = await ortNode.InferenceSession.create(encodeModel(buildDecoderGraph(config, serving.weights)));
    for (const [i, source] of SOURCES.entries()) {
      const mask = [source.map(() => 1)];
      const states = await encode(ortNode, encoder, [source], mask);
      const { logits } = await decodeStep(ortNode, decoder, config, { ids: [TARGET], mask, states });
      together[i]!.forEach((row, t) => expect(relativeError(row, logSoftmax(logitsAt(logits, 0, t)))).toBeLessThan(1e-5));
    }
  });
});

describe.each([
  { runtime: 'onnxruntime-web', ort: ortWeb as unknown as Ort },
  { runtime: 'onnxruntime-node', ort: ortNode },
])('serving graphs, int8, $runtime', ({ ort }) => {
  it('give a row the same bits alone as in a batch with rows of other lengths, joining at other steps', async () => {
    if (ort === (ortWeb as unknown as Ort)) ortWeb.env.wasm.numThreads = 1;
    const config = resolveConfig(SMALL);
    const s = await sessions(ort, config, (m) => quantizeModel(m, { contribOps: true }), 3);
    const together = await decodeTogether(ort, s, config, [0, 1, 3, 6]);
    for (const [i, source] of SOURCES.entries()) {
      const [row] = await encodeRows(ort, s.encoder, config, [source]);
      for (const [t, token] of TARGET.entries()) {
        const [alone] = await stepRows(ort, s.decoder, config, [row!], [token]);
        expect(alone).toEqual(together[i]![t]);
      }
    }
  });
});

describe('serving graph contract', () => {
  it('names its tensors as model-spec does', async () => {
    const config = resolveConfig(SMALL);
    const { encoder, decoder } = await sessions(ortNode, config, (m) => m, 1);
    const cache = (kind: string) => [0, 1].flatMap((i) => ['key', 'value'].map((t) => `cache.${i}.${kind}.${t}`));
    expect(encoder.outputNames).toEqual(cache('cross'));
    expect(decoder.inputNames).toEqual(['input_ids', 'position_ids', 'encoder_attention_mask', ...[0, 1].flatMap((i) => [...['self', 'cross'].flatMap((kind) => ['key', 'value'].map((t) => `cache.${i}.${kind}.${t}`))])]);
    expect(decoder.outputNames).toEqual(['log_probs', ...[0, 1].flatMap((i) => ['key', 'value'].map((t) => `new.${i}.self.${t}`))]);
    const self = decoder.inputMetadata.find((m) => m.name === 'cache.1.self.value');
    expect(self && 'shape' in self ? self.shape : undefined).toEqual(['batch_size', 'cache_length', 32]);
  });
});
