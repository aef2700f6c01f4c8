// The translation page (apps/web) in a real headless Chromium, against the real worker: `wrangler dev`
// serving the built page as static assets (`--assets`, as wrangler.toml's [assets] does), its local R2
// seeded by scripts/lib/r2-upload.ts with a tiny random-weight model exported by packages/onnx. Random
// weights translate to garbage; the streaming, stopping, copying and error paths are the real ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from '../scripts/lib/free-port.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@attend/model-spec';
import { exportModel } from '@attend/onnx';
import { CONFIDENCE, Client } from '@attend/sdk';
import { trainBpe } from '@attend/tokenizer';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../apps/web/scripts/build.ts';
import { randomWeights } from '@attend/onnx/testing';
import { uploadModel } from '../scripts/lib/r2-upload.ts';
import { DEFAULT_BUCKET, REPO_ROOT, wranglerBin } from '../scripts/lib/wrangler.ts';

const API_KEY = 'web-test-key-0123456789';
const MODEL = { id: 'en-es-web', source: 'en', target: 'es' } as const;
const CORPUS = ['The cat sleeps on the warm window sill.', 'We will meet at the station tomorrow.', 'El gato duerme en la ventana.', 'Nos veremos mañana en la estación.'];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

let work: string;
let worker: ChildProcess;
let baseURL: string;
let api: Client;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'attend-web-'));
  await buildPage(join(work, 'dist'));
  await exportTinyModel(join(work, 'model'));
  await uploadModel(join(work, 'model'), { bucket: DEFAULT_BUCKET, remote: false, persistTo: join(work, 'state'), servingOnly: true, log: () => {} });
  baseURL = await startWorker(work);
  api = new Client({ baseURL, apiKey: API_KEY });
  context = await chromium.launchPersistentContext(join(work, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 760 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => requested.push(`${request.method()} ${request.url()}`));
});

afterAll(async () => {
  await context?.close();
  worker?.kill();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the translation page', () => {
  it('fills the pickers from the public language list, and asks for the API key when a translation needs one', async () => {
    const response = await page.goto(baseURL);
    expect(response?.headers()).toMatchObject({ 'x-content-type-options': 'nosniff', 'content-security-policy': "frame-ancestors 'none'" });
    await expect.poll(() => options('#target')).toEqual(['es']);
    expect(await options('#source')).toEqual(['en']);
    expect(await page.getByLabel('From').inputValue()).toBe('en');
    await page.locator('#live').uncheck();
    await page.getByLabel('Text to translate').fill('Good morning.');
    await page.getByRole('button', { name: 'Translate' }).click();
    await expect.poll(() => page.locator('#error').textContent()).toMatch(/This server needs an API key/);
    await page.locator('.settings summary').click();
    await page.locator('#api-key').fill(API_KEY);
    await page.locator('#api-key').press('Tab'); // commits the field: its change event, which retries
    await expect.poll(() => state(), { timeout: 30_000 }).toBe('done');
    expect(await page.locator('#error').isHidden()).toBe(true);
    await page.getByLabel('Text to translate').fill('');
    await page.locator('#live').check();
  });

  it('streams the translation in as you type, and ends on the translation the API gives', async () => {
    const text = 'We will meet at the station tomorrow.';
    const history = await recordOutput(page);
    const sentBefore = translateRequests();
    await page.getByLabel('Text to translate').pressSequentially(text, { delay: 15 });
    await expect.poll(() => state(), { timeout: 30_000 }).toBe('done');

    const snapshots = await history.jsonValue();
    const doneAt = snapshots.findIndex((s) => s.state === 'done');
    const streamed = new Set(snapshots.slice(0, doneAt).filter((s) => s.state === 'streaming' && s.text !== '').map((s) => s.text));
    expect(streamed.size).toBeGreaterThanOrEqual(2); // the text grew at least twice before `done`
    const answer = await api.translate({ text, source: 'en', target: 'es' });
    expect(answer.translations[0]?.text).toBeTruthy();
    expect(await page.locator('#output').textContent()).toBe(answer.translations[0]?.text);
    expect(await page.locator('#status').textContent()).toBe(`Done: ${answer.usage.output_tokens} tokens from model ${MODEL.id}.`);
    // The words the page underlines are those the API rates below the threshold (random weights doubt
    // most of them).
    const judged = await api.translate({ text, source: 'en', target: 'es', options: { confidence: true } });
    const doubtful = (judged.translations[0]?.words ?? []).filter((w) => w.confidence < CONFIDENCE.doubtfulBelow).map((w) => w.text);
    expect(doubtful.length).toBeGreaterThan(0);
    expect(await page.locator('#output mark.doubtful').allTextContents()).toEqual(doubtful);
    // Typing pauses are debounced: one request for the sentence, not one per key.
    expect(translateRequests() - sentBefore).toBeLessThan(4);
    console.log(`web page screenshot: ${await screenshot('web-page.png')}`);
  });

  it('copies the translation to the clipboard', async () => {
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.locator('#output').textContent());
  });

  it('stops a translation under way and keeps what had arrived', async () => {
    const text = 'The cat sleeps on the warm window sill.';
    const full = (await api.translate({ text, source: 'en', target: 'es' })).translations[0]?.text ?? '';
    // A slow network keeps the stream open long enough to press Stop mid-way.
    const restore = await slowEventStreams(page);
    try {
      await page.locator('#live').uncheck();
      await page.getByLabel('Text to translate').fill(text);
      await page.getByRole('button', { name: 'Translate' }).click();
      await expect.poll(() => page.locator('#output').textContent(), { timeout: 30_000 }).not.toBe('');
      expect(await state()).toBe('streaming');
      console.log(`web page streaming screenshot: ${await screenshot('web-page-streaming.png')}`);
      await page.getByRole('button', { name: 'Stop' }).click();
      await expect.poll(() => state()).toBe('stopped');
    } finally {
      await restore.evaluate((undo) => undo());
    }
    const kept = (await page.locator('#output').textContent()) ?? '';
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(full.length);
    expect(full.startsWith(kept)).toBe(true);
    expect(await page.locator('#status').textContent()).toMatch(/^Stopped\./);
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Translate' }).click(); // the worker serves on
    await expect.poll(() => state(), { timeout: 30_000 }).toBe('done');
    expect(await page.locator('#output').textContent()).toBe(full);
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 375, height: 720 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    console.log(`web page phone screenshot: ${await screenshot('web-page-phone.png')}`);
    await page.setViewportSize({ width: 1100, height: 760 });
  });

  it('says in words, without a stack, that the worker cannot be reached', async () => {
    worker.kill();
    await new Promise((resolve) => worker.once('exit', resolve));
    await page.getByLabel('Text to translate').fill('Hello again.');
    await page.getByRole('button', { name: 'Translate' }).click();
    await expect.poll(() => state(), { timeout: 30_000 }).toBe('error');
    const alert = (await page.getByRole('alert').textContent()) ?? '';
    expect(alert).toBe('Cannot reach the translation server. Check your connection, then try again.');
    console.log(`web page error screenshot: ${await screenshot('web-page-error.png')}`);
  });

  it('fetched everything from its own origin', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((r) => !r.split(' ')[1]?.startsWith(baseURL))).toEqual([]);
  });
});

