import { AttendError, type GlossaryEntry, LIMITS, parseGlossary } from '@attend/sdk';
import { InputError, UsageError } from './cli-errors.ts';

/** One text to translate and where it came from. */
export interface Input {
  /** `argument`, `stdin`, or the file path; used in headers and error messages. */
  readonly name: string;
  readonly text: string;
}

/** Where the command reads its input from; injectable for tests. */
export interface InputSources {
  readonly stdin: AsyncIterable<Uint8Array | string> & { readonly isTTY?: boolean | undefined };
  readonly readFile: (path: string) => Promise<string>;
}

/** Reads the inputs the command line names: the positional text, else each `--file`, else stdin. */
export async function readInputs(
  config: { readonly text: string | undefined; readonly files: readonly string[] },
  sources: InputSources,
): Promise<Input[]> {
  if (config.text !== undefined) return [{ name: 'argument', text: config.text }];
  if (config.files.length === 0) {
    if (sources.stdin.isTTY) {
      throw new UsageError('Nothing to translate: pass the text as an argument, use --file, or pipe text into stdin.');
    }
    return [{ name: 'stdin', text: await readAll(sources.stdin) }];
  }
  const inputs: Input[] = [];
  for (const path of config.files) {
    if (path === '-') inputs.push({ name: 'stdin', text: await readAll(sources.stdin) });
    else inputs.push({ name: path, text: await readFileOrExplain(sources, path) });
  }
  return inputs;
}

/** The entries of the glossary file named by --glossary (TSV or JSON); the server checks the terms. */
export async function readGlossary(path: string, sources: InputSources): Promise<GlossaryEntry[]> {
  const text = await readFileOrExplain(sources, path, '--glossary');
  try {
    return parseGlossary(text);
  } catch (error) {
    if (!(error instanceof AttendError)) throw error;
    throw new InputError(`${path}: ${error.message.replace(/\.$/, '')}. Fix the file given to --glossary.`);
  }
}

async function readFileOrExplain(sources: InputSources, path: string, flag = '--file'): Promise<string> {
  try {
    return await sources.readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new InputError(`Cannot read ${path}: ${why}. Check the path given to ${flag}.`);
  }
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Up to `LIMITS.maxTextsPerBatch` lines for one request, and how many blank lines precede each. */
export interface Batch {
  readonly texts: string[];
  readonly blanksBefore: number[];
}

/** The requests an input becomes: its non-blank lines in batches, blank lines kept for the output. */
export interface Plan {
  readonly batches: Batch[];
  readonly trailingBlanks: number;
}

/**
 * Splits an input into lines, since the model translates sentence by sentence, and groups them so
 * each request stays within the server's limits (one line per text, `maxTextsPerBatch` per request).
 */
export function planInput(input: Input): Plan {
  const lines = input.text.split(/\r\n|\n|\r/);
  // The newline that ends the last line does not open another one (and an empty input has no lines).
  if (lines.at(-1) === '') lines.pop();
  const batches: Batch[] = [];
  let blanks = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      blanks++;
      return;
    }
    if (line.length > LIMITS.maxCharsPerText) {
      throw new InputError(
        `Line ${i + 1} of ${input.name} has ${line.length} characters; the server takes at most ` +
          `${LIMITS.maxCharsPerText} per line. Break it into shorter lines.`,
      );
    }
    let batch = batches.at(-1);
    if (!batch || batch.texts.length === LIMITS.maxTextsPerBatch) batches.push((batch = { texts: [], blanksBefore: [] }));
    batch.texts.push(line);
    batch.blanksBefore.push(blanks);
    blanks = 0;
  });
  return { batches, trailingBlanks: blanks };
}
