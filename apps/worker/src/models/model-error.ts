/**
 * A model that cannot be served right now: missing files, a size or sha256 mismatch, an unparsable
 * manifest, config or tokenizer, or a session that onnxruntime refuses. Answered as 503
 * `model_unavailable`; nothing of the model stays loaded, and the next request tries the load again.
 */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';

  constructor(
    readonly modelId: string,
    readonly reason: string,
  ) {
    super(`model "${modelId}" is unavailable: ${reason}`);
  }
}

/** What fixes a folder whose files do not match (or lack) its manifest.json. */
export const REUPLOAD = 'upload the model folder again (`npm run upload -- <folder>`)';
