// A model folder in the bucket whose manifest.json is missing, truncated or invalid. It cannot be
// loaded (nothing would verify its files), but it is still listed, so that requests for its language
// pair get an honest 503 naming it and why, and /health reports it, instead of a silent 404.

export interface BrokenModel {
  readonly id: string;
  /** What is wrong and how to fix it. */
  readonly reason: string;
  /** The pair it was uploaded for, when config.json or the folder name tells (see `guessPair`). */
  readonly pair?: { readonly source: string; readonly target: string } | undefined;
}

const LANGUAGE = '[a-z]{2,3}';
const LEADING_PAIR = new RegExp(`^(${LANGUAGE})-(${LANGUAGE})(?:-|$)`); // en-es-tiny (our exports)
const TRAILING_PAIR = new RegExp(`(?:^|-)(${LANGUAGE})-(${LANGUAGE})$`); // opus-mt-en-es (OPUS-MT's)

/**
 * The pair of a folder without a readable manifest. config.json's `translator.source/target` is written
 * by the exporter with the model, so it says what the manifest would have said; it is unverified (no
 * manifest to check it against) but the pair only decides which requests get the 503, never what is
 * served. The folder name is a naming convention, not a contract: used only when config.json cannot tell.
 */
export function guessPair(id: string, configText: string | undefined): BrokenModel['pair'] {
  const fromConfig = translatorPair(configText);
  if (fromConfig) return fromConfig;
  const match = LEADING_PAIR.exec(id) ?? TRAILING_PAIR.exec(id);
  return match ? { source: match[1]!, target: match[2]! } : undefined;
}

function translatorPair(configText: string | undefined): BrokenModel['pair'] {
  if (configText === undefined) return undefined;
  try {
    const translator = (JSON.parse(configText) as { translator?: { source?: unknown; target?: unknown } } | null)?.translator;
    const { source, target } = translator ?? {};
    return typeof source === 'string' && source !== '' && typeof target === 'string' && target !== '' ? { source, target } : undefined;
  } catch {
    return undefined;
  }
}
