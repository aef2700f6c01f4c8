// The Worker's runtime: onnxruntime-web on its WASM backend, one thread, compared with the native
// onnxruntime-node build on the same int8 files.
import { resolveConfig } from '@attend/model-spec';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { buildDecoderGraph } from './decoder-graph.ts';
import { buildEncoderGraph } from './encoder-graph.ts';
import { encodeModel } from './onnx-proto.ts';
import { quantizeModel } from './quantize.ts';
import { decodeStep, encode, greedy, logitsAt, relativeError } from './testing/ort-session.ts';
import { randomWeights } from './testing/random-weights.ts';

const config = resolveConfig({ vocabSize: 128, dModel: 32, heads: 4, dFF: 64, encoderLayers: 2, decoderLayers: 2, maxPositions: 64 });
const weights = randomWeights(config, 4, 3);
const files = {
  encoder: encodeModel(quantizeModel(buildEncoderGraph(config, weights))),
  decoder: encodeModel(quantizeModel(buildDecoderGraph(config, weights))),
};
const SOURCES = [
  [5, 17, 42, 8, 63, 1],
  [100, 3, 1],
  [7, 7, 7, 99, 30, 31, 32, 1],
];

describe('onnxruntime-web (WASM, one thread)', () => {
  it('runs the int8 graphs like onnxruntime-node does', async () => {
    ortWeb.env.wasm.numThreads = 1;
    const options = { executionProviders: ['wasm'] };
    const web = {
      encoder: await ortWeb.InferenceSession.create(files.encoder, options),
      decoder: await ortWeb.InferenceSession.create(files.decoder, options),
    };
    const native = {
      encoder: await ortNode.InferenceSession.create(files.encoder),
      decoder: await ortNode.InferenceSession.create(files.decoder),
    };
    for (const source of SOURCES) {
      const ids = await greedy(ortWeb, web, config, source, 12);
      expect(ids).toEqual(await greedy(ortNode, native, config, source, 12));
      const mask = [source.map(() => 1)];
      const step = async (ort: typeof ortNode | typeof ortWeb, s: typeof native) =>
        (await decodeStep(ort, s.decoder, config, { ids: [ids], mask, states: await encode(ort, s.encoder, [source], mask) })).logits;
      const [a, b] = [await step(ortWeb, web), await step(ortNode, native)];
      // the same int8 kernels' math in WASM and native code, up to float summation order
      for (let t = 0; t < ids.length; t++) expect(relativeError(logitsAt(a, 0, t), logitsAt(b, 0, t))).toBeLessThan(1e-3);
    }
  });
});
