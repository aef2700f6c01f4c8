// The Server-Sent Events of a streamed translation: one closed union, shared by server and SDK.
// Order: `start`, then per text (in index order) `delta`* and `done`; `error` ends the stream early.
// The `delta` texts of one index, concatenated, equal that index's `done.text`.
import { z } from 'zod';
import { ErrorTypeSchema } from './errors.ts';
import { DetectedLanguageSchema, FinishReasonSchema, UsageSchema } from './translate.ts';

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
});

export const DoneEventSchema = z.object({
  type: z.literal('done'),
  index: z.int().nonnegative(),
  text: z.string(),
  usage: UsageSchema,
  finish_reason: FinishReasonSchema,
});

export const ErrorEventSchema = z.object({
  type: z.literal('error'),
  error: z.object({ type: ErrorTypeSchema, message: z.string() }),
});

export const StreamEventSchema = z
  .discriminatedUnion('type', [StartEventSchema, DeltaEventSchema, DoneEventSchema, ErrorEventSchema])
  .meta({ id: 'StreamEvent', description: 'data of one SSE message; its `event:` field equals `type`' });
