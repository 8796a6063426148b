/** Scoring files and auditing comment dumps into a report. */
export * from './reasons';
export * from './thresholds';
export * from './score-file';
