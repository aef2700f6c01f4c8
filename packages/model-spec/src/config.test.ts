import { describe, expect, it } from 'vitest';
import { BASE, TINY, resolveConfig, headDim } from './config.ts';
import { fromMarianConfig, generationSettings, toMarianConfig } from './marian-config.ts';
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
    expect(json.no_repeat_ngram_size).toBe(0);
    expect(fromMarianConfig(JSON.parse(JSON.stringify(json)))).toEqual(config);
  });

  it('carries the generation settings every runtime applies', () => {
    const json = JSON.parse(JSON.stringify(toMarianConfig(TINY, { source: 'en', target: 'es' }, 3)));
    expect(json.no_repeat_ngram_size).toBe(3);
    expect(generationSettings(json, TINY)).toEqual({ badWordsIds: [[TINY.padId]], noRepeatNgramSize: 3 });
    expect(() => toMarianConfig(TINY, { source: 'en', target: 'es' }, -1)).toThrow(/noRepeatNgramSize must be a non-negative integer/);
  });

  it('reads older and foreign config.json files: no guard, <pad> banned', () => {
    const padId = 5;
    const config = { ...TINY, padId };
    expect(generationSettings({}, config)).toEqual({ badWordsIds: [[padId]], noRepeatNgramSize: 0 });
    expect(generationSettings({ bad_words_ids: [[7], [8, 9]] }, config).badWordsIds).toEqual([[7], [8, 9]]);
    expect(generationSettings({ bad_words_ids: [] }, config).badWordsIds).toEqual([]); // bans nothing, as Hugging Face reads it
    for (const malformed of [[[]], [['x']], 'pad', [[1.5]], null]) {
      expect(generationSettings({ bad_words_ids: malformed }, config).badWordsIds).toEqual([[padId]]);
    }
    for (const invalid of [-1, 2.5, '3', null, true]) {
      expect(() => generationSettings({ no_repeat_ngram_size: invalid }, config)).toThrow(/config\.json: "no_repeat_ngram_size" must be a non-negative integer/);
    }
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
