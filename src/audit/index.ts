/** Scoring files and auditing comment dumps into a report. */
export * from './reasons';
export * from './thresholds';
export * from './score-file';
export * from './types';
export { audit } from './audit';
export { Aggregator, type Summary, type CommentRow, type GroupStats, type Histogram } from './aggregate';
export { ScorePool, WORKER_FILE } from './pool';
export { inputItems, listEntries, listFiles } from './inputs';
export { renderReport } from './report';
export { COMMENTS_FILE, SUMMARY_FILE, REPORT_FILE, CHECKPOINT_FILE, commentColumns } from './output';
