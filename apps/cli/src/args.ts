import { LIMITS } from '@attend/sdk';
import { parseArgs } from 'node:util';
import { UsageError } from './cli-errors.ts';

/** What the command line asks for, validated. */
export interface CliConfig {
  readonly action: 'translate' | 'help' | 'models' | 'languages';
  /** The positional words joined by spaces, or undefined when none were given. */
  readonly text: string | undefined;
  /** Files to translate; `-` is stdin. */
  readonly files: readonly string[];
  readonly target: string | undefined;
  readonly source: string | undefined;
  readonly model: string | undefined;
  readonly beamSize: number | undefined;
  readonly maxTokens: number | undefined;
  /** Mark doubtful words (and ask for `words` with --json). */
  readonly confidence: boolean;
  readonly alternatives: number | undefined;
  /** A glossary file (TSV or JSON) to send with each request. */
  readonly glossaryFile: string | undefined;
  /** A glossary the operator uploaded, by name. */
  readonly glossaryId: string | undefined;
  readonly json: boolean;
  readonly url: string | undefined;
  readonly apiKey: string | undefined;
  /** Milliseconds. */
  readonly timeout: number | undefined;
  readonly maxRetries: number | undefined;
}

export const USAGE = `Usage: translate [options] [text...]

Translates the text given as arguments, the files given with --file, or stdin, line by line,
and streams the translation to stdout as it is decoded.

Options:
  -t, --to <lang>        target language, e.g. es (required)
  -f, --from <lang>      source language; leave out when one model translates into --to
      --file <path>      translate a file; repeatable; - is stdin
  -m, --model <id>       model id (see --models)
  -b, --beam <n>         beam size, 1-${LIMITS.maxBeamSize}; 1 (greedy) streams token by token
      --max-tokens <n>   output tokens per line, 1-${LIMITS.maxOutputTokens}
      --confidence       mark the words the model doubts: underlined on a terminal, [[word]] otherwise
                         (with --json: each translation lists its words with their confidence)
      --alternatives <n> the n best translations, 1-${LIMITS.maxBeamSize} (beam search): the others follow
                         each line as "  alt 2: text (score)"
      --glossary <path>  force terms: a file of source<TAB>target lines, or a JSON array of
                         {"source", "target"}; at most ${LIMITS.maxGlossaryEntries} entries
      --glossary-id <name>  force the terms of a glossary uploaded to the server
      --json             print each response as one JSON line instead of streaming text
  -u, --url <url>        server address (default: $ATTEND_URL, else $ATTEND_BASE_URL)
  -k, --api-key <key>    API key (default: $ATTEND_API_KEY)
      --timeout <s>      seconds to wait for an answer (default 60)
      --retries <n>      retries after a connection error, 429 or 5xx (default 2)
      --models           list the models and exit
      --languages        list the language pairs and exit
  -h, --help             show this help

Examples:
  translate "Good morning" --to es
  echo "Where is the station?" | translate --to es
  translate --to es --file notes.txt --json
  translate --to es --confidence --glossary terms.tsv "Open the file menu."
`;

/** Parses `argv` (without the node and script paths); `env` supplies ATTEND_URL (or the SDK's ATTEND_BASE_URL) and ATTEND_API_KEY. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        to: { type: 'string', short: 't' },
        from: { type: 'string', short: 'f' },
        file: { type: 'string', multiple: true },
        model: { type: 'string', short: 'm' },
        beam: { type: 'string', short: 'b' },
        'max-tokens': { type: 'string' },
        confidence: { type: 'boolean' },
        alternatives: { type: 'string' },
        glossary: { type: 'string' },
        'glossary-id': { type: 'string' },
        json: { type: 'boolean' },
        url: { type: 'string', short: 'u' },
        'api-key': { type: 'string', short: 'k' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        models: { type: 'boolean' },
        languages: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs names the bad option in its message; the error code is not worth repeating.
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const action = values.help ? 'help' : values.models ? 'models' : values.languages ? 'languages' : 'translate';
  const text = positionals.length > 0 ? positionals.join(' ') : undefined;
  const files = values.file ?? [];
  if (action === 'translate') {
    if (!values.to) throw new UsageError('Missing --to: name the target language, e.g. --to es.');
    if (text !== undefined && files.length > 0) {
      throw new UsageError('Give the text as arguments or with --file, not both.');
    }
    if (values.glossary !== undefined && values['glossary-id'] !== undefined) {
      throw new UsageError('Give a glossary file with --glossary or an uploaded one with --glossary-id, not both.');
    }
  }
  const url = values.url ?? nonEmpty(env.ATTEND_URL) ?? nonEmpty(env.ATTEND_BASE_URL);
  if (action !== 'help' && !url) {
    throw new UsageError('No server: pass --url or set ATTEND_URL, e.g. ATTEND_URL=http://localhost:8787.');
  }
  if (url && !isHttpURL(url)) {
    throw new UsageError(`The server address "${url}" is not an http(s) URL; fix --url or ATTEND_URL.`);
  }
  const timeout = integer('--timeout', values.timeout, 1, 3600);
  return {
    action,
    text,
    files,
    target: values.to,
    source: values.from,
    model: values.model,
    beamSize: integer('--beam', values.beam, 1, LIMITS.maxBeamSize),
    maxTokens: integer('--max-tokens', values['max-tokens'], 1, LIMITS.maxOutputTokens),
    confidence: values.confidence ?? false,
    alternatives: integer('--alternatives', values.alternatives, 1, LIMITS.maxBeamSize),
    glossaryFile: values.glossary,
    glossaryId: values['glossary-id'],
    json: values.json ?? false,
    url,
    apiKey: values['api-key'] ?? nonEmpty(env.ATTEND_API_KEY),
    timeout: timeout === undefined ? undefined : timeout * 1000,
    maxRetries: integer('--retries', values.retries, 0, 10),
  };
}

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}; got "${value}".`);
  }
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function isHttpURL(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
