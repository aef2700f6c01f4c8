// The Server-Sent Events of a streamed translation: one closed union, shared by server and SDK.
// Order: `start`, then per text (in index order) `delta`* and `done`; `error` ends the stream early.
// The `delta` texts of one index, concatenated, equal that index's `done.text`.
// A delta holds whole words (the decoder's streamer waits for the next word to begin) and the
// log-probability of the tokens that wrote them (confidence.ts). A sentence decoded with beam search
// (beam_size > 1, alternatives, or a glossary term in it) sends its deltas when its search is over.
import { z } from 'zod';
import { ErrorTypeSchema } from './errors.ts';
import { AlternativeSchema, DetectedLanguageSchema, FinishReasonSchema, MeanLogprobSchema, UsageSchema, WordConfidenceSchema } from './translate.ts';

export const StartEventSchema = z.object({
  type: z.literal('start'),
  model: z.string(),
  source: z.string(),
  target: z.string(),
  count: z.int().positive(), // how many texts will follow (indices 0..count-1)
  detected_language: DetectedLanguageSchema.optional(), // present when `source` was detected
});

export const DeltaEventSchema = z.object({
  type: z.literal('delta'),
  index: z.int().nonnegative(),
  text: z.string(),
  logprob: z.number().max(0).meta({ description: "natural-log probability the model gave this delta's tokens, summed; 0 for text no token wrote (markup, whitespace between sentences)" }),
  tokens: z.int().nonnegative().meta({ description: 'how many tokens wrote this delta' }),
});

export const DoneEventSchema = z.object({
  type: z.literal('done'),
  index: z.int().nonnegative(),
  text: z.string(),
  usage: UsageSchema,
  finish_reason: FinishReasonSchema,
  mean_logprob: MeanLogprobSchema,
  words: z.array(WordConfidenceSchema).optional().meta({ description: 'with `options.confidence`' }),
  alternatives: z.array(AlternativeSchema).optional().meta({ description: 'with `options.alternatives`' }),
});

export const ErrorEventSchema = z.object({
  type: z.literal('error'),
  error: z.object({ type: ErrorTypeSchema, message: z.string() }),
});

export const StreamEventSchema = z
  .discriminatedUnion('type', [StartEventSchema, DeltaEventSchema, DoneEventSchema, ErrorEventSchema])
  .meta({ id: 'StreamEvent', description: 'data of one SSE message; its `event:` field equals `type`' });
