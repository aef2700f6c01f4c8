import { cacheSlots, pastName, presentName } from '@attend/model-spec';
import { describe, expect, it } from 'vitest';
import { FakeModel, logProbabilities, markov, pieceDecoder } from './fake-model.ts';
import { generate } from './generate.ts';
import { createOnnxSeq2Seq, type TensorData, type TensorType } from './onnx-seq2seq.ts';

const CONFIG = { decoderLayers: 2, heads: 2, dModel: 4, padId: 0 } as const;
const HEAD_DIM = 2;
const VOCAB = 12;
const EOS = 1;
const SLOTS = cacheSlots(CONFIG.decoderLayers);

/** A CPU tensor that fails loudly when used or freed after being freed. */
class FakeTensor {
  disposed = false;
  constructor(
    readonly type: TensorType,
    readonly data: TensorData,
    readonly dims: readonly number[],
  ) {
    if (data.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`data of ${data.length} for dims [${dims}]`);
    created.push(this);
  }
  dispose(): void {
    if (this.disposed) throw new Error('disposed twice');
    this.disposed = true;
  }
}
let created: FakeTensor[] = [];

const float = (t: FakeTensor) => t.data as Float32Array;
const makeTensor = (type: TensorType, data: TensorData, dims: readonly number[]) => new FakeTensor(type, data, dims);

/** Encoder: last_hidden_state[b, s] = [id * mask, mask, 0, 0]. */
async function runEncoder(feeds: Record<string, FakeTensor>): Promise<Record<string, FakeTensor>> {
  const ids = feeds.input_ids!.data as BigInt64Array;
  const mask = feeds.attention_mask!.data as BigInt64Array;
  const [batch, length] = feeds.input_ids!.dims as [number, number];
  const hidden = new Float32Array(batch * length * CONFIG.dModel);
  for (let i = 0; i < batch * length; i++) {
    hidden[i * CONFIG.dModel] = Number(ids[i]! * mask[i]!);
    hidden[i * CONFIG.dModel + 1] = Number(mask[i]!);
  }
  return { last_hidden_state: new FakeTensor('float32', hidden, [batch, length, CONFIG.dModel]) };
}

/**
 * Merged decoder whose KV cache carries the token history: every key/value vector is [id, id].
 * Cross-attention K/V carry the source ids; in the cached branch they must still agree with
 * encoder_hidden_states row by row, so a wrong reorder fails. Logits follow a Markov table.
 * As a runtime does, it returns only the fetched outputs and frees the rest.
 */
