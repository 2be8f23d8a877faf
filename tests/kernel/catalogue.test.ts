/** The status catalogue and the idempotency keys: one row per outcome, messages filled, prints that tell requests apart. */
import { describe, expect, it } from 'vitest';
import {
  giftPrint,
  KeyUse,
  keyUse,
  purchasePrint,
  refundPrint,
  withdrawalPrint,
} from '../../sim/kernel/keys.ts';
import {
  codeOf,
  ERROR_CODES,
  RECORDED_REFUSALS,
  refusal,
  STATUSES,
  Status,
  statusOfCode,
} from '../../sim/kernel/status.ts';

const ALL = Object.values(Status).filter((s): s is Status => typeof s === 'number');

describe('the status catalogue', () => {
  it('has one row per status, with a code of its own and an HTTP status for what it means', () => {
    expect(Object.keys(STATUSES).map(Number)).toEqual(ALL);
    const codes = ALL.map(codeOf);
    expect(new Set(codes).size).toBe(ALL.length);
    for (const s of ALL) {
      expect(statusOfCode(codeOf(s))).toBe(s);
      expect(codeOf(s)).toMatch(s === Status.Ok ? /^OK$/ : /^GIFT_ERR_[A-Z_]+$/);
    }
    expect(statusOfCode('GIFT_ERR_NO_SUCH_THING')).toBeUndefined();
    expect(ERROR_CODES).toEqual(codes.filter((c) => c !== 'OK'));
    const http = (s: Status) => STATUSES[s].http;
    expect(http(Status.Ok)).toBe(201);
    expect([Status.InsufficientCoins, Status.InsufficientDiamonds, Status.AlreadyRefunded].map(http)).toEqual(
      [409, 409, 409],
    );
    expect([Status.BelowMinimum, Status.IdempotencyConflict].map(http)).toEqual([422, 422]);
    expect(
      [Status.UnknownChannel, Status.UnknownPack, Status.UnknownGift, Status.BadAmount].map(http),
    ).toEqual([400, 400, 400, 400]);
    expect([Status.UnknownPurchase, Status.UnknownCreator, Status.UnknownViewer].map(http)).toEqual([
      404, 404, 404,
    ]);
    for (const s of ALL) if (s !== Status.Ok) expect(http(s), codeOf(s)).toBeGreaterThanOrEqual(400);
  });

  it('records under the key exactly what was decided on the balances', () => {
    expect(RECORDED_REFUSALS).toEqual([
      'GIFT_ERR_INSUFFICIENT_COINS',
      'GIFT_ERR_INSUFFICIENT_DIAMONDS',
      'GIFT_ERR_BELOW_MINIMUM',
      'GIFT_ERR_ALREADY_REFUNDED',
    ]);
    expect(STATUSES[Status.Ok].recorded).toBe(true);
  });

  it('fills a shortfall: the balance, what is needed and the difference, in the message and the body', () => {
    const body = refusal(Status.InsufficientCoins, {
      field: 'count',
      account: 'viewer:3',
      balance: 10,
      required: 25,
    });
    expect(body).toEqual({
      code: 'GIFT_ERR_INSUFFICIENT_COINS',
      message: 'viewer:3 has 10 coins; this needs 25 (short by 15)',
      field: 'count',
      balance: 10,
      required: 25,
      shortfall: 15,
    });
    expect(
      refusal(Status.InsufficientDiamonds, { account: 'creator:1', balance: 0, required: 100 }).message,
    ).toBe('creator:1 has 0 diamonds; this needs 100 (short by 100)');
  });

  it('fills the other templates from their facts, and falls back to the default message', () => {
    expect(
      refusal(Status.BelowMinimum, { field: 'diamonds', requested: 99, taken: 98, minimum: 100 }),
    ).toEqual({
      code: 'GIFT_ERR_BELOW_MINIMUM',
      message:
        'a withdrawal of 99 diamonds is taken as 98 diamonds (whole cents only); the minimum is 100 diamonds',
      field: 'diamonds',
      minimum: 100,
    });
    expect(
      refusal(Status.BelowMinimum, { field: 'diamonds', requested: 1, taken: 1, minimum: 100 }).message,
    ).toBe('a withdrawal of 1 diamond; the minimum is 100 diamonds');
    expect(
      refusal(Status.UnknownPack, { field: 'pack', found: 'x', known: ['a', 'b'], where: ' on channel app' }),
    ).toEqual({
      code: 'GIFT_ERR_UNKNOWN_PACK',
      message: 'no pack "x" on channel app; expected one of a, b',
      field: 'pack',
    });
    expect(refusal(Status.UnknownChannel, { field: 'channel', found: 'tv', known: ['app'] }).message).toBe(
      'no channel "tv"; expected one of app',
    );
    expect(refusal(Status.IdempotencyConflict, { key: 'k1' }).message).toBe(
      'Idempotency-Key "k1" was first used with a different request; use a new key for a new request',
    );
    expect(refusal(Status.UnknownPurchase, { key: 'p1' }).message).toBe('no purchase "p1"');
    expect(refusal(Status.AlreadyRefunded, { key: 'p1' }).message).toBe('p1 was refunded already');
    expect(refusal(Status.UnknownCreator, { found: '7' }).message).toBe('no creator 7');
    expect(refusal(Status.UnknownViewer, { found: '7' }).message).toBe('no viewer 7');
    expect(refusal(Status.BadAmount)).toEqual({
      code: 'GIFT_ERR_BAD_AMOUNT',
      message: STATUSES[Status.BadAmount].message,
    });
    // No numbers where the refusal has none.
    expect(Object.keys(refusal(Status.AlreadyRefunded, { key: 'p1', field: 'purchaseOpId' }))).toEqual([
      'code',
      'message',
      'field',
    ]);
  });
});

