/**
 * The API's errors, from the one status catalogue (`sim/kernel/status.ts`): every error the API answers
 * has a stable code, an HTTP status and a message template there; bodies are `{ code, message, field? }`
 * plus numbers where they help (a balance shortfall). Clients and k6 checks match on `code`, never on
 * the message.
 */
import {
  ERROR_CODES,
  type ErrorCode,
  type Refusal,
  STATUSES,
  type Status,
  statusOfCode,
} from '../../sim/kernel/status.ts';

export { ERROR_CODES, type ErrorCode };

/** HTTP status and default message of every error code. */
export const ERRORS = Object.fromEntries(
  ERROR_CODES.map((code) => {
    const spec = STATUSES[statusOfCode(code) as Status];
    return [code, { status: spec.http, message: spec.message }];
  }),
) as Record<ErrorCode, { status: number; message: string }>;

export type ErrorBody = Refusal;

/** Extra numbers an error may carry. */
export type ErrorDetails = Pick<Refusal, 'balance' | 'required' | 'shortfall' | 'minimum'>;

/** An error the API answers on purpose; anything else is a 500. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody;

  constructor(code: ErrorCode, message?: string, field?: string, details: ErrorDetails = {}) {
    const spec = ERRORS[code];
    super(message ?? spec.message);
    this.status = spec.status;
    this.body = { code, message: this.message, ...(field === undefined ? {} : { field }), ...details };
  }

  /** The error a kernel refusal makes. */
  static of(refusal: Refusal): ApiError {
    const { code, message, field, ...details } = refusal;
    return new ApiError(code, message, field, details);
  }
}
