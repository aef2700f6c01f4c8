// Structured logs: one JSON object per line on stdout, which Workers Logs and `wrangler tail` index
// field by field. Only the fields below are ever written, picked by name at run time, so a request's
// texts, API keys and headers have nowhere to go even when a caller passes a bigger object.
// workerd advances its clock only at I/O, so `ms` leaves out CPU time after a request's last I/O.

export interface LogFields {
  readonly request_id?: string | undefined;
  readonly method?: string | undefined;
  readonly path?: string | undefined;
  readonly status?: number | undefined;
  readonly ms?: number | undefined;
  readonly model?: string | undefined;
  readonly input_tokens?: number | undefined;
  readonly output_tokens?: number | undefined;
  readonly bytes?: number | undefined;
  /** Why a model failed: written by this worker from file names, sizes and parser messages. */
  readonly reason?: string | undefined;
  /** The error `type` of a failed request. */
  readonly error?: string | undefined;
  readonly cache?: 'HIT' | 'MISS' | undefined;
}

/** What a route reports about its request (see middleware/request-log.ts). */
export type RequestLogFields = Pick<LogFields, 'model' | 'input_tokens' | 'output_tokens' | 'cache' | 'error'>;

export type LogEvent = 'request' | 'model_load' | 'model_load_failed' | 'model_broken';

const FIELDS = [
  'request_id', 'method', 'path', 'status', 'ms', 'model', 'input_tokens', 'output_tokens', 'bytes', 'reason', 'error', 'cache',
] as const satisfies readonly (keyof LogFields)[];

const MAX_STRING = 300; // a path of 5000 characters is an attack, not something to store

export function log(event: LogEvent, fields: LogFields): void {
  const line: Record<string, string | number> = { event };
  for (const name of FIELDS) {
    const value = fields[name];
    if (typeof value === 'number') line[name] = value;
    else if (typeof value === 'string') line[name] = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  }
  console.log(JSON.stringify(line));
}
