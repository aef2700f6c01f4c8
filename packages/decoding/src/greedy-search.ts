// Batched greedy decoding, streamed: y_t = argmax_y p(y | y_<t, x) for every row at once.
// A row that has produced EOS keeps being fed <pad> (the batch keeps its shape, so the KV cache is
// never copied) and its scores are ignored.
import { bannedTokens, lengthLimit, type ResolvedOptions } from './options.ts';
import { argmax } from './scores.ts';
import type { Seq2SeqModel } from './seq2seq-model.ts';
import { TextStreamer } from './text-streamer.ts';
import type { GenerationEvent } from './translation.ts';

interface Row {
  readonly source: readonly number[];
  readonly limit: number;
  readonly ids: number[];
  readonly streamer: TextStreamer;
  finished: boolean;
}

export async function* greedySearch<Memory, Cache>(
  model: Seq2SeqModel<Memory, Cache>,
  sources: readonly (readonly number[])[],
  options: ResolvedOptions,
): AsyncGenerator<GenerationEvent, void, undefined> {
  const { signal } = options;
  const { eos, pad, decoderStart } = options.specialTokens;
  signal?.throwIfAborted();
  const rows: Row[] = sources.map((source) => ({
    source,
    limit: lengthLimit(options, source.length),
    ids: [],
    streamer: new TextStreamer(options.decode),
    finished: false,
  }));
  const memory: Memory = await model.encode(sources);
  let cache: Cache | null = null;
  try {
    const tokens = rows.map(() => decoderStart);
    while (rows.some((row) => !row.finished)) {
      signal?.throwIfAborted();
      const { logits, cache: next } = await model.step(memory, tokens, cache);
      cache = next;
      signal?.throwIfAborted();
      const vocab = logits.length / rows.length;
      for (const [index, row] of rows.entries()) {
        if (row.finished) {
          tokens[index] = pad;
          continue;
        }
        const atLimit = row.ids.length + 1 >= row.limit;
        const id = atLimit ? eos : argmax(logits.subarray(index * vocab, (index + 1) * vocab), bannedTokens(options, row.ids));
        tokens[index] = id;
        if (id !== eos) {
          row.ids.push(id);
          yield { type: 'token', index, tokenId: id, delta: row.streamer.push(id) };
          continue;
        }
        row.finished = true;
        yield { type: 'token', index, tokenId: eos, delta: row.streamer.finish() };
        const usage = { inputTokens: row.source.length, outputTokens: row.ids.length + 1 };
        const finishReason = atLimit ? 'length' : 'eos';
        yield { type: 'done', index, translation: { ids: row.ids, text: row.streamer.text, finishReason, usage } };
      }
    }
  } finally {
    model.dispose(memory, cache);
  }
}
