import { describe, expect, it } from 'vitest';
import { BASE, TINY, resolveConfig, headDim } from './config.ts';
import { fromMarianConfig, toMarianConfig } from './marian-config.ts';
import { weightSpecs } from './weight-names.ts';

describe('TransformerConfig', () => {
  it('has the paper base shape and a Worker-sized tiny shape', () => {
    expect([BASE.dModel, BASE.heads, BASE.dFF, BASE.encoderLayers, BASE.decoderLayers]).toEqual([512, 8, 2048, 6, 6]);
    expect([TINY.dModel, TINY.heads, TINY.dFF, TINY.encoderLayers, TINY.decoderLayers]).toEqual([256, 4, 1024, 3, 3]);
    expect(headDim(TINY)).toBe(64);
  });

  it('rejects inconsistent shapes with a message naming the key', () => {
    expect(() => resolveConfig({ dModel: 250 })).toThrow(/divisible by config.heads/);
    expect(() => resolveConfig({ dropout: 1 })).toThrow(/config.dropout/);
    expect(() => resolveConfig({ vocabSize: 2 })).toThrow(/config.unkId/);
  });

  it('round-trips through config.json', () => {
    const config = resolveConfig({ norm: 'pre', activation: 'swish' }, 'base');
    const json = toMarianConfig(config, { source: 'en', target: 'es' });
    expect(json.translator).toEqual({ source: 'en', target: 'es', norm: 'pre' });
    expect(json.bad_words_ids).toEqual([[config.padId]]);
    expect(fromMarianConfig(JSON.parse(JSON.stringify(json)))).toEqual(config);
  });

  it('lists the Marian parameter names', () => {
    const names = weightSpecs(TINY).map((s) => s.name);
    expect(names).toContain('model.decoder.layers.2.encoder_attn.k_proj.weight');
    expect(names).toContain('model.encoder.layers.0.self_attn_layer_norm.bias');
    expect(names).not.toContain('model.encoder.layers.0.encoder_attn.q_proj.weight');
    expect(names).not.toContain('model.encoder.layer_norm.weight');
    expect(weightSpecs({ ...TINY, norm: 'pre' }).map((s) => s.name)).toContain('model.decoder.layer_norm.weight');
  });
});
