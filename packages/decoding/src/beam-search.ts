// Beam search over a batch of sources, each with its own beams (Wu et al. 2016 §7 for the length
// normalization idea; the penalty here is the simple lp(Y) = |Y|^alpha of fairseq and Hugging Face,
// not GNMT's ((5 + |Y|) / 6)^alpha).
//
// Per step and per source:
//   1) score every beam's 2W best next tokens: beam log-prob + log softmax (banned tokens excluded;
//      at the length limit only EOS is allowed),
//   2) walk the candidates best first: an EOS among the first W closes a hypothesis, scored
//      sum(log p) / |Y|^alpha with |Y| counting EOS; other tokens extend the beam until W are live,
//   3) a source is done once W hypotheses are closed (early stopping, as fairseq and Hugging Face's
//      early_stopping=True): its rows leave the batch and its best hypothesis is emitted.
// Rows of the batch are the live beams of the live sources, source by source; the model's
// selectRows gathers memory and KV cache to follow the surviving beams.
import { bannedTokens, lengthLimit, type ResolvedOptions } from './options.ts';
import { logSoftmax, topK } from './scores.ts';
import type { Seq2SeqModel } from './seq2seq-model.ts';
import { TextStreamer } from './text-streamer.ts';
import type { GenerationEvent, Translation } from './translation.ts';

interface Beam {
  readonly ids: readonly number[];
  readonly logProb: number;
}

interface Hypothesis {
  readonly ids: readonly number[];
  readonly score: number;
}

interface Source {
  readonly index: number;
  readonly tokens: number;
  readonly limit: number;
  beams: Beam[];
  readonly closed: Hypothesis[];
}

interface Candidate {
  readonly row: number;
  readonly beam: Beam;
  readonly token: number;
  readonly logProb: number;
}

export async function* beamSearch<Memory, Cache>(
  model: Seq2SeqModel<Memory, Cache>,
  sources: readonly (readonly number[])[],
  options: ResolvedOptions,
): AsyncGenerator<GenerationEvent, void, undefined> {
  const { signal, numBeams: width } = options;
  signal?.throwIfAborted();
  let live: Source[] = sources.map((source, index) => ({
    index,
    tokens: source.length,
    limit: lengthLimit(options, source.length),
    beams: [{ ids: [], logProb: 0 }], // one beam to start: W copies of it would only propose duplicates
    closed: [],
  }));
  let memory: Memory = await model.encode(sources);
  let cache: Cache | null = null;
  try {
    let tokens = live.map(() => options.specialTokens.decoderStart);
    while (live.length > 0) {
      signal?.throwIfAborted();
      const { logits, cache: next } = await model.step(memory, tokens, cache);
      cache = next;
      signal?.throwIfAborted();
      const vocab = logits.length / tokens.length;
      const parents: number[] = [];
      const done: Source[] = [];
      let row = 0;
      for (const source of live) {
        const candidates: Candidate[] = [];
        for (const beam of source.beams) {
          const logProbs = logSoftmax(logits.subarray(row * vocab, (row + 1) * vocab));
          for (const token of allowedTokens(options, source, beam, logProbs)) {
            candidates.push({ row, beam, token, logProb: beam.logProb + logProbs[token]! });
          }
          row++;
        }
        const advanced = advance(options, source, candidates);
        source.beams = advanced.beams;
        if (source.closed.length >= width || advanced.beams.length === 0) done.push(source);
        else parents.push(...advanced.parents);
      }
      for (const source of done) yield* emit(options, source);
      live = live.filter((source) => !done.includes(source));
      if (live.length === 0) break;
      ({ memory, cache } = await model.selectRows(memory, cache, parents));
      tokens = live.flatMap((source) => source.beams.map((beam) => beam.ids[beam.ids.length - 1]!));
    }
  } finally {
    model.dispose(memory, cache);
  }
}

function allowedTokens(options: ResolvedOptions, source: Source, beam: Beam, logProbs: Float64Array): number[] {
  const { eos } = options.specialTokens;
  if (beam.ids.length + 1 >= source.limit) return [eos];
  for (const id of bannedTokens(options, beam.ids)) logProbs[id] = -Infinity;
  return topK(logProbs, 2 * options.numBeams); // at most W of them are EOS, so W can stay live
}

/** Step 2) for one source: closes hypotheses; returns the next beams and the batch rows they extend. */
function advance(options: ResolvedOptions, source: Source, candidates: Candidate[]): { beams: Beam[]; parents: number[] } {
  const width = options.numBeams;
  candidates.sort((a, b) => b.logProb - a.logProb);
  const beams: Beam[] = [];
  const parents: number[] = [];
  for (const [rank, candidate] of candidates.entries()) {
    if (beams.length === width) break;
    if (candidate.token === options.specialTokens.eos) {
      if (rank >= width) continue;
      const length = candidate.beam.ids.length + 1;
      source.closed.push({ ids: candidate.beam.ids, score: candidate.logProb / length ** options.lengthPenalty });
    } else {
      beams.push({ ids: [...candidate.beam.ids, candidate.token], logProb: candidate.logProb });
      parents.push(candidate.row);
    }
  }
  return { beams, parents };
}

function* emit(options: ResolvedOptions, source: Source): Generator<GenerationEvent> {
  if (source.closed.length === 0) throw new Error('every token is banned: check badWordsIds');
  const best = source.closed.reduce((a, b) => (b.score > a.score ? b : a));
  const streamer = new TextStreamer(options.decode);
  const { index } = source;
  for (const id of best.ids) yield { type: 'token', index, tokenId: id, delta: streamer.push(id) };
  yield { type: 'token', index, tokenId: options.specialTokens.eos, delta: streamer.finish() };
  const translation: Translation = {
    ids: best.ids,
    text: streamer.text,
    finishReason: best.ids.length + 1 >= source.limit ? 'length' : 'eos',
    usage: { inputTokens: source.tokens, outputTokens: best.ids.length + 1 },
  };
  yield { type: 'done', index, translation };
}
