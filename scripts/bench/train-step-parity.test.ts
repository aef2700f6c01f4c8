// The benchmark compares like with like only if train_step_torch.py is the same Transformer: with our
// weights loaded, the PyTorch reference must give our logits (same libtorch kernels in the same order,
// so the tolerance is float32 rounding of a few differently fused ops).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { torch } from '@attend/torch';
import { TINY } from '@attend/model-spec';
import { Transformer } from '@attend/model';

const dir = mkdtempSync(join(tmpdir(), 'attend-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('train_step_torch.py', () => {
  it('computes the logits of packages/model from the same weights', () => {
    const model = new Transformer(TINY, { seed: 4 });
    model.train(false);
    // LayerNorm gains/biases and the logits bias start at 1 and 0: randomise them so that a swapped or
    // missing one shows.
    torch.tidy(() => {
      for (const [name, t] of model.parameters()) {
        if (/norm|final_logits_bias/.test(name)) t.copy_(torch.randn(t.shape).mul(0.5).add(name.endsWith('norm.weight') ? 1 : 0));
      }
    });
    const weights = join(dir, 'weights.safetensors');
    torch.saveSafetensors(weights, Object.fromEntries(model.parameters()));
    const src = [
      [5, 6, 7, 8, 1, 0],
      [9, 10, 11, 12, 13, 1],
    ];
    const tgtIn = [
      [0, 14, 15, 16],
      [0, 17, 18, 0],
    ];
    writeFileSync(join(dir, 'ids.json'), JSON.stringify({ src, tgt_in: tgtIn }));
    const script = fileURLToPath(new URL('./train_step_torch.py', import.meta.url));
    const out = execFileSync('/usr/bin/python3', [script, '--parity', weights, join(dir, 'ids.json')], {
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      maxBuffer: 64 * 2 ** 20,
    });
    const theirs = JSON.parse(out.toString()) as { shape: number[]; logits: number[] };
    const toIds = (rows: number[][]) => torch.tensor(BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0]?.length ?? 0], 'int64');
    const ours = torch.tidy(() => model.forward(toIds(src), toIds(tgtIn)).toArray());
    expect(theirs.shape).toEqual([2, 4, TINY.vocabSize]);
    const diff = ours.reduce((m, v, i) => Math.max(m, Math.abs(v - (theirs.logits[i] as number))), 0);
    expect(diff).toBeLessThan(1e-4);
    model.dispose();
  });
});
