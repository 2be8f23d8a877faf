/**
 * The journal checker's verdicts in full — invariant, seq, opId, accounts, expected, found, message —
 * for journals written by hand, each entry breaking one thing. The app economy (`testEconomy`): pack
 * c350 is 350 coins for 499 ¢ (149 ¢ store fee, 350 ¢ net), a panda 5 coins, a diamond 0.5 ¢, half the
 * coins go to the creator, withdrawals from 100 diamonds and free of fees.
 */
import { describe, expect, it } from 'vitest';
import { limits } from '../../common/limits.ts';
import type { Unit } from '../../sim/economy/types.ts';
import { checkJournal } from '../../sim/invariants/journal-checker.ts';
import type { Violation } from '../../sim/invariants/types.ts';
import type { EntryKind, JournalEntry, StatedBalance } from '../../sim/ledger/journal.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { testEconomy } from '../support/economy.ts';

const e = testEconomy;
type Row = [account: string, unit: Unit, amount: number];

const entry = (seq: number, opId: string, kind: EntryKind, rows: Row[]): JournalEntry => ({
  seq,
  opId,
  kind,
  at: seq,
  postings: rows.map(([account, unit, amount]) => ({ account, unit, amount })),
});
const v = (
  invariant: Violation['invariant'],
  seq: number | null,
  opId: string | null,
  accounts: string[],
  expected: string | number,
  found: string | number,
  message: string,
): Violation => ({ invariant, seq, opId, accounts, expected, found, message });
const check = (entries: unknown[]) => checkJournal(entries, { economy: e }).violations;

/** 350 coins for 499 ¢ through the app. */
const BUY: Row[] = [
  ['viewer:0', 'COIN', 350],
  ['platform:coins_issued', 'COIN', -350],
  ['buyers:app', 'USD', -499],
  ['store_fees:app', 'USD', 149],
  ['platform:cash', 'USD', 350],
];
/** 40 pandas: 200 coins, 100 diamonds. */
const GIFT: Row[] = [
  ['viewer:0', 'COIN', -200],
  ['creator:0', 'COIN', 200],
  ['creator:0', 'DIAMOND', 100],
  ['platform:diamonds_issued', 'DIAMOND', -100],
];
const withdrawal = (diamonds: number, cashCents: number, netCents = cashCents, feeCents = 0): Row[] => [
  ['creator:0', 'DIAMOND', -diamonds],
  ['platform:diamonds_redeemed', 'DIAMOND', diamonds],
  ['platform:cash', 'USD', -cashCents],
  ['creator:0', 'USD', netCents],
  ...(feeCents === 0 ? [] : ([['platform:withdrawal_fees', 'USD', feeCents]] as Row[])),
];
/** A purchase and a gift: creator:0 holds 100 diamonds, viewer:0 150 coins. */
const funded = () => [entry(1, 'p', 'purchase', BUY), entry(2, 'g', 'gift', GIFT)];
/** Replaces the posting at `account`/`unit` of `rows` by `amount` (or drops it when undefined). */
const with_ = (rows: Row[], account: string, unit: Unit, amount?: number): Row[] =>
  rows.flatMap(([a, u, x]): Row[] =>
    a === account && u === unit ? (amount === undefined ? [] : [[a, u, amount]]) : [[a, u, x]],
  );

