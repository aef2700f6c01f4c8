// Validation on the dev set: teacher-forced loss over every dev pair, then BLEU and chrF (sacreBLEU
// defaults, @attend/metrics) of greedy translations of the first `devSentences` sources.
import { torch } from '@attend/torch';
import { labelSmoothedLoss, type Transformer } from '@attend/model';
import { scoreCorpus } from '@attend/metrics';
import type { Tokenizer } from '@attend/tokenizer';
import { SkipCounts, readCorpus, type CorpusSpec } from './parallel-corpus.ts';
import { targetTokens, toBatch } from './batch-tensors.ts';
import { greedyDecode } from './greedy-decode.ts';
import { cutBatches, type Example } from './token-batches.ts';

export interface DevSet {
  readonly examples: readonly Example[]; // every usable dev pair, encoded (loss)
  readonly sources: readonly (readonly number[])[]; // the first devSentences sources (BLEU, chrF)
  readonly references: readonly string[]; // their reference translations, as written
  readonly skipped: number;
}

export interface Validation {
  readonly loss: number; // label-smoothed, per target token: comparable with the training loss
  readonly nll: number; // plain cross-entropy per target token
  readonly ppl: number; // exp(nll)
  readonly bleu: number;
  readonly chrf: number;
  readonly sentences: number;
  readonly seconds: number;
}

export async function readDevSet(spec: CorpusSpec, tokenizer: Tokenizer, devSentences: number, maxPositions: number): Promise<DevSet> {
  const skips = new SkipCounts();
  const examples: Example[] = [];
  const sources: number[][] = [];
  const references: string[] = [];
  for await (const { pair } of readCorpus(spec, skips)) {
    const source = tokenizer.encode(pair.source).slice(0, maxPositions);
    // The loss needs target positions inside the sinusoid table; longer references still score BLEU.
    examples.push({ source, target: tokenizer.encode(pair.target).slice(0, maxPositions) });
    if (sources.length < devSentences) {
      sources.push(source);
      references.push(pair.target);
    }
  }
  if (examples.length === 0) throw new Error(`dev set ${spec.path} has no usable sentence pairs (${skips.summary()})`);
  return { examples, sources, references, skipped: skips.total };
}

export function validate(model: Transformer, dev: DevSet, tokenizer: Tokenizer, options: { smoothing: number; maxTokens: number }): Validation {
  const started = performance.now();
  const wasTraining = model.training;
  model.train(false);
  let smoothedSum = 0;
  let nllSum = 0;
  let tokens = 0;
  try {
    for (const examples of cutBatches(dev.examples, options.maxTokens)) {
      const n = targetTokens(examples);
      const [smoothed, nll] = torch.noGrad(() =>
        torch.tidy(() => {
          const batch = toBatch(examples, model.config);
          const logits = model.forward(batch.srcIds, batch.tgtInIds); // [B, T, V]
          const padId = model.config.padId;
          return [labelSmoothedLoss(logits, batch.tgtOutIds, { smoothing: options.smoothing, padId }).item(), labelSmoothedLoss(logits, batch.tgtOutIds, { smoothing: 0, padId }).item()];
        }),
      );
      smoothedSum += (smoothed as number) * n;
      nllSum += (nll as number) * n;
      tokens += n;
    }
  } finally {
    model.train(wasTraining);
  }
  const hypotheses = greedyDecode(model, dev.sources).map((ids) => tokenizer.decode(ids));
  const scores = scoreCorpus(hypotheses, dev.references);
  const nll = nllSum / tokens;
  return {
    loss: smoothedSum / tokens,
    nll,
    ppl: Math.exp(nll),
    bleu: scores.bleu.score,
    chrf: scores.chrf,
    sentences: hypotheses.length,
    seconds: (performance.now() - started) / 1000,
  };
}
