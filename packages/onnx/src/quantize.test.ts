import { describe, expect, it } from 'vitest';
import { quantizeModel } from './quantize.ts';
import { BOUNDS, SENTENCES, forcedLogits, fp32, int8Agreement, sessions } from './testing/int8-agreement.ts';
import { logitsAt, relativeError } from './testing/ort-session.ts';

describe('int8 against fp32', () => {
  it('stores uint8 weights and no fp32 copy of a quantized matrix', () => {
    const q = quantizeModel(fp32.decoder);
    const names = new Set(q.graph.initializers.map((t) => t.name));
    expect(names.has('model.shared.weight_transposed')).toBe(false);
    expect(names.has('model.decoder.layers.0.fc1.weight_transposed')).toBe(false);
    expect(q.graph.initializers.find((t) => t.name === 'model.shared.weight_transposed_quantized')?.dataType).toBe('uint8');
    const bytes = (m: typeof q) => m.graph.initializers.reduce((n, t) => n + t.rawData.length, 0);
    expect(bytes(q) / bytes(fp32.decoder)).toBeLessThan(0.4); // matrices shrink 4x; biases, norms and positions stay fp32
    // only standard operators: any ONNX runtime loads the files
    const ops = new Set<string>();
    const collect = (g: typeof q.graph): void =>
      g.nodes.forEach((n) => {
        ops.add(`${n.domain ?? ''}:${n.opType}`);
        for (const a of Object.values(n.attributes)) if (a.kind === 'graph') collect(a.value);
      });
    collect(q.graph);
    expect([...ops].filter((op) => !op.startsWith(':'))).toEqual([]);
    expect(ops.has(':MatMulInteger')).toBe(true);
  });

  it(`keeps logits within ${BOUNDS.worstPercent}% (relative, max-abs), ${BOUNDS.argmaxAgreement * 100}% of argmaxes, and ${BOUNDS.identical} of 16 greedy outputs`, async () => {
    const measured = await int8Agreement();
    expect(measured.worst * 100).toBeLessThan(BOUNDS.worstPercent);
    expect(measured.argmaxAgreement).toBeGreaterThanOrEqual(BOUNDS.argmaxAgreement);
    expect(measured.identical).toBeGreaterThanOrEqual(BOUNDS.identical);
  });

  // Activations are quantized per row: a sentence's logits are those it gets alone, whatever it is
  // batched and padded with (one scale per tensor moved them by ~1%, and changed translations).
  it('gives a row the logits it gets alone, whatever its batch-mates', async () => {
    const s = await sessions(true);
    const [short, long] = [SENTENCES[0] as number[], SENTENCES[7] as number[]];
    const [shortTarget, longTarget] = [[2, 9, 40, 7], [2, 100, 101, 102, 103, 104, 105]];
    const alone = await forcedLogits(s, [short], [shortTarget]);
    const batched = await forcedLogits(s, [long, short], [longTarget, shortTarget]);
    for (let t = 0; t < shortTarget.length; t++) {
      expect(relativeError(logitsAt(batched, 1, t), logitsAt(alone, 0, t))).toBeLessThan(1e-5);
    }
  });
});
