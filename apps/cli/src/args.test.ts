import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.ts';
import { UsageError } from './cli-errors.ts';

const env = { ATTEND_URL: 'http://localhost:8787' };

describe('parseCliArgs', () => {
  it('reads the text, target and every option', () => {
    const config = parseCliArgs(
      ['Good', 'morning', '--to', 'es', '-f', 'en', '-m', 'en-es', '-b', '4', '--max-tokens', '64', '--confidence', '--alternatives', '3', '--glossary', 'terms.tsv', '--json', '-k', 'key', '--timeout', '5', '--retries', '0'],
      env,
    );
    expect(config).toEqual({
      action: 'translate',
      text: 'Good morning',
      files: [],
      target: 'es',
      source: 'en',
      model: 'en-es',
      beamSize: 4,
      maxTokens: 64,
      confidence: true,
      alternatives: 3,
      glossaryFile: 'terms.tsv',
      glossaryId: undefined,
      json: true,
      url: 'http://localhost:8787',
      apiKey: 'key',
      timeout: 5000,
      maxRetries: 0,
    });
  });

  it('takes the URL and key from the environment unless flags override them', () => {
    expect(parseCliArgs(['-t', 'es', 'hi'], { ATTEND_URL: 'http://a', ATTEND_API_KEY: 'k1' })).toMatchObject({
      url: 'http://a',
      apiKey: 'k1',
    });
    expect(
      parseCliArgs(['-t', 'es', 'hi', '--url', 'https://b', '--api-key', 'k2'], { ATTEND_URL: 'http://a', ATTEND_API_KEY: 'k1' }),
    ).toMatchObject({ url: 'https://b', apiKey: 'k2' });
    expect(parseCliArgs(['-t', 'es', 'hi'], { ATTEND_URL: 'http://a', ATTEND_API_KEY: '' }).apiKey).toBeUndefined();
    // The SDK's variable works too; the CLI's own wins.
    expect(parseCliArgs(['-t', 'es', 'hi'], { ATTEND_BASE_URL: 'http://sdk' }).url).toBe('http://sdk');
    expect(parseCliArgs(['-t', 'es', 'hi'], { ATTEND_URL: 'http://a', ATTEND_BASE_URL: 'http://sdk' }).url).toBe('http://a');
  });

  it('collects repeated --file and leaves the text undefined', () => {
    expect(parseCliArgs(['--to', 'es', '--file', 'a.txt', '--file', '-'], env)).toMatchObject({ text: undefined, files: ['a.txt', '-'] });
  });

  it('needs no target or server for --help, and no target for the listings', () => {
    expect(parseCliArgs(['--help'], {}).action).toBe('help');
    expect(parseCliArgs(['--models'], env).action).toBe('models');
    expect(parseCliArgs(['--languages'], env).action).toBe('languages');
  });

  it.each([
    [['hi'], /Missing --to/],
    [['hi', '--to', 'es', '--file', 'a.txt'], /not both/],
    [['hi', '--to', 'es', '--beam', '0'], /--beam takes a whole number from 1 to 8; got "0"/],
    [['hi', '--to', 'es', '--beam', '2.5'], /--beam takes a whole number/],
    [['hi', '--to', 'es', '--max-tokens', '513'], /--max-tokens takes a whole number from 1 to 512/],
    [['hi', '--to', 'es', '--timeout', 'soon'], /--timeout takes a whole number/],
    [['hi', '--to', 'es', '--alternatives', '9'], /--alternatives takes a whole number from 1 to 8; got "9"/],
    [['hi', '--to', 'es', '--glossary', 'a.tsv', '--glossary-id', 'ui'], /--glossary or .* --glossary-id, not both/],
    [['hi', '--to', 'es', '--colour'], /Unknown option '--colour'/],
    [['hi', '--to'], /--to/],
    [['hi', '--to', 'es', '--url', 'localhost:8787'], /not an http\(s\) URL/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv, env)).toThrow(UsageError);
    expect(() => parseCliArgs(argv, env)).toThrow(message);
  });

  it('says how to name the server when none is set', () => {
    expect(() => parseCliArgs(['hi', '--to', 'es'], {})).toThrow(/pass --url or set ATTEND_URL/);
  });
});
