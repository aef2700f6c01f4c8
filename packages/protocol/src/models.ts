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

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    models: z.int().nonnegative().meta({ description: 'models in storage' }),
    loaded: z.array(z.string()).meta({ description: 'models in memory in the isolate that answered' }),
    wasm_heap_bytes: z.int().nonnegative().meta({ description: "onnxruntime's wasm heap in that isolate (it only grows: the peak)" }),
  })
  .meta({ id: 'Health' });
