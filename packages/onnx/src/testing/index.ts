// Test fixtures for packages that need a real exported model without training one (`@attend/onnx/testing`).
export { randomWeights, seededRandom } from './random-weights.ts';
