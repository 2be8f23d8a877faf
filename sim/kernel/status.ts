/**
 * The one status catalogue: every outcome an operation or a request to the reference API can have, as
 * a number (what the hot loop returns), a stable code (what clients and k6 checks match on, never the
 * message), an HTTP status and a message — a default, and a template filled with the refusal's facts.
 * The in-memory ledger returns the numbers; the reference API answers the codes; the replay compares
 * them. `recorded` says whether a store keeps the outcome under the idempotency key (it was decided
 * after the key was looked up, so a re-send must get it again).
 */

/** Numbers are positions in this list; nothing stores them (logs and answers carry the code). */
export enum Status {
  Ok,
  InsufficientCoins,
  InsufficientDiamonds,
  BelowMinimum,
  UnknownChannel,
  UnknownPack,
  UnknownGift,
  BadAmount,
  IdempotencyConflict,
  UnknownPurchase,
  AlreadyRefunded,
  UnknownCreator,
  // The API's own: the request was refused before it became an operation.
  UnknownViewer,
  Validation,
  MalformedJson,
  BadRequest,
  Unauthenticated,
  BadToken,
  Forbidden,
  NotFound,
  MethodNotAllowed,
  BodyTooLarge,
  HeadersTooLarge,
  ClientTimeout,
  UnsupportedMediaType,
  Internal,
  Timeout,
  ShuttingDown,
  NotDurable,
}

/** What a refusal's message may name; each template uses the facts its operation knows. */
export interface Facts {
  /** The request field (or header) at fault. */
  field?: string;
  /** An account short of coins or diamonds, what it holds, and what the operation needs. */
  account?: string;
  balance?: number;
  required?: number;
  /** A withdrawal: the diamonds asked for, those a whole number of cents takes, and the minimum. */
  requested?: number;
  taken?: number;
  minimum?: number;
  /** An unknown id, the ids there are, and where it was looked for. */
  found?: string;
  known?: readonly string[];
  where?: string;
  /** An idempotency key or an operation id. */
  key?: string;
}

interface StatusSpec {
  code: string;
  http: number;
  message: string;
  recorded: boolean;
  template?: (f: Facts) => string;
}

const short = (what: string) => (f: Facts) =>
  `${f.account} has ${f.balance} ${what}; this needs ${f.required} (short by ${(f.required ?? 0) - (f.balance ?? 0)})`;
const diamonds = (n: number | undefined) => `${n} diamond${n === 1 ? '' : 's'}`;
const unknownId = (f: Facts) =>
  `no ${f.field} ${JSON.stringify(f.found)}${f.where ?? ''}; expected one of ${f.known?.join(', ')}`;

