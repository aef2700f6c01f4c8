// GET /v1/models, /v1/models/{id}, /v1/languages and /health.
import { z } from 'zod';

export const ModelSchema = z
  .object({
    id: z.string(),
    source: z.string(),
    target: z.string(),
    created: z.string().meta({ description: 'ISO 8601' }),
    size_bytes: z.int().nonnegative().meta({ description: 'bytes served: config, tokenizer and the int8 ONNX files' }),
    loaded: z.boolean().meta({ description: 'already in memory in the isolate that answered' }),
  })
  .meta({ id: 'Model' });

export const ModelListSchema = z.object({ models: z.array(ModelSchema) }).meta({ id: 'ModelList' });

export const LanguagePairSchema = z.object({ source: z.string(), target: z.string(), model: z.string() });

export const LanguagesResponseSchema = z
  .object({
    languages: z.array(z.string()).meta({ description: 'every code that appears as a source or a target' }),
    pairs: z.array(LanguagePairSchema),
  })
  .meta({ id: 'Languages' });

const ModelFailureSchema = z.object({
  model: z.string(),
  reason: z.string().meta({ description: 'what is wrong with the model in storage, and how to fix it' }),
});

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']).meta({ description: '"degraded" (HTTP 503) when any model is in `failed`' }),
    models: z.int().nonnegative().meta({ description: 'model folders in storage, broken ones included' }),
    loaded: z.array(z.string()).meta({ description: 'models in memory in the isolate that answered' }),
    failed: z
      .array(ModelFailureSchema)
      .meta({ description: 'models whose manifest.json is missing or unreadable, or whose last load failed in that isolate' }),
    wasm_heap_bytes: z.int().nonnegative().meta({ description: "onnxruntime's wasm heap in that isolate (it only grows: the peak)" }),
  })
  .meta({ id: 'Health' });