describe('the journal checker, verdict by verdict', () => {
  it('a sound hand-written journal is clean', () => {
    expect(check([...funded(), entry(3, 'w', 'withdrawal', withdrawal(100, 50))])).toEqual([]);
  });

  it('a malformed entry: its seq and opId when they are usable, the field at fault (1)', () => {
    expect(check([{ seq: 3, opId: 'x', kind: 'gift', at: 0 }])).toEqual([
      v(
        1,
        3,
        'x',
        [],
        `postings: a list of 0 to ${limits.postingsPerEntryMax} items`,
        'nothing',
        `malformed entry: postings should be a list of 0 to ${limits.postingsPerEntryMax} items, found nothing`,
      ),
    ]);
    const [bad] = check([{ seq: 1.5, opId: 7 }]);
    expect(bad).toMatchObject({ invariant: 1, seq: null, opId: null, accounts: [] });
  });

  it('an entry that does not balance: the unit, its accounts, and the whole journal (1)', () => {
    const overpaid = with_(GIFT, 'viewer:0', 'COIN', -201);
    expect(check([entry(1, 'p', 'purchase', BUY), entry(2, 'g', 'gift', overpaid)])).toEqual([
      v(1, 2, 'g', ['viewer:0', 'creator:0'], 0, -1, 'gift g: COIN postings sum to -1, not 0'),
      v(1, null, null, [], 0, -1, "the journal's COIN postings sum to -1, not 0"),
    ]);
  });

  it('an operation id journaled twice (6)', () => {
    expect(check([entry(1, 'p', 'purchase', BUY), entry(2, 'p', 'purchase', BUY)])).toEqual([
      v(
        6,
        2,
        'p',
        [],
        'one entry per operation id',
        'entries 1 and 2',
        'operation p was applied again (entry 2, first 1)',
      ),
    ]);
  });

  it('a viewer overdrawn, reported at the posting that overdrew, not at a later zero posting (2)', () => {
    const nothing = GIFT.map(([a, u]): Row => [a, u, 0]);
    expect(check([entry(1, 'g', 'gift', GIFT), entry(2, 'g0', 'gift', nothing)])).toEqual([
      v(2, 1, 'g', ['viewer:0'], '>= 0', -200, 'viewer:0 COIN went to -200 after gift g'),
    ]);
  });

  it("only viewers' coins and creators' diamonds are guarded; viewers hold coins only", () => {
    const odd: Row[] = [
      ['viewer:0', 'DIAMOND', -1],
      ['platform:diamonds_issued', 'DIAMOND', 1],
      ['creator:0', 'USD', -1],
      ['platform:cash', 'USD', 1],
    ];
    expect(checkJournal([entry(1, 'x', 'gift', odd)]).violations).toEqual([]);
  });

  it("a creator's diamonds overdrawn by anything but a withdrawal are invariant 2, economy or not", () => {
    const taken: Row[] = [
      ['creator:0', 'DIAMOND', -1],
      ['platform:diamonds_issued', 'DIAMOND', 1],
    ];
    expect(check([entry(1, 'g', 'gift', taken)])).toEqual([
      v(2, 1, 'g', ['creator:0'], '>= 0', -1, 'creator:0 DIAMOND went to -1 after gift g'),
      v(
        4,
        1,
        'g',
        ['creator:0'],
        '< 1 diamond carried',
        '1 diamonds',
        'gift g: creator:0 lost a fraction of a diamond to rounding',
      ),
    ]);
  });

  it("a withdrawal that overdraws a viewer: invariant 2, and the viewers' coins no longer add up (3)", () => {
    const rows: Row[] = [
      ...withdrawal(100, 50),
      ['viewer:0', 'COIN', -151],
      ['platform:coins_issued', 'COIN', 151],
    ];
    expect(check([...funded(), entry(3, 'w', 'withdrawal', rows)])).toEqual([
      v(2, 3, 'w', ['viewer:0'], '>= 0', -1, 'viewer:0 COIN went to -1 after withdrawal w'),
      v(3, null, null, [], 150, -1, 'viewers hold -1 coins; purchased 350 − spent 200 − refunded 0 = 150'),
    ]);
  });

  it('a gift that credits no creator (4)', () => {
    const rows: Row[] = [
      ['viewer:0', 'COIN', -5],
      ['platform:coins_issued', 'COIN', 5],
    ];
    expect(check([entry(1, 'p', 'purchase', BUY), entry(2, 'g', 'gift', rows)])).toEqual([
      v(4, 2, 'g', [], 'a creator account', 'none', 'gift g credits no creator'),
    ]);
  });

  it('a gift credited a diamond over the share, and one two diamonds under it (4)', () => {
    const over = with_(with_(GIFT, 'creator:0', 'DIAMOND', 101), 'platform:diamonds_issued', 'DIAMOND', -101);
    expect(check([entry(1, 'p', 'purchase', BUY), entry(2, 'g', 'gift', over)])).toEqual([
      v(
        4,
        2,
        'g',
        ['creator:0'],
        '<= 100 diamonds',
        101,
        'gift g: creator:0 was credited more diamonds than the creator share of the coins and the carried fraction',
      ),
    ]);
    const under = with_(with_(GIFT, 'creator:0', 'DIAMOND', 98), 'platform:diamonds_issued', 'DIAMOND', -98);
    expect(check([entry(1, 'p', 'purchase', BUY), entry(2, 'g', 'gift', under)])).toEqual([
      v(
        4,
        2,
        'g',
        ['creator:0'],
        '< 1 diamond carried',
        '2 diamonds',
        'gift g: creator:0 lost a fraction of a diamond to rounding',
      ),
    ]);
  });

  it('a purchase with no buyer, and one through a channel the economy lacks (5)', () => {
    const nobody = [...with_(BUY, 'buyers:app', 'USD'), ['platform:withdrawal_fees', 'USD', -499] as Row];
    expect(check([entry(1, 'p', 'purchase', nobody)])).toEqual([
      v(5, 1, 'p', [], 'a known channel', 'none', 'purchase p: no known purchase channel'),
    ]);
    const moon = BUY.map(([a, u, x]): Row => [a.replace(':app', ':moon'), u, x]);
    expect(check([entry(1, 'p', 'purchase', moon)])).toEqual([
      v(5, 1, 'p', ['buyers:moon'], 'a known channel', 'moon', 'purchase p: no known purchase channel'),
    ]);
  });

  it("a purchase whose fees and net do not add up to the buyer's gross (5)", () => {
    const short = [...with_(BUY, 'platform:cash', 'USD', 349), ['platform:withdrawal_fees', 'USD', 1] as Row];
    expect(check([entry(1, 'p', 'purchase', short)])).toEqual([
      v(5, 1, 'p', [], 499, 498, 'purchase p: store fee 149 + payment fee 0 + net 349 ≠ gross 499'),
    ]);
  });

  it('a fee taken at the wrong rate, on a purchase and on a refund (5)', () => {
    const dear = with_(with_(BUY, 'store_fees:app', 'USD', 150), 'platform:cash', 'USD', 349);
    expect(check([entry(1, 'p', 'purchase', dear)])).toEqual([
      v(5, 1, 'p', ['store_fees:app'], 149, 150, 'purchase p: store fee on 499¢ should be 149¢'),
    ]);
    const web: Row[] = [
      ['viewer:0', 'COIN', 70],
      ['platform:coins_issued', 'COIN', -70],
      ['buyers:web', 'USD', -74],
      ['payment_fees:web', 'USD', 32],
      ['platform:cash', 'USD', 42],
    ];
    const back = web.map(([a, u, x]): Row => [a.replace('coins_issued', 'coins_refunded'), u, -x]);
    const cheap = with_(with_(back, 'payment_fees:web', 'USD', -31), 'platform:cash', 'USD', -43);
    expect(check([entry(1, 'p', 'purchase', web), entry(2, 'r', 'refund', back)])).toEqual([]);
    expect(check([entry(1, 'p', 'purchase', web), entry(2, 'r', 'refund', cheap)])).toEqual([
      v(5, 2, 'r', ['payment_fees:web'], 32, 31, 'refund r: payment fee on 74¢ should be 32¢'),
    ]);
  });

  it('a purchase at a price no pack has (5)', () => {
    const rows = with_(with_(BUY, 'buyers:app', 'USD', -500), 'store_fees:app', 'USD', 150);
    expect(check([entry(1, 'p', 'purchase', rows)])).toEqual([
      v(
        5,
        1,
        'p',
        [],
        'a app pack',
        '350 coins for 500¢',
        'purchase p: no app pack sells 350 coins for 500¢',
      ),
    ]);
  });

  it('a withdrawal that debits no creator (8)', () => {
    const rows: Row[] = [
      ['platform:diamonds_issued', 'DIAMOND', 100],
      ['platform:diamonds_redeemed', 'DIAMOND', -100],
    ];
    expect(check([entry(1, 'w', 'withdrawal', rows)])).toEqual([
      v(8, 1, 'w', [], 'a creator diamond debit', 'none', 'withdrawal w debits no creator'),
    ]);
  });

  it("finds the creator's diamond debit wherever it sits among other postings", () => {
    const rows: Row[] = [
      ['creator:0', 'USD', -1],
      ['creator:1', 'DIAMOND', 5],
      ['platform:diamonds_issued', 'DIAMOND', -5],
      ['creator:0', 'DIAMOND', 0],
      ['platform:cash', 'USD', -50],
      ['creator:0', 'DIAMOND', -100],
      ['platform:diamonds_redeemed', 'DIAMOND', 100],
      ['creator:0', 'USD', 51],
    ];
    expect(check([...funded(), entry(3, 'w', 'withdrawal', rows)])).toEqual([]);
  });

  it('a withdrawal over the balance, and one under the minimum (8)', () => {
    expect(check([...funded(), entry(3, 'w', 'withdrawal', withdrawal(200, 100))])).toEqual([
      v(8, 3, 'w', ['creator:0'], '<= 100', 200, 'withdrawal w: 200 diamonds taken from a balance of 100'),
    ]);
    expect(check([...funded(), entry(3, 'w', 'withdrawal', withdrawal(50, 25))])).toEqual([
      v(8, 3, 'w', ['creator:0'], '>= 100', 50, 'withdrawal w: 50 diamonds is under the minimum'),
    ]);
  });

  it('the withdrawal limit: at it a withdrawal is quoted, past it not (8)', () => {
    const max = limits.withdrawalDiamondsMax;
    const overBalance = (n: number) =>
      v(8, 1, 'w', ['creator:0'], '<= 0', n, `withdrawal w: ${n} diamonds taken from a balance of 0`);
    expect(check([entry(1, 'w', 'withdrawal', withdrawal(max, max / 2))])).toEqual([overBalance(max)]);
    expect(check([entry(1, 'w', 'withdrawal', withdrawal(max + 1, max / 2))])).toEqual([
      overBalance(max + 1),
      v(
        8,
        1,
        'w',
        ['creator:0'],
        `<= ${max}`,
        max + 1,
        `withdrawal w: ${max + 1} diamonds is over the withdrawal limit`,
      ),
    ]);
  });

  it('a payout at the wrong value, and the right gross split wrong between fee and net (8)', () => {
    expect(check([...funded(), entry(3, 'w', 'withdrawal', withdrawal(100, 100))])).toEqual([
      v(8, 3, 'w', ['creator:0'], 50, 100, 'withdrawal w: 100 diamonds should pay 50¢ gross'),
    ]);
    const wrongSplit = v(
      8,
      3,
      'w',
      ['creator:0'],
      'fee 0¢, net 50¢',
      'fee 1¢, net 49¢',
      'withdrawal w: withdrawal fee or net payout is wrong',
    );
    expect(check([...funded(), entry(3, 'w', 'withdrawal', withdrawal(100, 50, 49, 1))])).toEqual([
      wrongSplit,
    ]);
    // Net right, a fee from nowhere: the entry does not balance either.
    expect(check([...funded(), entry(3, 'w', 'withdrawal', withdrawal(100, 50, 50, 1))])).toEqual([
      v(
        1,
        3,
        'w',
        ['platform:cash', 'creator:0', 'platform:withdrawal_fees'],
        0,
        1,
        'withdrawal w: USD postings sum to 1, not 0',
      ),
      { ...wrongSplit, found: 'fee 1¢, net 50¢' },
      v(1, null, null, [], 0, 1, "the journal's USD postings sum to 1, not 0"),
    ]);
    // Fee right, a cent of the net kept back: the same.
    expect(check([...funded(), entry(3, 'w', 'withdrawal', withdrawal(100, 50, 49))])).toEqual([
      v(1, 3, 'w', ['platform:cash', 'creator:0'], 0, -1, 'withdrawal w: USD postings sum to -1, not 0'),
      { ...wrongSplit, found: 'fee 0¢, net 49¢' },
      v(1, null, null, [], 0, -1, "the journal's USD postings sum to -1, not 0"),
    ]);
  });
});

