import type { LabelName } from '../labels';

/** Every `btl serve` option, with its default in SERVE_DEFAULTS. Flag names are these field names. */
export interface ServeOptions {
  /** Model folder (default: the shipped model). Set by the operator only, never by a request. */
  model?: string;
  port: number;
  host: string;
  /** Largest JSON request body, in bytes (413 E_BODY_TOO_LARGE above it). */
  bodyLimit: number;
  /** Largest page for POST /v1/split, in bytes. */
  pageLimit: number;
  /** Longest comment, in UTF-16 code units (Perspective's own limit is 20 KB). */
  maxTextLength: number;
  /** Most texts in one POST /v1/score. */
  maxBatch: number;
  /** Milliseconds a client has to send its whole request (node answers 408 after that). */
  requestTimeout: number;
  /** Coral: labels whose flag rejects the comment; every other flagged label holds it for a moderator. */
  coralReject: LabelName[];
  /** Coral: a label this close below its threshold holds the comment too ("near-threshold"). */
  coralHoldMargin: number;
  /** Log requests (pino, JSON lines on stderr, as server.ts sets up) when true; errors are always logged. */
  logRequests: boolean;
}

export const SERVE_DEFAULTS: ServeOptions = {
  port: 8080,
  host: '127.0.0.1',
  bodyLimit: 1024 * 1024,
  pageLimit: 10 * 1024 * 1024,
  maxTextLength: 20_000,
  maxBatch: 1000,
  requestTimeout: 10_000,
  coralReject: ['hostile'],
  coralHoldMargin: 0.1,
  logRequests: false,
};
