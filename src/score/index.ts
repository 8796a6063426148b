export * from './types';
export { loadModel, ModelScorer } from './scorer';
export { explain } from './explain';
