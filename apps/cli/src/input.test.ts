import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from './cli-errors.ts';
import { planInput, readInputs, type InputSources } from './input.ts';

function sources(stdinText: string | undefined, files: Record<string, string> = {}): InputSources {
  const stdin = stdinText === undefined ? Object.assign(Readable.from([]), { isTTY: true }) : Readable.from([Buffer.from(stdinText)]);
  return {
    stdin,
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
  };
}

describe('readInputs', () => {
  it('prefers the positional text', async () => {
    expect(await readInputs({ text: 'hi', files: [] }, sources('ignored'))).toEqual([{ name: 'argument', text: 'hi' }]);
  });

  it('reads stdin when given nothing else, across UTF-8 chunk boundaries', async () => {
    const bytes = Buffer.from('mañana\n');
    const stdin = Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]);
    expect(await readInputs({ text: undefined, files: [] }, { ...sources(''), stdin })).toEqual([{ name: 'stdin', text: 'mañana\n' }]);
  });

  it('reads files in order, with - for stdin', async () => {
    const inputs = await readInputs({ text: undefined, files: ['a.txt', '-'] }, sources('from stdin', { 'a.txt': 'from a' }));
    expect(inputs).toEqual([
      { name: 'a.txt', text: 'from a' },
      { name: 'stdin', text: 'from stdin' },
    ]);
  });

  it('explains a missing file', async () => {
    await expect(readInputs({ text: undefined, files: ['nope.txt'] }, sources(''))).rejects.toThrow(
      new InputError('Cannot read nope.txt: no such file. Check the path given to --file.'),
    );
  });

  it('refuses to wait on a terminal', async () => {
    await expect(readInputs({ text: undefined, files: [] }, sources(undefined))).rejects.toBeInstanceOf(UsageError);
  });
});

describe('planInput', () => {
  it('sends non-blank lines and remembers the blank ones', () => {
    expect(planInput({ name: 'x', text: '\nHello\r\n\r\n  \nGood night\rBye\n\n' })).toEqual({
      batches: [{ texts: ['Hello', 'Good night', 'Bye'], blanksBefore: [1, 2, 0] }],
      trailingBlanks: 1,
    });
  });

  it('plans nothing for an empty input', () => {
    expect(planInput({ name: 'x', text: '' })).toEqual({ batches: [], trailingBlanks: 0 });
  });

  it('keeps each request within the batch limit', () => {
    const text = Array.from({ length: 70 }, (_, i) => `line ${i}`).join('\n');
    const { batches } = planInput({ name: 'x', text });
    expect(batches.map((b) => b.texts.length)).toEqual([32, 32, 6]);
    expect(batches[2]?.texts[0]).toBe('line 64');
  });

  it('names the line that is too long', () => {
    expect(() => planInput({ name: 'book.txt', text: `short\n${'a'.repeat(2001)}` })).toThrow(
      /Line 2 of book.txt has 2001 characters; the server takes at most 2000 per line/,
    );
  });
});
