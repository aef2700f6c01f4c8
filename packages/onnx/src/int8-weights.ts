// Symmetric int8 quantization of weight matrices: W ≈ scale · q, q ∈ [-127, 127], zero point 0.
// One scale per output column (per channel) keeps rows of very different norm (the tied embedding)
// accurate; symmetric lets one zero point serve every column once stored unsigned (quantize.ts).

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

export function floatsOf(raw: Uint8Array): Float32Array {
  // copy: raw_data may be unaligned for a Float32Array view
  return new Float32Array(raw.slice().buffer);
}