export const STATUSES = {
  [Status.Ok]: { code: 'OK', http: 201, message: 'applied', recorded: true },
  [Status.InsufficientCoins]: {
    code: 'GIFT_ERR_INSUFFICIENT_COINS',
    http: 409,
    message: 'not enough coins',
    recorded: true,
    template: short('coins'),
  },
  [Status.InsufficientDiamonds]: {
    code: 'GIFT_ERR_INSUFFICIENT_DIAMONDS',
    http: 409,
    message: 'not enough diamonds',
    recorded: true,
    template: short('diamonds'),
  },
  [Status.BelowMinimum]: {
    code: 'GIFT_ERR_BELOW_MINIMUM',
    http: 422,
    message: 'the withdrawal is below the minimum',
    recorded: true,
    // A request is taken in whole-cent steps: say so when that is what put it under the minimum.
    template: (f) =>
      f.taken === f.requested
        ? `a withdrawal of ${diamonds(f.requested)}; the minimum is ${diamonds(f.minimum)}`
        : `a withdrawal of ${diamonds(f.requested)} is taken as ${diamonds(f.taken)} (whole cents only); the minimum is ${diamonds(f.minimum)}`,
  },
  [Status.UnknownChannel]: {
    code: 'GIFT_ERR_UNKNOWN_CHANNEL',
    http: 400,
    message: 'no such channel in this economy',
    recorded: false,
    template: unknownId,
  },
  [Status.UnknownPack]: {
    code: 'GIFT_ERR_UNKNOWN_PACK',
    http: 400,
    message: 'no such pack on this channel',
    recorded: false,
    template: unknownId,
  },
  [Status.UnknownGift]: {
    code: 'GIFT_ERR_UNKNOWN_GIFT',
    http: 400,
    message: 'no such gift in this economy',
    recorded: false,
    template: unknownId,
  },
  [Status.BadAmount]: {
    code: 'GIFT_ERR_BAD_AMOUNT',
    http: 400,
    message: 'an id, count or amount is out of range',
    recorded: false,
  },
  [Status.IdempotencyConflict]: {
    code: 'GIFT_ERR_IDEMPOTENCY_CONFLICT',
    http: 422,
    message: 'this Idempotency-Key was used with a different request',
    recorded: false,
    template: (f) =>
      `Idempotency-Key ${JSON.stringify(f.key)} was first used with a different request; use a new key for a new request`,
  },
  [Status.UnknownPurchase]: {
    code: 'GIFT_ERR_UNKNOWN_PURCHASE',
    http: 404,
    message: 'no purchase with that operation id',
    recorded: false,
    template: (f) => `no purchase ${JSON.stringify(f.key)}`,
  },
  [Status.AlreadyRefunded]: {
    code: 'GIFT_ERR_ALREADY_REFUNDED',
    http: 409,
    message: 'that purchase was refunded already',
    recorded: true,
    template: (f) => `${f.key} was refunded already`,
  },
  [Status.UnknownCreator]: {
    code: 'GIFT_ERR_UNKNOWN_CREATOR',
    http: 404,
    message: 'no such creator',
    recorded: false,
    template: (f) => `no creator ${f.found}`,
  },
  [Status.UnknownViewer]: {
    code: 'GIFT_ERR_UNKNOWN_VIEWER',
    http: 404,
    message: 'no such viewer',
    recorded: false,
    template: (f) => `no viewer ${f.found}`,
  },
  [Status.Validation]: {
    code: 'GIFT_ERR_VALIDATION',
    http: 400,
    message: 'the request does not match the schema',
    recorded: false,
  },
  [Status.MalformedJson]: {
    code: 'GIFT_ERR_MALFORMED_JSON',
    http: 400,
    message: 'the body is not valid JSON, or an object in it repeats a key',
    recorded: false,
  },
  [Status.BadRequest]: {
    code: 'GIFT_ERR_BAD_REQUEST',
    http: 400,
    message: 'the request could not be read',
    recorded: false,
  },
  [Status.Unauthenticated]: {
    code: 'GIFT_ERR_UNAUTHENTICATED',
    http: 401,
    message: 'send Authorization: Bearer <token>',
    recorded: false,
  },
  [Status.BadToken]: {
    code: 'GIFT_ERR_BAD_TOKEN',
    http: 401,
    message: 'the bearer token is not one this server signed',
    recorded: false,
  },
  [Status.Forbidden]: {
    code: 'GIFT_ERR_FORBIDDEN',
    http: 403,
    message: 'this token may not act for that account',
    recorded: false,
  },
  [Status.NotFound]: { code: 'GIFT_ERR_NOT_FOUND', http: 404, message: 'no such route', recorded: false },
  [Status.MethodNotAllowed]: {
    code: 'GIFT_ERR_METHOD_NOT_ALLOWED',
    http: 405,
    message: 'this path takes other methods; the Allow header lists them',
    recorded: false,
  },
  [Status.BodyTooLarge]: {
    code: 'GIFT_ERR_BODY_TOO_LARGE',
    http: 413,
    message: 'the body is larger than the server accepts',
    recorded: false,
  },
  [Status.HeadersTooLarge]: {
    code: 'GIFT_ERR_HEADERS_TOO_LARGE',
    http: 431,
    message: 'the request headers are larger than the server accepts',
    recorded: false,
  },
  [Status.ClientTimeout]: {
    code: 'GIFT_ERR_CLIENT_TIMEOUT',
    http: 408,
    message: 'the request did not arrive in time',
    recorded: false,
  },
  [Status.UnsupportedMediaType]: {
    code: 'GIFT_ERR_UNSUPPORTED_MEDIA_TYPE',
    http: 415,
    message: 'send Content-Type: application/json',
    recorded: false,
  },
  [Status.Internal]: { code: 'GIFT_ERR_INTERNAL', http: 500, message: 'internal error', recorded: false },
  [Status.Timeout]: {
    code: 'GIFT_ERR_TIMEOUT',
    http: 503,
    message: 'the write did not finish in time; retry with the same key',
    recorded: false,
  },
  [Status.ShuttingDown]: {
    code: 'GIFT_ERR_SHUTTING_DOWN',
    http: 503,
    message: 'the server is shutting down; retry elsewhere or later',
    recorded: false,
  },
  [Status.NotDurable]: {
    code: 'GIFT_ERR_NOT_DURABLE',
    http: 500,
    message:
      'the write could not be made durable (the WAL sync failed); it may still be in the journal, and this server takes no more writes',
    recorded: false,
  },
} as const satisfies Record<Status, StatusSpec>;

export type StatusCode = (typeof STATUSES)[Status]['code'];
/** Every code but `OK`: what an error body may carry. */
export type ErrorCode = Exclude<StatusCode, 'OK'>;

const ALL: readonly Status[] = Object.keys(STATUSES).map(Number);

/** Every error code, in the catalogue's order. */
export const ERROR_CODES: readonly ErrorCode[] = ALL.filter((s) => s !== Status.Ok).map(
  (s) => STATUSES[s].code as ErrorCode,
);

/** Refusals a sound store keeps under the idempotency key, as it keeps an applied operation. */
export const RECORDED_REFUSALS: readonly ErrorCode[] = ALL.filter(
  (s) => s !== Status.Ok && STATUSES[s].recorded,
).map((s) => STATUSES[s].code as ErrorCode);

const BY_CODE = new Map<string, Status>(ALL.map((s) => [STATUSES[s].code, s]));

/** The status of a code, or undefined for a code this catalogue does not have. */
export function statusOfCode(code: string): Status | undefined {
  return BY_CODE.get(code);
}

export function codeOf(status: Status): StatusCode {
  return STATUSES[status].code;
}

/** A refusal as the API's body carries it: the code, the message, the field and the numbers that help. */
export interface Refusal {
  code: ErrorCode;
  message: string;
  field?: string;
  balance?: number;
  required?: number;
  shortfall?: number;
  minimum?: number;
}

/** The refusal `status` makes, its message filled from `facts` (the default message without a template). */
export function refusal(status: Exclude<Status, Status.Ok>, facts: Facts = {}): Refusal {
  const spec: StatusSpec = STATUSES[status];
  const body: Refusal = {
    code: spec.code as ErrorCode,
    message: spec.template === undefined ? spec.message : spec.template(facts),
  };
  if (facts.field !== undefined) body.field = facts.field;
  if (facts.account !== undefined && facts.balance !== undefined && facts.required !== undefined) {
    body.balance = facts.balance;
    body.required = facts.required;
    body.shortfall = facts.required - facts.balance;
  }
  if (status === Status.BelowMinimum) body.minimum = facts.minimum;
  return body;
}
