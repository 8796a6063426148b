export * from './types';
export { toJson } from './json';
export { loadModel, ModelScorer } from './scorer';
export { explain } from './explain';
