// Several corpora mixed by weight into one endless stream of pairs. Each corpus restarts when it ends
// (its own epoch count); the draw is a smooth weighted round robin, so the mix is exact and needs no
// random state to resume.
import { type CorpusPosition, type CorpusSpec, type PairRecord, type SkipCounts, readCorpus } from './parallel-corpus.ts';

export interface MixPosition {
  readonly corpora: readonly { readonly position: CorpusPosition | null; readonly epoch: number }[];
  readonly credit: readonly number[];
}

export interface MixedPair extends PairRecord {
  readonly corpus: number;
  readonly mix: MixPosition; // position after this pair
}

export async function* mixCorpora(specs: readonly CorpusSpec[], skips: SkipCounts, from?: MixPosition): AsyncGenerator<MixedPair> {
  if (specs.length === 0) throw new Error('no training corpus given: pass at least one `corpora` entry');
  const weights = specs.map((s, i) => {
    const w = s.weight ?? 1;
    if (!(w > 0)) throw new Error(`corpora[${i}].weight must be a positive number, got ${w}`);
    return w;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const state = specs.map((_, i) => ({ position: from?.corpora[i]?.position ?? null, epoch: from?.corpora[i]?.epoch ?? 0 }));
  const credit = specs.map((_, i) => from?.credit[i] ?? 0);
  const readers = specs.map((spec, i) => openReader(spec, i, skips, state));
  try {
    for (;;) {
      // Smooth weighted round robin: everyone earns its weight, the richest pays the total.
      let pick = 0;
      for (let i = 0; i < specs.length; i++) {
        credit[i] = (credit[i] as number) + (weights[i] as number);
        if ((credit[i] as number) > (credit[pick] as number)) pick = i;
      }
      credit[pick] = (credit[pick] as number) - total;
      const record = await nextCycling(readers, pick, specs, skips, state);
      state[pick] = { position: record.position, epoch: state[pick]!.epoch };
      yield { ...record, corpus: pick, mix: { corpora: state.map((s) => ({ ...s })), credit: [...credit] } };
    }
  } finally {
    await Promise.all(readers.map((r) => r.return(undefined)));
  }
}

type Reader = AsyncGenerator<PairRecord>;

function openReader(spec: CorpusSpec, i: number, skips: SkipCounts, state: { position: CorpusPosition | null; epoch: number }[]): Reader {
  return readCorpus(spec, skips, state[i]!.position ?? undefined);
}

async function nextCycling(
  readers: Reader[],
  i: number,
  specs: readonly CorpusSpec[],
  skips: SkipCounts,
  state: { position: CorpusPosition | null; epoch: number }[],
): Promise<PairRecord> {
  const first = await readers[i]!.next();
  if (!first.done) return first.value;
  // End of this corpus: start its next epoch from the top.
  state[i] = { position: null, epoch: state[i]!.epoch + 1 };
  readers[i] = openReader(specs[i]!, i, skips, state);
  const again = await readers[i]!.next();
  if (again.done) throw new Error(`corpus ${specs[i]!.path} has no usable sentence pairs (${skips.summary()})`);
  return again.value;
}
