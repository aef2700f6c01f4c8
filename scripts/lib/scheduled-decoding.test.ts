// decodeScheduled over the decoding package's scripted row decoder: every source alone or sharing steps
// gives the same translation; an abort cancels before the next step.
import { describe, expect, it } from 'vitest';
import { FakeRowDecoder } from '../../packages/decoding/src/fake-model.ts';
import { decodeScheduled } from './scheduled-decoding.ts';

const VOCAB = 12;
const EOS = 1;
// Source [s, ...]: token s + 2, then s + 3, then EOS: each source its own three tokens.
const next = (source: readonly number[], prefix: readonly number[]) => ({ [prefix.length < 2 ? source[0]! + 2 + prefix.length : EOS]: 0.9 });
const options = { decode: (ids: number[]) => ids.join(' '), specialTokens: { pad: 0, eos: EOS, decoderStart: 0 } };
const sources = [[2, EOS], [5, EOS], [7, 8, EOS]];

describe('decodeScheduled', () => {
  it('translates every source as alone, in input order, stepping them together up to maxRows', async () => {
    const rows = new FakeRowDecoder(VOCAB, next);
    const events: number[] = [];
    const together = await decodeScheduled(rows, sources, options, 2, (source) => events.push(source));
    expect(together.map((t) => t.ids)).toEqual([[4, 5], [7, 8], [9, 10]]);
    expect(Math.max(...rows.steps.map((step) => step.length))).toBe(2);
    expect(new Set(events)).toEqual(new Set([0, 1, 2]));
    const alone = [];
    for (const source of sources) alone.push(...(await decodeScheduled(new FakeRowDecoder(VOCAB, next), [source], options, 1)));
    expect(alone).toEqual(together);
  });

  it('cancels every generation before the next step once the signal aborts', async () => {
    const rows = new FakeRowDecoder(VOCAB, next);
    const controller = new AbortController();
    const stop = () => controller.abort(new Error('interrupted'));
    await expect(decodeScheduled(rows, sources, { ...options, signal: controller.signal }, 3, stop)).rejects.toThrow('interrupted');
    expect(rows.steps).toHaveLength(1);
    expect(rows.live).toBe(0);
  });
});
