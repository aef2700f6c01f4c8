import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from './run.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let keyed: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  keyed = await startTestServer({ apiKey: 'secret' });
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await server.close();
  await keyed.close();
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function translate(
  argv: string[],
  { stdin = '', files = {}, env = {}, signal }: { stdin?: string; files?: Record<string, string>; env?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv,
    env: { ATTEND_URL: server.url, ...env },
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    },
    signal,
  });
  return { code, stdout, stderr };
}

describe('translate', () => {
  it('streams the translation of its arguments', async () => {
    // The command's environment is the `env` it is given: the SDK must not read process.env behind it.
    vi.stubEnv('ATTEND_API_KEY', 'from-process-env');
    const before = server.requests.length;
    expect(await translate(['Good', 'morning', 'world', '--to', 'es'])).toEqual({ code: 0, stdout: 'buenos días mundo\n', stderr: '' });
    expect(server.requests.slice(before)).toEqual([
      { body: { text: ['Good morning world'], target: 'es', stream: true }, authorization: undefined },
    ]);
  });

  it('translates stdin line by line, keeping blank lines', async () => {
    const outcome = await translate(['--to', 'es'], { stdin: 'hello\n\n\ngood night\n\n' });
    expect(outcome).toEqual({ code: 0, stdout: 'hola\n\n\nbuenos noches\n\n', stderr: '' });
  });

  it('translates files under a header each', async () => {
    const files = { 'a.txt': 'hello\nworld\n', 'b.txt': 'good night' };
    const outcome = await translate(['--to', 'es', '--file', 'a.txt', '--file', 'b.txt'], { files });
    expect(outcome.stdout).toBe('==> a.txt <==\nhola\nmundo\n\n==> b.txt <==\nbuenos noches\n');
    expect(outcome.code).toBe(0);
  });

  it('prints one JSON answer per request with --json, and forwards the options', async () => {
    const before = server.requests.length;
    const outcome = await translate(['hello', '--to', 'es', '--from', 'en', '--model', 'en-es', '--beam', '4', '--max-tokens', '20', '--json']);
    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ translations: [{ text: 'hola' }], model: 'en-es' });
    expect(outcome.stdout.endsWith('}\n')).toBe(true);
    expect(server.requests.slice(before).map((r) => r.body)).toEqual([
      { text: ['hello'], target: 'es', source: 'en', model: 'en-es', options: { beam_size: 4, max_tokens: 20 }, stream: false },
    ]);
  });

  it('sends the API key from the environment', async () => {
    const outcome = await translate(['hello', '--to', 'es'], { env: { ATTEND_URL: keyed.url, ATTEND_API_KEY: 'secret' } });
    expect(outcome).toMatchObject({ code: 0, stdout: 'hola\n' });
    expect(keyed.requests.at(-1)?.authorization).toBe('Bearer secret');
  });

  it('lists models and language pairs', async () => {
    expect((await translate(['--models'])).stdout).toBe('en-es\ten -> es\t5.2 MB\tloaded\n');
    expect((await translate(['--languages'])).stdout).toBe('en -> es\ten-es\n');
  });

  it('prints the usage with --help', async () => {
    const outcome = await translate(['--help'], { env: { ATTEND_URL: '' } });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^Usage: translate \[options\] \[text\.\.\.\]/);
  });
});

describe('confidence, alternatives and glossaries', () => {
  it('marks the words the model doubts with --confidence: [[ ]] in a pipe, underlined on a terminal', async () => {
    expect(await translate(['good', 'evening', 'world', '--to', 'es', '--confidence'])).toEqual({ code: 0, stdout: 'buenos [[[evening]]] mundo\n', stderr: '' });
    let tty = '';
    const code = await run({
      argv: ['good', 'evening', '--to', 'es', '--confidence'],
      env: { ATTEND_URL: server.url },
      stdin: Readable.from([]),
      stdout: { write: (s: string) => (tty += s), isTTY: true },
      stderr: { write: () => undefined },
      readFile: async () => '',
    });
    expect({ code, tty }).toEqual({ code: 0, tty: 'buenos \x1b[4m[evening]\x1b[24m\n' });
  });

  it('asks for the words with --confidence --json, and prints the alternatives after each line', async () => {
    const before = server.requests.length;
    const json = JSON.parse((await translate(['hello', 'world', '--to', 'es', '--confidence', '--json'])).stdout);
    expect(json.translations[0].words).toEqual([{ text: 'hola', start: 0, confidence: 0.9 }, { text: 'mundo', start: 5, confidence: 0.9 }]);
    const outcome = await translate(['--to', 'es', '--alternatives', '2'], { stdin: 'hello\nworld\n' });
    expect(outcome).toEqual({ code: 0, stdout: 'hola\n  alt 2: hola (2) (-0.21)\nmundo\n  alt 2: mundo (2) (-0.21)\n', stderr: '' });
    expect(server.requests.slice(before).map((r) => r.body.options)).toEqual([{ confidence: true }, { alternatives: 2 }]);
  });

  it('sends the terms of a --glossary file (TSV or JSON), or the name given to --glossary-id', async () => {
    const files = { 'terms.tsv': 'hello\tsaludos\n', 'terms.json': '[{"source": "night", "target": "nochecita"}]' };
    expect((await translate(['hello', 'world', '--to', 'es', '--glossary', 'terms.tsv'], { files })).stdout).toBe('saludos mundo\n');
    expect((await translate(['good', 'night', '--to', 'es', '--glossary', 'terms.json'], { files })).stdout).toBe('buenos nochecita\n');
    expect((await translate(['hello', 'world', '--to', 'es', '--glossary-id', 'ui'])).stdout).toBe('hola orbe\n');
    expect(server.requests.at(-1)?.body.options).toEqual({ glossary_id: 'ui' });
  });

  it('explains a glossary file it cannot use, and a glossary the server lacks', async () => {
    const files = { 'bad.tsv': 'hello saludos\n' };
    expect(await translate(['hello', '--to', 'es', '--glossary', 'bad.tsv'], { files })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'translate: bad.tsv: Glossary line 1: expected source<TAB>target, found 1 column. Fix the file given to --glossary.\n',
    });
    expect((await translate(['hello', '--to', 'es', '--glossary', 'none.tsv'])).stderr).toBe('translate: Cannot read none.tsv: no such file. Check the path given to --glossary.\n');
    const missing = await translate(['hello', '--to', 'es', '--glossary-id', 'legal']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/^translate: options\.glossary_id: no glossary "legal" for en->es/);
  });
});

