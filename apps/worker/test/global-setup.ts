/// <reference types="node" />
// Runs in Node before the workerd tests: exports a small random-weight model with the real exporter
// (packages/onnx) and tokenizer trainer (packages/tokenizer), and provides its folder to the tests,
// which seed the local R2 bucket from it. Random weights translate to garbage, but every mechanism
// (R2, sha256, int8 sessions, KV-cached decoding, detokenizing, SSE) is the real one.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { resolveConfig } from '@attend/model-spec';
import { exportModel } from '@attend/onnx';
import { randomWeights } from '@attend/onnx/testing';
import { trainBpe } from '@attend/tokenizer';
import type { TestProject } from 'vitest/node';
import { TEST_MODEL } from './test-model.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The exported test model: path inside the folder -> base64 bytes. */
    testModelFolder: Record<string, string>;
  }
}

// A few sentences of each side are enough to train a byte-fallback BPE vocabulary for the tests.
const CORPUS = [
  'Hello there. How are you today?',
  'The cat sleeps on the warm window sill.',
  'We will meet at the station tomorrow morning.',
  'I think he may try to take it for himself.',
  'Where is the library? It is near the old bridge.',
  'Hola. ¿Cómo estás hoy?',
  'El gato duerme en el alféizar cálido de la ventana.',
  'Nos veremos en la estación mañana por la mañana.',
  'Creo que puede tratar de tomarla para sí mismo.',
  '¿Dónde está la biblioteca? Está cerca del puente viejo.',
];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tokenizer = await trainBpe(CORPUS, { vocabSize: 400, minFrequency: 1 });
  // Tiny, and only 48 positions, so that long inputs exercise the worker's sentence splitting.
  const config = resolveConfig({ vocabSize: tokenizer.vocabSize, dModel: 32, heads: 4, dFF: 64, encoderLayers: 2, decoderLayers: 2, maxPositions: 48 });
  const root = await mkdtemp(join(tmpdir(), 'attend-worker-'));
  const outDir = join(root, TEST_MODEL.id);
  await exportModel({
    config,
    weights: randomWeights(config, 7),
    tokenizerJson: tokenizer.toJSON(),
    tokenizerConfig: tokenizer.tokenizerConfig(),
    outDir,
    ...TEST_MODEL,
    keepFp32: false,
  });
  const folder: Record<string, string> = {};
  for (const entry of await readdir(outDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    folder[relative(outDir, full).split('\\').join('/')] = (await readFile(full)).toString('base64');
  }
  project.provide('testModelFolder', folder);
  return () => rm(root, { recursive: true, force: true });
}

