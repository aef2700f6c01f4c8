// Symmetric int8 quantization of weight matrices: W ≈ scale · q, q ∈ [-127, 127], zero point 0.
// One scale per output column (per channel) keeps rows of very different norm (the tied embedding)
// accurate; symmetric keeps the integer matmul free of a weight zero-point correction.

/** W^T [K, N] -> q [K, N] and one scale per column n. */
export function quantizePerColumn(w: Float32Array, k: number, n: number): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(n);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < n; c++) scales[c] = Math.max(scales[c] as number, Math.abs(w[r * n + c] as number));
  }
  for (let c = 0; c < n; c++) scales[c] = (scales[c] as number) > 0 ? (scales[c] as number) / 127 : 1;
  const q = new Int8Array(k * n);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < n; c++) q[r * n + c] = Math.round((w[r * n + c] as number) / (scales[c] as number));
  }
  return { q, scales };
}

/**
 * W^T [K, N] -> com.microsoft MatMulNBits' 8-bit layout: for each output column n, K split into blocks
 * of `blockSize`, each with its own scale; stored unsigned with the default zero point 128.
 * q [N, K / blockSize, blockSize] uint8, scales [N * K / blockSize].
 */
export function quantizeBlocks(w: Float32Array, k: number, n: number, blockSize: number): { q: Uint8Array; scales: Float32Array } {
  if (k % blockSize !== 0) throw new Error(`MatMulNBits needs K (${k}) to be a multiple of the block size ${blockSize}`);
  const blocks = k / blockSize;
  const q = new Uint8Array(n * k);
  const scales = new Float32Array(n * blocks);
  for (let c = 0; c < n; c++) {
    for (let b = 0; b < blocks; b++) {
      let max = 0;
      for (let i = 0; i < blockSize; i++) max = Math.max(max, Math.abs(w[(b * blockSize + i) * n + c] as number));
      const scale = max > 0 ? max / 127 : 1;
      scales[c * blocks + b] = scale;
      for (let i = 0; i < blockSize; i++) {
        q[(c * blocks + b) * blockSize + i] = 128 + Math.round((w[(b * blockSize + i) * n + c] as number) / scale);
      }
    }
  }
  return { q, scales };
}

export function floatsOf(raw: Uint8Array): Float32Array {
  // copy: raw_data may be unaligned for a Float32Array view
  return new Float32Array(raw.slice().buffer);
}