describe('translate failures', () => {
  it.each([
    {
      why: 'a wrong key',
      argv: ['hello', '--to', 'es', '--url', 'KEYED', '--api-key', 'wrong'],
      stderr: 'translate: The server refused the API key: missing API key: send the header `Authorization: Bearer <key>`. Pass a valid key with --api-key or set ATTEND_API_KEY. (request id req_err)\n',
    },
    {
      why: 'an unsupported pair',
      argv: ['hello', '--to', 'fr'],
      stderr: 'translate: no model translates en -> fr; see GET /v1/languages. List the pairs with `translate --languages`. (request id req_err)\n',
    },
    {
      why: 'an unknown model',
      argv: ['hello', '--to', 'es', '--model', 'xx', '--json'],
      stderr: 'translate: no model xx. List the models with `translate --models`. (request id req_err)\n',
    },
  ])('explains $why and exits 1', async ({ argv, stderr }) => {
    const outcome = await translate(argv.map((a) => (a === 'KEYED' ? keyed.url : a)));
    expect(outcome).toEqual({ code: 1, stdout: '', stderr });
  });

  it('ends a line cut off by an error event, then explains', async () => {
    const outcome = await translate(['hello FAIL_MIDSTREAM', '--to', 'es']);
    expect(outcome).toEqual({
      code: 1,
      stdout: 'hola [FAIL_MIDSTREAM]\n',
      stderr: 'translate: The translation failed mid-way: the decoder failed. Run the command again. (request id req_sse)\n',
    });
  });

  it('explains an unreachable server', async () => {
    const gone = await startTestServer();
    await gone.close();
    const outcome = await translate(['hello', '--to', 'es', '--url', gone.url, '--retries', '0']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(new RegExp(`^translate: Cannot reach ${gone.url} \\(fetch failed \\(.*ECONNREFUSED.*\\)\\)\\. Check --url`));
  });

  it('exits 2 on a usage mistake, 1 on a bad file, 130 when interrupted', async () => {
    expect(await translate(['hello'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'translate: Missing --to: name the target language, e.g. --to es.\nRun `translate --help` for the options.\n',
    });
    expect(await translate(['--to', 'es', '--file', 'missing.txt'])).toMatchObject({ code: 1, stderr: 'translate: Cannot read missing.txt: no such file. Check the path given to --file.\n' });
    expect(await translate(['hello', '--to', 'es'], { signal: AbortSignal.abort() })).toEqual({ code: 130, stdout: '', stderr: 'translate: Interrupted.\n' });
  });
});

describe('bin', () => {
  function start(argv: string[]) {
    const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
    const child = spawn(process.execPath, [bin, ...argv], { env: { ...process.env, ATTEND_URL: server.url } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const done = new Promise<Outcome>((resolve) => child.on('close', (code: number) => resolve({ code, stdout, stderr })));
    return { child, done };
  }

  it('runs as a command: stdin in, translation out, exit status', async () => {
    const { child, done } = start(['--to', 'es']);
    child.stdin.end('good morning\n');
    expect(await done).toEqual({ code: 0, stdout: 'buenos días\n', stderr: '' });
  });

  it('aborts the request in flight on Ctrl-C and exits 130', async () => {
    const { child, done } = start(['HANG', '--to', 'es']);
    // The request reaching the server proves the SIGINT handler is installed.
    while (!server.requests.some((r) => r.body.text.includes('HANG'))) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    expect(await done).toEqual({ code: 130, stdout: '', stderr: 'translate: Interrupted.\n' });
  });
});
