import { type TransformerConfig, resolveConfig } from '@attend/model-spec';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildDecoderGraph } from './decoder-graph.ts';
import { buildEncoderGraph } from './encoder-graph.ts';
import { encodeModel } from './onnx-proto.ts';
import { referenceLogits } from './testing/marian-reference.ts';
import { decodeStep, encode, logitsAt, relativeError } from './testing/ort-session.ts';
import { randomWeights } from './testing/random-weights.ts';

const SMALL = { vocabSize: 96, dModel: 32, heads: 4, dFF: 64, encoderLayers: 2, decoderLayers: 2, maxPositions: 64 } as const;
const TOLERANCE = 1e-4; // relative: max |onnx - reference| / max |reference|

const SOURCE = [
  [5, 17, 42, 8, 63, 1],
  [9, 30, 77, 1, 0, 0], // padded: positions 4-5 must not be attended
];
const MASK = SOURCE.map((row, b) => row.map((_, s) => (b === 1 && s >= 4 ? 0 : 1)));
const TARGET = [
  [0, 12, 40, 7, 90, 3, 55],
  [0, 66, 2, 19, 48, 71, 4],
];

async function sessions(config: TransformerConfig, weights: Map<string, Float32Array>) {
  return {
    encoder: await ort.InferenceSession.create(encodeModel(buildEncoderGraph(config, weights))),
    decoder: await ort.InferenceSession.create(encodeModel(buildDecoderGraph(config, weights))),
  };
}

describe.each([
  { norm: 'post', activation: 'relu' },
  { norm: 'pre', activation: 'swish' },
] as const)('fp32 graphs, $norm-norm $activation', ({ norm, activation }) => {
  const config = resolveConfig({ ...SMALL, norm, activation, scaleEmbedding: norm === 'post' });
  const weights = randomWeights(config, norm === 'post' ? 1 : 2);

  it('match an independent Marian forward on the whole prefix, padding included', async () => {
    const { encoder, decoder } = await sessions(config, weights);
    const states = await encode(ort, encoder, SOURCE, MASK);
    const { logits } = await decodeStep(ort, decoder, config, { ids: TARGET, mask: MASK, states });
    for (const b of [0, 1]) {
      const source = (SOURCE[b] as number[]).slice(0, b === 1 ? 4 : 6);
      const mask = (MASK[b] as number[]).slice(0, source.length);
      // the reference sees the unpadded sentence: padding must change nothing
      const expected = referenceLogits(config, weights, source, mask, TARGET[b] as number[]);
      expected.forEach((row, t) => expect(relativeError(logitsAt(logits, b, t), row)).toBeLessThan(TOLERANCE));
    }
  });

  it('give the same logits token by token through the KV cache as on the whole prefix', async () => {
    const { encoder, decoder } = await sessions(config, weights);
    const states = await encode(ort, encoder, SOURCE, MASK);
    const whole = await decodeStep(ort, decoder, config, { ids: TARGET, mask: MASK, states });
    let past: Record<string, ort.Tensor> | undefined;
    for (let t = 0; t < (TARGET[0] as number[]).length; t++) {
      const step = await decodeStep(ort, decoder, config, { ids: TARGET.map((row) => [row[t] as number]), mask: MASK, states, past });
      expect(step.present['present.0.decoder.key']?.dims).toEqual([2, config.heads, t + 1, 8]);
      past = step.present;
      for (const b of [0, 1]) expect(relativeError(logitsAt(step.logits, b, 0), logitsAt(whole.logits, b, t))).toBeLessThan(1e-5);
    }
  });
});

describe('graph contract', () => {
  it('names inputs and outputs as model-spec does, with the batch axis named batch_size', async () => {
    const config = resolveConfig(SMALL);
    const { decoder } = await sessions(config, randomWeights(config));
    expect(decoder.inputNames).toEqual([
      'input_ids',
      'encoder_attention_mask',
      'encoder_hidden_states',
      ...[0, 1].flatMap((i) => ['decoder.key', 'decoder.value', 'encoder.key', 'encoder.value'].map((s) => `past_key_values.${i}.${s}`)),
      'use_cache_branch',
    ]);
    expect(decoder.outputNames[0]).toBe('logits');
    const past = decoder.inputMetadata.find((m) => m.name === 'past_key_values.1.encoder.value');
    expect(past && 'shape' in past ? past.shape : undefined).toEqual(['batch_size', 4, 'encoder_sequence_length_out', 8]);
  });

  it('rejects weights of the wrong shape with the parameter name', () => {
    const config = resolveConfig(SMALL);
    const weights = randomWeights(config);
    weights.set('model.decoder.layers.1.fc2.weight', new Float32Array(3));
    expect(() => buildDecoderGraph(config, weights)).toThrow(/model\.decoder\.layers\.1\.fc2\.weight/);
  });
});
