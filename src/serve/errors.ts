/**
 * The error codes the HTTP API answers with. Every error body is
 * `{"error": {"code": "E_…", "message": "…", "status": 400}}`; the code is stable, the message is
 * for people. Each code is documented in src/serve/README.md (a test checks).
 */
export const API_ERRORS = {
  E_BAD_JSON: { status: 400, when: 'the body is not valid JSON' },
  E_INVALID: { status: 400, when: "the body does not match the route's JSON schema (missing or extra field, wrong type)" },
  E_UNKNOWN_ATTRIBUTE: { status: 400, when: 'requestedAttributes names an attribute btl does not score' },
  E_UNSUPPORTED: { status: 400, when: 'a Perspective option btl does not support (a scoreType other than PROBABILITY, a language other than en)' },
  E_EMPTY: { status: 400, when: 'an empty comment or page where text is needed' },
  E_TEXT_TOO_LONG: { status: 400, when: 'a comment longer than --max-text-length characters' },
  E_BATCH_TOO_LARGE: { status: 400, when: 'more than --max-batch texts in one request (for /v1/split: comments on the page)' },
  E_PAGE: { status: 400, when: 'a page that cannot be split (binary, undecodable)' },
  E_BODY_TOO_LARGE: { status: 413, when: 'a body over --body-limit bytes (--page-limit for /v1/split)' },
  E_MEDIA_TYPE: { status: 415, when: 'a Content-Type the route does not take' },
  E_NOT_FOUND: { status: 404, when: 'no such route (or the wrong method)' },
  E_INTERNAL: { status: 500, when: 'a bug in btl; logged with the request id, the process keeps serving' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = API_ERRORS[code].status;
  }
}

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; status: number };
}

export function errorBody(e: ApiError): ErrorBody {
  return { error: { code: e.code, message: e.message, status: e.status } };
}
