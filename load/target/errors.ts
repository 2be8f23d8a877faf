/**
 * The error catalogue: every error the API answers has a stable code, an HTTP status and a message
 * template; bodies are `{ code, message, field? }` plus numbers where they help (a balance shortfall).
 * Clients and k6 checks match on `code`, never on the message.
 */
import { STATUS_CODES, Status } from '../../sim/ledger/status.ts';

export interface ErrorSpec {
  status: number;
  /** Used when the thrower gives no message of its own. */
  message: string;
}

export const ERRORS = {
  GIFT_ERR_VALIDATION: { status: 400, message: 'the request does not match the schema' },
  GIFT_ERR_MALFORMED_JSON: { status: 400, message: 'the body is not valid JSON' },
  GIFT_ERR_UNKNOWN_CHANNEL: { status: 400, message: 'no such channel in this economy' },
  GIFT_ERR_UNKNOWN_PACK: { status: 400, message: 'no such pack on this channel' },
  GIFT_ERR_UNKNOWN_GIFT: { status: 400, message: 'no such gift in this economy' },
  GIFT_ERR_UNAUTHENTICATED: { status: 401, message: 'send Authorization: Bearer <token>' },
  GIFT_ERR_BAD_TOKEN: { status: 401, message: 'the bearer token is not one this server signed' },
  GIFT_ERR_FORBIDDEN: { status: 403, message: 'this token may not act for that account' },
  GIFT_ERR_NOT_FOUND: { status: 404, message: 'no such route' },
  GIFT_ERR_UNKNOWN_CREATOR: { status: 404, message: 'no such creator' },
  GIFT_ERR_UNKNOWN_VIEWER: { status: 404, message: 'no such viewer' },
  GIFT_ERR_UNKNOWN_PURCHASE: { status: 404, message: 'no purchase with that operation id' },
  GIFT_ERR_INSUFFICIENT_COINS: { status: 409, message: 'not enough coins' },
  GIFT_ERR_INSUFFICIENT_DIAMONDS: { status: 409, message: 'not enough diamonds' },
  GIFT_ERR_ALREADY_REFUNDED: { status: 409, message: 'that purchase was refunded already' },
  GIFT_ERR_BODY_TOO_LARGE: { status: 413, message: 'the body is larger than the server accepts' },
  GIFT_ERR_HEADERS_TOO_LARGE: {
    status: 431,
    message: 'the request headers are larger than the server accepts',
  },
  GIFT_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send Content-Type: application/json' },
  GIFT_ERR_IDEMPOTENCY_CONFLICT: {
    status: 422,
    message: 'this Idempotency-Key was used with a different request',
  },
  GIFT_ERR_BELOW_MINIMUM: { status: 422, message: 'the withdrawal is below the minimum' },
  GIFT_ERR_BAD_REQUEST: { status: 400, message: 'the request could not be read' },
  GIFT_ERR_CLIENT_TIMEOUT: { status: 408, message: 'the request did not arrive in time' },
  GIFT_ERR_INTERNAL: { status: 500, message: 'internal error' },
  GIFT_ERR_TIMEOUT: { status: 503, message: 'the write did not finish in time; retry with the same key' },
  GIFT_ERR_SHUTTING_DOWN: { status: 503, message: 'the server is shutting down; retry elsewhere or later' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** Extra numbers an error may carry. */
export interface ErrorDetails {
  balance?: number;
  required?: number;
  shortfall?: number;
  minimum?: number;
}

export interface ErrorBody extends ErrorDetails {
  code: ErrorCode;
  message: string;
  field?: string;
}

/** An error the API answers on purpose; anything else is a 500. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody;

  constructor(code: ErrorCode, message?: string, field?: string, details: ErrorDetails = {}) {
    const spec: ErrorSpec = ERRORS[code];
    super(message ?? spec.message);
    this.status = spec.status;
    this.body = { code, message: this.message, ...(field === undefined ? {} : { field }), ...details };
  }
}

/** The catalogue code for a ledger status (the in-memory ledger and the API share these). */
export function codeOfStatus(status: Status): ErrorCode {
  const code = STATUS_CODES[status];
  if (status === Status.Ok || !(code in ERRORS)) return 'GIFT_ERR_INTERNAL';
  return code as ErrorCode;
}
