import { APIUserAbortError, Client, type DeltaEvent, type DoneEvent, type TranslateOptions, type TranslateParams } from '@attend/sdk';
import { parseCliArgs, USAGE, type CliConfig } from './args.ts';
import { markDoubtful, markStyle } from './doubtful-words.ts';
import { explain } from './explain.ts';
import { planInput, readGlossary, readInputs, type Batch, type InputSources } from './input.ts';

/** Something the command writes to (process.stdout in production). */
export interface Writer {
  write(chunk: string): unknown;
  /** A terminal: --confidence underlines there. */
  readonly isTTY?: boolean | undefined;
}

/** Everything the command touches, so that tests can run it in-process. */
export interface CliIO extends InputSources {
  /** Arguments after the script path. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** Aborts the command (Ctrl-C). */
  readonly signal?: AbortSignal | undefined;
}

/** Runs the `translate` command; resolves to its exit status. */
export async function run(io: CliIO): Promise<number> {
  let config: CliConfig | undefined;
  try {
    config = parseCliArgs(io.argv, io.env);
    if (config.action === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    const client = new Client({
      baseURL: config.url as string,
      // `io.env` is the one environment: null keeps the SDK from reading process.env itself.
      apiKey: config.apiKey ?? null,
      timeout: config.timeout,
      maxRetries: config.maxRetries,
    });
    if (config.action === 'models') await listModels(client, config, io);
    else if (config.action === 'languages') await listLanguages(client, config, io);
    else await translateInputs(client, config, io);
    return 0;
  } catch (error) {
    // Whatever broke after Ctrl-C (an aborted request, a destroyed stdin) broke because of it.
    const { message, exitCode } = explain(io.signal?.aborted ? new APIUserAbortError() : error, { url: config?.url });
    io.stderr.write(`translate: ${message}\n`);
    return exitCode;
  }
}

async function translateInputs(client: Client, config: CliConfig, io: CliIO): Promise<void> {
  const inputs = await readInputs(config, io);
  // Every input is checked before the first request, so a bad file does not cut the output short.
  const plans = inputs.map(planInput);
  const options = await requestOptions(config, io);
  const base: Omit<TranslateParams, 'text'> = {
    target: config.target as string,
    source: config.source,
    model: config.model,
    ...(Object.keys(options).length > 0 && { options }),
  };
  const style = config.confidence ? markStyle(io.stdout, io.env) : undefined;
  const show = (delta: DeltaEvent) => (style ? markDoubtful(delta, style) : delta.text);
  for (const [i, plan] of plans.entries()) {
    if (inputs.length > 1 && !config.json) io.stdout.write(`${i > 0 ? '\n' : ''}==> ${inputs[i]?.name} <==\n`);
    for (const batch of plan.batches) {
      const params = { ...base, text: batch.texts };
      if (config.json) {
        io.stdout.write(`${JSON.stringify(await client.translate(params, { signal: io.signal }))}\n`);
      } else {
        await streamBatch(client, params, batch, io, show);
      }
    }
    if (!config.json) io.stdout.write('\n'.repeat(plan.trailingBlanks));
  }
}

/** The request's options; streamed text reads confidence from the deltas, so only --json asks for `words`. */
async function requestOptions(config: CliConfig, io: CliIO): Promise<TranslateOptions> {
  return {
    ...(config.beamSize !== undefined && { beam_size: config.beamSize }),
    ...(config.maxTokens !== undefined && { max_tokens: config.maxTokens }),
    ...(config.confidence && config.json && { confidence: true }),
    ...(config.alternatives !== undefined && { alternatives: config.alternatives }),
    ...(config.glossaryFile !== undefined && { glossary: await readGlossary(config.glossaryFile, io) }),
    ...(config.glossaryId !== undefined && { glossary_id: config.glossaryId }),
  };
}

// Events come in index order (the protocol's promise): each line's deltas, then its `done`.
async function streamBatch(client: Client, params: TranslateParams, batch: Batch, io: CliIO, show: (delta: DeltaEvent) => string): Promise<void> {
  let index = -1;
  let written = false;
  try {
    for await (const event of client.translate.stream(params, { signal: io.signal })) {
      if (event.type === 'start') continue;
      if (event.index !== index) {
        index = event.index;
        written = false;
        io.stdout.write('\n'.repeat(batch.blanksBefore[index] ?? 0));
      }
      if (event.type === 'delta') {
        io.stdout.write(show(event));
        written = true;
      } else {
        io.stdout.write(written ? '\n' : `${event.text}\n`);
        written = false;
        io.stdout.write(otherAlternatives(event));
      }
    }
  } finally {
    // A line cut off by a failure still ends, so the error message starts on a line of its own.
    if (written) io.stdout.write('\n');
  }
}

/** The alternatives after the first (which is the line itself), one per line. */
function otherAlternatives(done: DoneEvent): string {
  return (done.alternatives ?? [])
    .slice(1)
    .map((a, k) => `  alt ${k + 2}: ${a.text} (${a.score.toFixed(2)})\n`)
    .join('');
}

async function listModels(client: Client, config: CliConfig, io: CliIO): Promise<void> {
  const list = await client.models.list({ signal: io.signal });
  if (config.json) return void io.stdout.write(`${JSON.stringify(list)}\n`);
  for (const m of list.models) {
    const size = `${(m.size_bytes / 1e6).toFixed(1)} MB`;
    io.stdout.write(`${m.id}\t${m.source} -> ${m.target}\t${size}${m.loaded ? '\tloaded' : ''}\n`);
  }
}

async function listLanguages(client: Client, config: CliConfig, io: CliIO): Promise<void> {
  const languages = await client.languages.list({ signal: io.signal });
  if (config.json) return void io.stdout.write(`${JSON.stringify(languages)}\n`);
  for (const pair of languages.pairs) io.stdout.write(`${pair.source} -> ${pair.target}\t${pair.model}\n`);
}
