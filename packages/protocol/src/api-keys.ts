// The rule for the API_KEYS secret, shared by the worker (which answers 500 configuration_error to every
// authenticated request while it is broken) and `npm start` (which refuses to start with it).

/** 16 characters of `openssl rand -hex` are 64 random bits; `-hex 24` (48 characters) gives 192. */
export const MIN_API_KEY_LENGTH = 16;

/** The comma-separated keys of the API_KEYS secret; none means open access. */
export function configuredApiKeys(secret: string | undefined): string[] {
  return (secret ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
}

/** What is wrong with the keys, never naming one; undefined when they are fine. */
export function apiKeysProblem(keys: readonly string[]): string | undefined {
  const short = keys.filter((k) => k.length < MIN_API_KEY_LENGTH).length;
  if (short === 0) return undefined;
  return (
    `API_KEYS holds ${short === 1 ? 'a key' : `${short} keys`} shorter than ${MIN_API_KEY_LENGTH} characters: set keys of at least ` +
    `${MIN_API_KEY_LENGTH} characters, comma-separated, each made with \`openssl rand -hex 24\` (in production: \`wrangler secret put API_KEYS\`)`
  );
}
