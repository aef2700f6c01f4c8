// How often a system stutters: the share of outputs in which some word n-gram occurs twice ("atacar a
// atacar a atacar"). Words are whitespace-separated and lower-cased, so "Sí, sí" is not a repeat but
// "de la casa de la casa" is. Compare against the same figure on the references: human text repeats a
// trigram now and then too.

/** Whether some n-gram of `words` occurs more than once. */
export function hasRepeatedNgram(text: string, n: number): boolean {
  const words = text.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  const seen = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n).join(' ');
    if (seen.has(gram)) return true;
    seen.add(gram);
  }
  return false;
}

/** Share in [0, 1] of `texts` with a repeated word n-gram (trigrams by default). */
export function repeatedNgramShare(texts: readonly string[], n = 3): number {
  if (texts.length === 0) return 0;
  return texts.filter((text) => hasRepeatedNgram(text, n)).length / texts.length;
}