function state(): Promise<string | null> {
  return page.locator('#output').getAttribute('data-state');
}

function options(selector: string): Promise<string[]> {
  return page.locator(`${selector} option`).evaluateAll((list) => list.map((o) => (o as HTMLOptionElement).value));
}

function translateRequests(): number {
  return requested.filter((r) => r === `POST ${baseURL}v1/translate`).length;
}

/** Every state and text the output goes through, recorded in the page as it changes. */
function recordOutput(on: Page) {
  return on.evaluateHandle(() => {
    const output = document.getElementById('output') as HTMLOutputElement;
    const seen: { state: string; text: string }[] = [];
    const snap = () => seen.push({ state: output.dataset['state'] ?? '', text: output.textContent ?? '' });
    new MutationObserver(snap).observe(output, { subtree: true, childList: true, characterData: true, attributeFilter: ['data-state'] });
    return seen;
  });
}

/**
 * Paces every event-stream body the page receives to 16 bytes per 100 ms, as a slow network would
 * (Chromium's own throttling delivers a local stream in one piece). Resolves to a function that undoes it.
 */
function slowEventStreams(on: Page) {
  return on.evaluateHandle(() => {
    const realFetch = window.fetch;
    window.fetch = async (input, init) => {
      const response = await realFetch(input, init);
      if (!response.body || !response.headers.get('content-type')?.includes('text/event-stream')) return response;
      const reader = response.body.getReader();
      const paced = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          for (let i = 0; i < value.length; i += 16) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            controller.enqueue(value.subarray(i, i + 16));
          }
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(paced, { status: response.status, headers: response.headers });
    };
    return () => {
      window.fetch = realFetch;
    };
  });
}

/** Screenshots go to a folder of their own that outlives the test, so that they can be looked at. */
let shots: string | undefined;
async function screenshot(name: string): Promise<string> {
  shots ??= await mkdtemp(join(tmpdir(), 'attend-web-shots-'));
  const path = join(shots, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

async function exportTinyModel(outDir: string): Promise<void> {
  const tokenizer = await trainBpe(CORPUS, { vocabSize: 300, minFrequency: 1 });
  const config = resolveConfig({ vocabSize: tokenizer.vocabSize, dModel: 32, heads: 4, dFF: 64, encoderLayers: 2, decoderLayers: 2, maxPositions: 48 });
  await exportModel({
    config,
    weights: randomWeights(config, 5, 3), // random positions: varied tokens, so the text visibly grows
    tokenizerJson: tokenizer.toJSON(),
    tokenizerConfig: tokenizer.tokenizerConfig(),
    outDir,
    ...MODEL,
    keepFp32: false,
  });
}

/** `wrangler dev` on a free port with the page as its static assets; resolves once it answers. */
async function startWorker(dir: string): Promise<string> {
  const port = await freePort();
  const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', join(dir, 'state'), '--assets', join(dir, 'dist')];
  worker = spawn(process.execPath, [wranglerBin(), ...args], { cwd: REPO_ROOT, env: { ...process.env, API_KEYS: API_KEY, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  worker.stdout?.on('data', (chunk: Buffer) => (log += chunk));
  worker.stderr?.on('data', (chunk: Buffer) => (log += chunk));
  const url = `http://127.0.0.1:${port}/`;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    if (worker.exitCode !== null) throw new Error(`wrangler dev exited with ${worker.exitCode}:\n${log}`);
    const ok = await fetch(`${url}health`).then((r) => r.ok, () => false);
    if (ok) return url;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer within 120 s:\n${log}`);
}

