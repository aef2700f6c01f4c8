// The training configuration: a YAML or JSON file, every key overridable on the command line
// (`--optim.lr 0.0007`); an unknown key at any depth is an error. Defaults follow the paper's recipe (Vaswani et al. 2017, §5). The resolved
// config is written next to the checkpoints and into the exported model.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const corpus = z.strictObject({
  path: z.string().min(1),
  targetPath: z.string().min(1).optional(), // Moses-style pair: path is the source side
  swap: z.boolean().default(false), // TSV laid out target<TAB>source
  weight: z.number().positive().default(1),
});

export const trainConfigSchema = z.strictObject({
  source: z.string().min(2), // language codes, e.g. en -> es
  target: z.string().min(2),
  corpora: z.array(corpus).min(1),
  dev: corpus.omit({ weight: true }).optional(),
  outDir: z.string().min(1),
  tokenizer: z
    .strictObject({
      path: z.string().optional(), // reuse this tokenizer.json instead of training one
      vocabSize: z.number().int().min(300).default(8000),
      trainLines: z.number().int().positive().default(2_000_000), // pairs read to learn the vocabulary
    })
    .prefault({}),
  model: z
    .strictObject({
      preset: z.enum(['tiny', 'base']).default('tiny'),
      dModel: z.number().int().positive().optional(),
      heads: z.number().int().positive().optional(),
      dFF: z.number().int().positive().optional(),
      encoderLayers: z.number().int().positive().optional(),
      decoderLayers: z.number().int().positive().optional(),
      dropout: z.number().min(0).max(0.9).optional(),
      attentionDropout: z.number().min(0).max(0.9).optional(),
      activation: z.enum(['relu', 'swish']).optional(),
      norm: z.enum(['post', 'pre']).optional(),
    })
    .prefault({}),
  batch: z
    .strictObject({
      maxTokens: z.number().int().positive().default(4096), // padded target+source tokens per step
      maxLength: z.number().int().positive().default(128), // longer pairs are dropped (counted)
      poolSize: z.number().int().positive().default(20_000), // pairs sorted together for bucketing
      accumulate: z.number().int().positive().default(1), // gradient accumulation steps per update
    })
    .prefault({}),
  optim: z
    .strictObject({
      lr: z.number().positive().default(7e-4), // peak learning rate after warmup
      warmup: z.number().int().nonnegative().default(4000), // paper §5.3
      betas: z.tuple([z.number(), z.number()]).default([0.9, 0.98]), // paper §5.3
      eps: z.number().positive().default(1e-9), // paper §5.3
      weightDecay: z.number().nonnegative().default(0),
      clip: z.number().nonnegative().default(1), // max global grad norm; 0 disables
      labelSmoothing: z.number().min(0).max(0.5).default(0.1), // paper §5.4
      // the last N updates up to run.maxSteps take the rate linearly down towards 0 (0: none); only a run
      // that reaches maxSteps cools down fully. A long run cools down in a copy of its folder, so that the
      // run itself can go on later at full rate (README "Train, export, evaluate, upload")
      cooldown: z.number().int().nonnegative().default(0),
    })
    .prefault({}),
  run: z
    .strictObject({
      maxSteps: z.number().int().positive().default(100_000),
      maxEpochs: z.number().int().positive().optional(),
      maxMinutes: z.number().positive().optional(), // wall-clock budget; saves before stopping
      validateEvery: z.number().int().positive().default(1000),
      saveEvery: z.number().int().positive().default(500),
      keepLast: z.number().int().positive().default(3),
      bestMetric: z.enum(['loss', 'bleu', 'chrf']).default('chrf'),
      patience: z.number().int().nonnegative().default(10), // validations without improvement; 0 = off
      average: z.number().int().nonnegative().default(0), // average the last N checkpoints at the end
      devSentences: z.number().int().positive().default(500), // decoded for BLEU/chrF at validation
      seed: z.number().int().default(1),
      threads: z.number().int().positive().default(1),
      quiet: z.boolean().default(false),
    })
    .prefault({}),
});

export type TrainConfig = z.infer<typeof trainConfigSchema>;

/** Reads a YAML or JSON config file (YAML is a superset of JSON). */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  const value: unknown = parseYaml(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`config file ${path} must hold a mapping of keys`);
  return value as Record<string, unknown>;
}

/** Applies `--a.b.c value` / `--a.b.c=value` overrides; values are read as YAML scalars (numbers, booleans, lists). */
export function applyOverrides(base: Record<string, unknown>, args: readonly string[]): Record<string, unknown> {
  const out = structuredClone(base);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}": options look like --optim.lr 0.001`);
    const eq = arg.indexOf('=');
    const key = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    let raw: string;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) raw = args[++i]!;
    else raw = 'true';
    setPath(out, key.split('.'), parseYaml(raw));
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const child = node[part];
    if (child === undefined) node[part] = {};
    else if (typeof child !== 'object' || child === null || Array.isArray(child)) throw new Error(`cannot set ${path.join('.')}: ${part} is not a section`);
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Validates and fills defaults; errors name every wrong key. */
export function resolveTrainConfig(raw: Record<string, unknown>): TrainConfig {
  const result = trainConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `  ${[...issue.path, key].join('.')}: unknown key`)
        : [`  ${issue.path.join('.') || '(root)'}: ${issue.message}`],
    );
    throw new Error(`invalid training config:\n${lines.join('\n')}`);
  }
  const { optim, run } = result.data;
  if (optim.cooldown > run.maxSteps) throw new Error(`invalid training config:\n  optim.cooldown: ${optim.cooldown} updates is more than run.maxSteps (${run.maxSteps})`);
  return result.data;
}
