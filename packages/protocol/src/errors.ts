// One error vocabulary end to end: every non-2xx answer is `{ error: { type, message } }` with a `type`
// from this closed set, and each type has exactly one HTTP status.
import { z } from 'zod';
import type { ErrorType } from './types.ts';

export const ERROR_STATUS = {
  invalid_json: 400, // the body is not parseable JSON (or form data)
  invalid_request: 422, // well-formed, but a field has the wrong type or is out of range
  authentication_error: 401, // missing or wrong API key
  not_found: 404, // no such route or model
  unsupported_language_pair: 404, // no model translates source -> target
  payload_too_large: 413, // body, text or batch over LIMITS
  unsupported_media_type: 415,
  rate_limited: 429, // too many requests for this key or client; retry after `Retry-After` seconds
  internal_error: 500,
  configuration_error: 500, // the operator's configuration is wrong (e.g. an API key too short)
  model_unavailable: 503, // the model is missing or corrupt in storage; retry later
} as const satisfies Record<ErrorType, number>;

export const ERROR_TYPES = Object.keys(ERROR_STATUS) as [ErrorType, ...ErrorType[]];

export const ErrorTypeSchema = z.enum(ERROR_TYPES);

export const ErrorBodySchema = z
  .object({
    error: z.object({
      type: ErrorTypeSchema,
      message: z.string(),
    }),
  })
  .meta({ id: 'ErrorBody', description: 'Every error response' });
