export { buildServer, type BuildOptions } from './server';
export { serve, type Serving } from './serve';
export { SERVE_DEFAULTS, type ServeOptions } from './options';
export { API_ERRORS, ApiError, type ApiErrorCode, type ErrorBody } from './errors';
export { ModelHolder, type LoadScorer, type ReloadResult } from './model-holder';
export { Metrics, LATENCY_BUCKETS } from './metrics';
export { sentences, type Range } from './sentences';
export type { CoralResponse, CoralReason } from './routes/coral';