function fakeDecoder(next = markov(VOCAB, 11)) {
  const feedsSeen: Record<string, FakeTensor>[] = [];
  const fetchesSeen: (readonly string[])[] = [];
  async function runDecoder(feeds: Record<string, FakeTensor>, fetches: readonly string[]): Promise<Record<string, FakeTensor>> {
    feedsSeen.push(feeds);
    fetchesSeen.push(fetches);
    for (const [name, tensor] of Object.entries(feeds)) if (tensor.disposed) throw new Error(`${name} was freed before use`);
    const cached = (feeds.use_cache_branch!.data as Uint8Array)[0] === 1;
    const [batch, sourceLength] = feeds.encoder_attention_mask!.dims as [number, number];
    const hidden = float(feeds.encoder_hidden_states!);
    const tokens = feeds.input_ids!.data as BigInt64Array;
    const outputs: Record<string, FakeTensor> = {};
    const logits = new Float32Array(batch * VOCAB);
    for (const { layer, kind, tensor } of SLOTS) {
      const past = feeds[pastName(layer, kind, tensor)]!;
      if (kind === 'decoder') {
        const length = past.dims[2]! + 1;
        const out = new Float32Array(batch * CONFIG.heads * length * HEAD_DIM);
        for (let bh = 0; bh < batch * CONFIG.heads; bh++) {
          out.set(float(past).subarray(bh * (length - 1) * HEAD_DIM, (bh + 1) * (length - 1) * HEAD_DIM), bh * length * HEAD_DIM);
          out.fill(Number(tokens[Math.floor(bh / CONFIG.heads)]!), (bh * length + length - 1) * HEAD_DIM, (bh + 1) * length * HEAD_DIM);
        }
        outputs[presentName(layer, kind, tensor)] = new FakeTensor('float32', out, [batch, CONFIG.heads, length, HEAD_DIM]);
      } else if (cached) {
        for (let i = 0; i < batch * CONFIG.heads * sourceLength; i++) {
          const fromHidden = hidden[(Math.floor(i / (CONFIG.heads * sourceLength)) * sourceLength + (i % sourceLength)) * CONFIG.dModel]!;
          if (float(past)[i * HEAD_DIM] !== fromHidden) throw new Error('cross-attention cache out of step with encoder_hidden_states');
        }
        outputs[presentName(layer, kind, tensor)] = new FakeTensor('float32', new Float32Array(0), [batch, CONFIG.heads, 0, HEAD_DIM]);
      } else {
        const out = new Float32Array(batch * CONFIG.heads * sourceLength * HEAD_DIM);
        for (let i = 0; i < out.length; i++) {
          const [b, s] = [Math.floor(i / (CONFIG.heads * sourceLength * HEAD_DIM)), Math.floor(i / HEAD_DIM) % sourceLength];
          out[i] = hidden[(b * sourceLength + s) * CONFIG.dModel]!;
        }
        outputs[presentName(layer, kind, tensor)] = new FakeTensor('float32', out, [batch, CONFIG.heads, sourceLength, HEAD_DIM]);
      }
    }
    const history = outputs[presentName(0, 'decoder', 'key')]!;
    const length = history.dims[2]!;
    for (let b = 0; b < batch; b++) {
      const source: number[] = [];
      for (let s = 0; s < sourceLength; s++) if (hidden[(b * sourceLength + s) * CONFIG.dModel + 1] === 1) source.push(hidden[(b * sourceLength + s) * CONFIG.dModel]!);
      const prefix = Array.from({ length }, (_, t) => float(history)[(b * CONFIG.heads * length + t) * HEAD_DIM]!);
      logits.set(logProbabilities(VOCAB, next(source, prefix.slice(1))), b * VOCAB);
    }
    outputs.logits = new FakeTensor('float32', logits, [batch, 1, VOCAB]);
    for (const [name, tensor] of Object.entries(outputs)) {
      if (fetches.includes(name)) continue;
      tensor.dispose();
      delete outputs[name];
    }
    return outputs;
  }
  return { runDecoder, feedsSeen, fetchesSeen };
}

