// The serving decoder's encoder runs, on a stand-in runtime that records each run's input shape.
import { ENCODER_INPUTS } from '@attend/model-spec';
import { describe, expect, it } from 'vitest';
import type { TensorLike } from './onnx-seq2seq.ts';
import { createServingDecoder } from './onnx-serving-decoder.ts';

const D_MODEL = 4;

function recordingDecoder(limits: { maxRunTokens: number; maxEncodeTokens?: number }) {
  const runs: (readonly number[])[] = [];
  const decoder = createServingDecoder<TensorLike>({
    runEncoder: async (feeds, fetches) => {
      const dims = feeds[ENCODER_INPUTS.inputIds]!.dims;
      runs.push(dims);
      const cache = (): TensorLike => ({ type: 'float32', dims: [dims[0]!, dims[1]!, D_MODEL], data: new Float32Array(dims[0]! * dims[1]! * D_MODEL) });
      return Object.fromEntries(fetches.map((name) => [name, cache()]));
    },
    runDecoder: () => Promise.reject(new Error('not used')),
    makeTensor: (type, data, dims) => ({ type, data, dims }),
    config: { decoderLayers: 1, dModel: D_MODEL, padId: 0 },
    ...limits,
  });
  return { decoder, runs };
}

describe('createServingDecoder', () => {
  const sources = [[5, 1], [6, 7, 8, 9, 1], [8, 1], [9, 1], [4, 1]]; // padded to 4, 8, 4, 4, 4 tokens

  it('encodes in runs of at most maxEncodeTokens padded tokens, each source once, in its own row', async () => {
    const { decoder, runs } = recordingDecoder({ maxRunTokens: 1000, maxEncodeTokens: 12 });
    const rows = await decoder.encode(sources);
    expect(runs).toEqual([[3, 4], [1, 4], [1, 8]]); // shortest first; a run's rows x its longest source <= 12
    expect(rows.map((row) => row.sourceLength)).toEqual([2, 5, 2, 2, 2]);
    expect(rows.map((row) => row.cross[0]!.length)).toEqual(sources.map((s) => s.length * D_MODEL));
  });

  it('takes maxRunTokens for the encoder too when no lower limit is set', async () => {
    const { decoder, runs } = recordingDecoder({ maxRunTokens: 1000 });
    await decoder.encode(sources);
    expect(runs).toEqual([[5, 8]]);
  });
});