describe('a refusal body', () => {
  it('carries a field only when one is named, and the numbers only with the account, balance and need', () => {
    const keys = (facts: Parameters<typeof refusal>[1]) =>
      Object.keys(refusal(Status.InsufficientCoins, facts)).sort();
    expect(keys({})).toEqual(['code', 'message']);
    expect(keys({ field: 'count' })).toEqual(['code', 'field', 'message']);
    expect(keys({ account: 'viewer:1', balance: 1 })).toEqual(['code', 'message']);
    expect(keys({ balance: 1, required: 2 })).toEqual(['code', 'message']);
    expect(keys({ account: 'viewer:1', required: 2 })).toEqual(['code', 'message']);
    expect(keys({ account: 'viewer:1', balance: 1, required: 2 })).toEqual([
      'balance',
      'code',
      'message',
      'required',
      'shortfall',
    ]);
  });

  it('fills a template from whatever facts it has, never throwing on one missing', () => {
    expect(refusal(Status.UnknownChannel, { field: 'channel', found: 'tv' }).message).toMatch(
      /^no channel "tv"; expected one of/,
    );
  });
});

describe('idempotency keys', () => {
  it('fingerprint every field of a request, and each operation differently', () => {
    const prints = [
      purchasePrint(1, 'app', 'c70'),
      purchasePrint(2, 'app', 'c70'),
      purchasePrint(1, 'web', 'c70'),
      purchasePrint(1, 'app', 'c350'),
      giftPrint(1, 2, 'rose', 3),
      giftPrint(9, 2, 'rose', 3),
      giftPrint(1, 9, 'rose', 3),
      giftPrint(1, 2, 'panda', 3),
      giftPrint(1, 2, 'rose', 9),
      withdrawalPrint(1, 100),
      withdrawalPrint(2, 100),
      withdrawalPrint(1, 101),
      refundPrint('p1'),
      refundPrint('p2'),
    ];
    // The prints that collide, by name: a field left out of one shows as its two requests' print.
    expect(prints.filter((p, i) => prints.indexOf(p) !== i)).toEqual([]);
    expect(purchasePrint(1, 'app', 'c70')).toBe(purchasePrint(1, 'app', 'c70'));
  });

  it('answer a new key, a replay of the same request and a conflict', () => {
    expect(keyUse(undefined, 'a')).toBe(KeyUse.New);
    expect(keyUse('a', 'a')).toBe(KeyUse.Replay);
    expect(keyUse('a', 'b')).toBe(KeyUse.Conflict);
    expect(keyUse('', 'a')).toBe(KeyUse.Conflict);
  });
});
