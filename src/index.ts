/** btl's public library API. The CLI (src/cli) is a thin shell over these. */
export * from './errors';
export * from './labels';
export * from './split';
export * from './text';
export * from './records';
export * from './model';
export * from './score';
export * from './review';
export * from './serve';
