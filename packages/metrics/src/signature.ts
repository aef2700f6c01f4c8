import type { RefCount } from './references.ts';

/**
 * The sacreBLEU release whose algorithms and outputs this package reproduces (the test vectors are
 * checked against it). It goes into the signatures so that reported scores say what they compare with.
 */
export const SACREBLEU_VERSION = '2.6.0';

/**
 * sacreBLEU's `Score.format` prefix plus `Signature.format()`: the metric name, `nrefs`, the
 * metric's own fields in sacreBLEU's order, and `version` last, e.g.
 * `BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`.
 */
export function formatSignature(name: string, nrefs: RefCount, fields: readonly (readonly [string, string | number])[]): string {
  const pairs = [`nrefs:${nrefs}`, ...fields.map(([key, value]) => `${key}:${value}`), `version:${SACREBLEU_VERSION}`];
  return [name, ...pairs].join('|');
}