describe('stated balances, verdict by verdict', () => {
  const ledger = new Ledger(e);
  ledger.purchase(0, 0, 1, 0, 'p');
  ledger.gift(0, 0, 1, 40, 1, 'g'); // viewer:0 keeps 150 coins
  const stated = (): StatedBalance[] => [...ledger.balances()];
  const checkStated = (s: StatedBalance[]) =>
    checkJournal(ledger.entries(), { economy: e }, { stated: s }).violations;

  it('as the ledger states them, and with a zero for an account the journal never named', () => {
    expect(checkStated(stated())).toEqual([]);
    expect(checkStated([...stated(), { account: 'viewer:9', unit: 'COIN', balance: 0 }])).toEqual([]);
  });

  it("a viewer's coins misstated: the account, and the viewers' total against the journal's flows (3)", () => {
    const s = stated().map((b) => (b.account === 'viewer:0' ? { ...b, balance: 149 } : b));
    s.push({ account: 'viewer:0', unit: 'DIAMOND', balance: 5 });
    expect(checkStated(s)).toEqual([
      v(3, null, null, ['viewer:0'], 150, 149, 'viewer:0 states 149 COIN but its journal adds up to 150'),
      v(3, null, null, ['viewer:0'], 0, 5, 'viewer:0 states 5 DIAMOND but its journal adds up to 0'),
      v(3, null, null, [], 150, 149, "viewers' stated coins total 149; the journal's flows give 150"),
    ]);
  });

  it("no viewer stated: each missing balance, and no viewers' total (3)", () => {
    const s = stated().filter((b) => b.account !== 'viewer:0');
    expect(checkStated(s)).toEqual([
      v(
        3,
        null,
        null,
        ['viewer:0'],
        150,
        0,
        'viewer:0 states no COIN balance but its journal adds up to 150',
      ),
    ]);
  });

  it('a malformed stated balance (3)', () => {
    const bad = { account: 'viewer:0', unit: 'EUR', balance: 150 } as unknown as StatedBalance;
    expect(checkStated([...stated().filter((b) => b.account !== 'viewer:0'), bad])[0]).toEqual(
      v(
        3,
        null,
        null,
        [],
        'a stated balance',
        'malformed',
        'malformed stated balance: a stated balance\'s unit should be COIN|DIAMOND|USD, found "EUR"',
      ),
    );
  });
});
