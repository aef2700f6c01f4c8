// The built page in a real headless Chromium, fed a stream as the protocol defines it once the worker
// reports token log-probabilities (a delta's `logprob` and `tokens`): the words the model doubts are
// underlined as they stream in, the rest is plain text, and the whole reads and copies as the answer.
// The page, the SDK and the browser are the real ones; the API answers through Playwright's routing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { CONFIDENCE, type StreamEvent } from '@attend/sdk';
import { type Browser, chromium, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../scripts/build.ts';

const ORIGIN = 'http://attend.test';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

const low = Math.log(CONFIDENCE.doubtfulBelow / 2);
const high = Math.log(0.9);
const DELTAS: [string, number][] = [['Abre', high], [' el', high], [' fichero', low], [' de', high], [' menú.', low]];
const STREAM: StreamEvent[] = [
  { type: 'start', model: 'en-es-tiny', source: 'en', target: 'es', count: 1 },
  ...DELTAS.map(([text, logprob]): StreamEvent => ({ type: 'delta', index: 0, text, logprob, tokens: 2 })),
  { type: 'done', index: 0, text: DELTAS.map(([t]) => t).join(''), usage: { input_tokens: 6, output_tokens: 11 }, finish_reason: 'stop', mean_logprob: -0.6 },
];

let work: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'attend-web-confidence-'));
  await buildPage(join(work, 'dist'));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, (route) => answer(route));
});

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function answer(route: Route): Promise<void> {
  const { pathname } = new URL(route.request().url());
  if (pathname === '/v1/languages') return route.fulfill({ json: { languages: ['en', 'es'], pairs: [{ source: 'en', target: 'es', model: 'en-es-tiny' }] } });
  if (pathname === '/v1/translate') {
    const body = STREAM.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
    return route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body });
  }
  const file = pathname === '/' ? 'index.html' : pathname.slice(1);
  const content = await readFile(join(work, 'dist', file)).catch(() => undefined);
  return content ? route.fulfill({ body: content, headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' } }) : route.fulfill({ status: 404 });
}

describe('the page with per-token confidence', () => {
  it('underlines the words the model doubts, and nothing else', async () => {
    await page.goto(`${ORIGIN}/`);
    await expect.poll(() => page.locator('#target option').count()).toBe(1);
    expect(await page.locator('#doubt-legend').isHidden()).toBe(true);
    await page.locator('#live').uncheck();
    await page.getByLabel('Text to translate').fill('Open the file menu.');
    await page.getByRole('button', { name: 'Translate' }).click();
    await expect.poll(() => page.locator('#output').getAttribute('data-state')).toBe('done');

    expect(await page.locator('#output').textContent()).toBe('Abre el fichero de menú.');
    expect(await page.locator('#output mark.doubtful').allTextContents()).toEqual(['fichero', 'menú.']);
    expect(await page.locator('#output mark.doubtful').first().getAttribute('title')).toBe(`The model is unsure of this word (${Math.round((CONFIDENCE.doubtfulBelow / 2) * 100)}% likely)`);
    const underline = await page.locator('#output mark.doubtful').first().evaluate((mark) => getComputedStyle(mark).textDecorationLine);
    expect(underline).toBe('underline');
    expect(await page.locator('#doubt-legend').isVisible()).toBe(true);
  });

  it('clears the marks and the legend with the text', async () => {
    await page.getByLabel('Text to translate').fill('');
    await page.getByLabel('Text to translate').dispatchEvent('input');
    await expect.poll(() => page.locator('#output mark').count()).toBe(0);
    expect(await page.locator('#doubt-legend').isHidden()).toBe(true);
  });
});
