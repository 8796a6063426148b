/** btl's public library API. The CLI (src/cli) is a thin shell over these. */
export * from './errors';
export * from './labels';
export * from './records';
export * from './split';
export * from './audit';
