/** A mistake on the command line; printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input the command cannot use (an unreadable file, an over-long line); exit status 1. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
