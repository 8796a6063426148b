/** Moderator review: a local page over an audit's comments, a durable decision log, label export. */
export * from './types';
export { loadAudit, readThresholds, commentId, type LoadedAudit } from './comments';
export { DecisionLog, decisionsPath, DECISIONS_FILE, REVIEW_FOLDER } from './log';
export { ReviewQueue } from './queue';
export { reviewStats, type ReviewStats, type LabelErrors } from './stats';
export { exportDecisions, decisionsCsv, exportColumns } from './export';
export { renderPage, scriptJson, type PageData } from './page';
export { startReview, DEFAULT_PORT as REVIEW_DEFAULT_PORT, DEFAULT_HOST as REVIEW_DEFAULT_HOST, type ReviewOptions, type ReviewServer } from './server';