describe('createOnnxSeq2Seq', () => {
  it('feeds exactly the contract: empty pasts first, then present.* back with use_cache_branch', async () => {
    created = [];
    const { runDecoder, feedsSeen } = fakeDecoder();
    const model = createOnnxSeq2Seq({ runEncoder, runDecoder, makeTensor, config: CONFIG });
    const memory = await model.encode([[5, 6, 7, EOS], [8, EOS]]);
    expect(memory.attentionMask).toMatchObject({ type: 'int64', dims: [2, 4], data: BigInt64Array.of(1n, 1n, 1n, 1n, 1n, 1n, 0n, 0n) });
    expect(float(memory.hiddenStates).filter((_, i) => i % 4 === 0)).toEqual(Float32Array.of(5, 6, 7, 1, 8, 1, 0, 0));

    const first = await model.step(memory, [0, 0], null);
    const pastNames = SLOTS.map(({ layer, kind, tensor }) => pastName(layer, kind, tensor));
    const names = ['input_ids', 'encoder_attention_mask', 'encoder_hidden_states', 'use_cache_branch', ...pastNames];
    const [feeds1] = feedsSeen as [Record<string, FakeTensor>];
    expect(Object.keys(feeds1).sort()).toEqual([...names].sort());
    expect(feeds1.input_ids).toMatchObject({ type: 'int64', dims: [2, 1], data: BigInt64Array.of(0n, 0n) });
    expect(feeds1.use_cache_branch).toMatchObject({ type: 'bool', dims: [1], data: Uint8Array.of(0) });
    expect(feeds1.encoder_hidden_states).toBe(memory.hiddenStates);
    expect(feeds1.encoder_attention_mask).toBe(memory.attentionMask);
    for (const name of pastNames) expect(feeds1[name]).toMatchObject({ type: 'float32', dims: [2, 2, 0, 2] });
    expect(first.logits).toHaveLength(2 * VOCAB);

    await model.step(memory, [3, 4], first.cache);
    const feeds2 = feedsSeen[1]!;
    expect(feeds2.use_cache_branch).toMatchObject({ type: 'bool', dims: [1], data: Uint8Array.of(1) });
    expect(feeds2.input_ids).toMatchObject({ dims: [2, 1], data: BigInt64Array.of(3n, 4n) });
    for (const { layer, kind, tensor } of SLOTS) {
      const past = feeds2[pastName(layer, kind, tensor)]!;
      expect(past).toBe(first.cache.get(pastName(layer, kind, tensor)));
      expect(past.dims).toEqual(kind === 'decoder' ? [2, 2, 1, 2] : [2, 2, 4, 2]);
    }
    // Everything the first step fed (its empty pasts, ids, flag) has been freed; nothing twice.
    for (const tensor of Object.values(feeds1)) if (tensor !== memory.hiddenStates && tensor !== memory.attentionMask) expect(tensor.disposed).toBe(true);
  });

  it('fetches the cross-attention K/V once: later steps copy out only the logits and the self-attention cache', async () => {
    const { runDecoder, fetchesSeen } = fakeDecoder();
    const model = createOnnxSeq2Seq({ runEncoder, runDecoder, makeTensor, config: CONFIG });
    const memory = await model.encode([[5, 6, EOS]]);
    let { cache } = await model.step(memory, [0], null);
    for (const token of [3, 4]) ({ cache } = await model.step(memory, [token], cache));
    const presents = (kinds: readonly string[]) => SLOTS.filter((s) => kinds.includes(s.kind)).map((s) => presentName(s.layer, s.kind, s.tensor));
    expect([...fetchesSeen[0]!].sort()).toEqual(['logits', ...presents(['decoder', 'encoder'])].sort());
    for (const fetches of fetchesSeen.slice(1)) expect([...fetches].sort()).toEqual(['logits', ...presents(['decoder'])].sort());
    model.dispose(memory, cache);
  });

  it('gathers memory and cache rows for beams, and returns the same tensors for 0..B-1', async () => {
    created = [];
    const { runDecoder } = fakeDecoder();
    const model = createOnnxSeq2Seq({ runEncoder, runDecoder, makeTensor, config: CONFIG });
    const memory = await model.encode([[5, EOS], [8, 9, EOS]]);
    const { cache } = await model.step(memory, [0, 0], null);
    const same = await model.selectRows(memory, cache, [0, 1]);
    expect(same.memory).toEqual(memory);
    expect(same.cache).toBe(cache);
    const beams = await model.selectRows(memory, cache, [1, 1, 0]);
    expect(beams.memory.attentionMask).toMatchObject({ dims: [3, 3], data: BigInt64Array.of(1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 0n) });
    const crossKey = beams.cache!.get(pastName(1, 'encoder', 'key'))!;
    expect(crossKey.dims).toEqual([3, 2, 3, 2]);
    expect(float(crossKey).filter((_, i) => i % 6 === 0)).toEqual(Float32Array.of(8, 8, 8, 8, 5, 5));
    expect(memory.hiddenStates.disposed).toBe(true);
    await expect(model.selectRows(beams.memory, beams.cache, [3])).rejects.toThrow(/outside the batch of 3/);
  });

  for (const numBeams of [1, 3]) {
    it(`generates what the same Markov table gives through the plain interface (numBeams ${numBeams}), freeing every tensor once`, async () => {
      created = [];
      const sources = [[4, 5, 6, EOS], [7, EOS], [8, 9, 10, 11, 3, EOS]];
      const options = { decode: pieceDecoder(['▁a', '▁b', 'c', '▁d']), numBeams, maxTokens: 12 };
      const { runDecoder, feedsSeen } = fakeDecoder();
      const onnx = await generate(createOnnxSeq2Seq({ runEncoder, runDecoder, makeTensor, config: CONFIG }), sources, options);
      const plain = await generate(new FakeModel(VOCAB, markov(VOCAB, 11)), sources, options);
      expect(onnx).toEqual(plain);
      expect(feedsSeen.length).toBeGreaterThan(3);
      expect(feedsSeen.every((feeds) => feeds.input_ids!.dims[1] === 1)).toBe(true); // one new token per step
      expect(created.filter((tensor) => !tensor.disposed)).toEqual([]);
    });
  }
});
