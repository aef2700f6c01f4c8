// OpenAPI pieces shared by the route definitions.
import { ErrorBodySchema } from '@attend/protocol';

const error = (description: string) => ({ content: { 'application/json': { schema: ErrorBodySchema } }, description });

export const ERROR_RESPONSES = {
  400: error('Malformed JSON'),
  401: error('Missing or invalid API key'),
  404: error('Unknown model or language pair (the message lists the available pairs)'),
  413: error('Body, text or batch too large, or the request may decode more tokens than one request may (LIMITS)'),
  415: error('Body is not JSON'),
  422: error('A field has the wrong type or is out of range'),
  429: error('Too many requests for this key or client: retry after the `Retry-After` header\'s seconds'),
  500: error('Internal error, or the operator\'s configuration is wrong (`configuration_error`)'),
  503: error('The model is missing or corrupt in storage'),
} as const;

export const SECURITY = [{ bearer: [] }];

/** What any route may answer besides its own: the rate limit and an internal error. */
export const COMMON_ERRORS = { 429: ERROR_RESPONSES[429], 500: ERROR_RESPONSES[500] } as const;
