// `npm run deploy` as a list of named steps (deploy-steps.ts). The worker is built and measured first, so
// a bundle over the plan's limit fails before anything on the account changes; the models go up before
// the worker that reads them, so a new worker never answers from a bucket without them.
import { join } from 'node:path';
import { type BundleSize, bundleReport, sizeProblem } from './bundle-size.ts';
import { type DeployContext, apiKeysSecret, buildBundle, buildPage, checkLogin, ensureBucket, publishWorker, uploadModels } from './deploy-steps.ts';
import { modelFolders, readManifest } from './model-folder.ts';

export interface DeployOptions {
  readonly open: boolean; // deploy without API keys
  readonly reupload: boolean; // upload models even where the bucket holds the same manifest
}

type Step = readonly [name: string, run: () => Promise<void>];

async function runSteps(ctx: DeployContext, steps: readonly Step[]): Promise<void> {
  for (const [i, [name, run]] of steps.entries()) {
    ctx.log(`[${i + 1}/${steps.length}] ${name}`);
    await run();
  }
}

/** Builds what `wrangler deploy` would upload, offline, and prints its size against each plan. */
export async function dryRun(ctx: DeployContext): Promise<BundleSize> {
  let size: BundleSize | undefined;
  await runSteps(ctx, [
    ['build the page (if not built)', () => buildPage(ctx, false)],
    ['build the worker (wrangler deploy --dry-run) and measure it', async () => {
      size = await checkSize(ctx);
    }],
  ]);
  ctx.log('dry run: nothing was uploaded');
  return size!;
}

async function checkSize(ctx: DeployContext): Promise<BundleSize> {
  const size = await buildBundle(ctx);
  for (const line of bundleReport(size)) ctx.log(`  ${line}`);
  const problem = sizeProblem(size);
  if (problem) throw new Error(problem);
  return size;
}

/** The whole deploy; returns the worker's URL when wrangler printed one. */
export async function deployWorker(ctx: DeployContext, options: DeployOptions): Promise<string | undefined> {
  let apiKeys: string | undefined;
  let url: string | undefined;
  await runSteps(ctx, [
    ['build the page and the worker, check its size', async () => {
      await buildPage(ctx, true);
      await checkSize(ctx);
    }],
    ['check the Cloudflare login', async () => ctx.log(`  account: ${await checkLogin(ctx)}`)],
    ['check the API_KEYS secret', async () => {
      apiKeys = await apiKeysSecret(ctx, options.open);
    }],
    [`check the R2 bucket ${ctx.bucket}`, () => ensureBucket(ctx)],
    ['upload the models under models/ (each file verified, manifest last)', () => uploadModels(ctx, options.reupload)],
    ['deploy the worker (wrangler deploy)', async () => {
      url = await publishWorker(ctx, apiKeys);
    }],
  ]);
  for (const line of tryIt(ctx, url, options.open)) ctx.log(line);
  return url;
}

function tryIt(ctx: DeployContext, url: string | undefined, open: boolean): string[] {
  if (!url) return ['deployed: wrangler printed no address; the worker answers on the routes of wrangler.toml'];
  // The sample sentence is English: a pair from English if the models have one.
  const pairs = modelFolders(join(ctx.root, 'models')).map((dir) => readManifest(dir));
  const { source, target } = pairs.find((m) => m.source === 'en') ?? pairs[0] ?? { source: 'en', target: 'es' };
  const auth = open ? '' : ` -H 'authorization: Bearer <one of API_KEYS>'`;
  return [
    `deployed: ${url}`,
    'try it:',
    `  curl -s ${url}/health`,
    `  curl -s ${url}/v1/translate${auth} -H 'content-type: application/json' \\`,
    `    -d '{"text": "Open the file menu.", "source": "${source}", "target": "${target}"}'`,
  ];
}
