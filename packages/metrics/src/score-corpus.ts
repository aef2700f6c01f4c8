import { corpusBleu, type BleuScore } from './bleu.ts';
import { corpusChrf } from './chrf.ts';
import type { References } from './references.ts';

export interface CorpusScores {
  /** Corpus BLEU with sacreBLEU's defaults, with its n-gram statistics. */
  readonly bleu: BleuScore;
  /** Corpus chrF2 with sacreBLEU's defaults, in [0, 100]. */
  readonly chrf: number;
  /** sacreBLEU-style signatures to print beside the numbers. */
  readonly signatures: { readonly bleu: string; readonly chrf: string };
}

/** BLEU and chrF exactly as `sacrebleu -m bleu chrf` reports them with default settings. */
export function scoreCorpus(hypotheses: readonly string[], references: References): CorpusScores {
  const { signature: bleuSignature, ...bleu } = corpusBleu(hypotheses, references);
  const chrf = corpusChrf(hypotheses, references);
  return { bleu, chrf: chrf.score, signatures: { bleu: bleuSignature, chrf: chrf.signature } };
}
