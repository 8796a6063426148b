/**
 * The one place that chooses the TensorFlow.js backend:
 * 1. `@tensorflow/tfjs-node` when a user has installed it (an optional peer dependency: native);
 * 2. else pure `@tensorflow/tfjs` on the WebAssembly backend (SIMD; about 10x the cpu backend on
 *    these machines, ../shared/notes/tfjs-on-node.md), with btl's own sparse kernels;
 * 3. else the cpu backend, with the same kernels. `BTL_TF_BACKEND=cpu|wasm` forces a choice.
 * Nothing else in btl imports tfjs.
 */
import type * as TF from '@tensorflow/tfjs';
import { registerSparseGradients, registerSparseKernels, registerWasmKernels } from './kernels';

export type Tf = typeof TF;

export interface LoadedTf {
  tf: Tf;
  backend: string;
}

let loading: Promise<LoadedTf> | null = null;

export function loadTf(): Promise<LoadedTf> {
  loading ??= load();
  return loading;
}

async function load(): Promise<LoadedTf> {
  const wanted = process.env.BTL_TF_BACKEND;
  let tf: Tf | null = null;
  if (!wanted || wanted === 'tensorflow') {
    try {
      tf = require('@tensorflow/tfjs-node') as Tf;
    } catch {
      tf = null;
    }
  }
  if (tf) {
    tf.enableProdMode();
    return { tf, backend: tf.getBackend() };
  }
  tf = require('@tensorflow/tfjs') as Tf;
  tf.enableProdMode();
  registerSparseKernels(tf);
  registerSparseGradients(tf);
  if (wanted !== 'cpu') {
    try {
      require('@tensorflow/tfjs-backend-wasm');
      registerWasmKernels(tf);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { tf, backend: 'wasm' };
      }
    } catch {
      // fall through to cpu
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu' };
}
