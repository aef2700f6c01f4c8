// A wait that ends in a task of the caller's own request: a timer. In workerd a request must be resumed
// by an event of its own, never by a promise another request settles (its next I/O would fail with
// "Cannot perform I/O on behalf of a different request").

/** Resolves in a later task of the event loop (after `ms`), once the I/O already queued went out. */
export function nextTask(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
