/**
 * The audit over exported journal files (JSON lines, JSON array, journal page) and over a live target,
 * through the library and the `giftlab audit` command: verdicts, the table, JUnit XML, and exit codes
 * 0 (clean), 3 (violation), 2 (bad input, one line, no stack).
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { type AuditReport, entrySubjects, runAudit, shownViolations } from '../../load/audit/audit.ts';
import { auditJunit, idleThisRun, idleThisRunLines, renderAuditTable } from '../../load/audit/report.ts';
import { writeUsersFile } from '../../load/users-file.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { checkJournal } from '../../sim/invariants/journal-checker.ts';
import type { Violation } from '../../sim/invariants/types.ts';
import { INVARIANT_IDS } from '../../sim/invariants/types.ts';
import type { JournalEntry } from '../../sim/ledger/journal.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { testEconomy } from '../support/economy.ts';
import { captureIo } from '../support/io.ts';
import { economyLoad } from '../target/support/load.ts';
import { listeningTarget } from '../target/support/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'giftlab-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const baseline = loadScenarioFile('scenarios/baseline.yaml').economy;

/** A small sound journal from the in-memory ledger, on the baseline economy. */
function soundJournal(): JournalEntry[] {
  const ledger = new Ledger(baseline);
  ledger.purchase(0, 0, 1, 1, 'p0');
  ledger.purchase(1, 1, 0, 2, 'p1');
  ledger.gift(0, 0, 0, 3, 3, 'g0');
  ledger.gift(0, 1, 2, 2, 4, 'g1');
  ledger.gift(1, 0, 1, 5, 5, 'g2');
  ledger.refund('p1', 6, 'r0');
  return [...ledger.entries()];
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const jsonl = (entries: unknown[]) => `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;

async function cli(...args: string[]) {
  const c = captureIo();
  const code = await main(['audit', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('audit of a journal file', () => {
  it('reads JSON lines, a JSON array, a journal page and pages per line alike, and finds a sound journal clean', async () => {
    const entries = soundJournal();
    for (const [name, text] of [
      ['sound.jsonl', jsonl(entries)],
      ['sound.json', JSON.stringify(entries, null, 2)],
      ['page.json', JSON.stringify({ entries, next: null }, null, 2)],
      [
        'pages.jsonl',
        jsonl([
          { entries: entries.slice(0, 2), next: 2 },
          { entries: entries.slice(2), next: null },
        ]),
      ],
    ]) {
      const report = await runAudit({ journalFile: write(name, text), economy: baseline });
      expect(report.result.violations, name).toEqual([]);
      expect(report.result.entries).toBe(entries.length);
      expect(report.result.checked).toEqual([1, 2, 3, 4, 5, 6, 8]);
    }
  });

  it('through the CLI: --scenario gives the economy, exit 0, JUnit with every invariant', async () => {
    const entries = soundJournal();
    const file = write('cli.jsonl', jsonl(entries));
    const junit = join(dir, 'clean.xml');
    const r = await cli('--journal', file, '--scenario', 'scenarios/baseline.yaml', '--junit', junit);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`clean: 7 invariants hold over ${entries.length} entries`);
    expect(r.out).toMatch(/7 +every acknowledged operation .* not checked \(needs --acks\)/);
    expect(r.out).toContain('\nnot checked: 7 needs --acks\n');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites tests="8" failures="0">');
    expect(xml).toContain('<skipped message="not checked (needs --acks)"/>');
  });

  it('without --scenario or --acks: exit 0, and the table and JUnit say which invariants were not checked and why', async () => {
    const entries = soundJournal();
    const file = write('plain.jsonl', jsonl(entries));
    const junit = join(dir, 'plain.xml');
    const r = await cli('--journal', file, '--junit', junit);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/4 +diamonds for a gift .* not checked \(needs the economy: pass --scenario\)/);
    expect(r.out).toContain(`clean: 4 invariants hold over ${entries.length} entries`);
    expect(r.out).toContain('\nnot checked: 4, 5, 8 need the economy: pass --scenario; 7 needs --acks\n');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('tests="8" failures="0" skipped="4"');
    expect(
      xml.match(/<skipped message="not checked \(needs the economy: pass --scenario\)"\/>/g),
    ).toHaveLength(3);
    expect(xml).toContain('<skipped message="not checked (needs --acks)"/>');
    // For CI, --strict makes an unchecked invariant a failure (exit 3), naming what to pass.
    const strict = await cli('--journal', file, '--strict');
    expect(strict.code).toBe(3);
    expect(strict.err).toContain(
      'giftlab: --strict: not every invariant was checked (4, 5, 8 need the economy: pass --scenario; 7 needs --acks); the ones checked hold',
    );
  });

  it('without an economy, checks what the journal alone can show', async () => {
    const report = await runAudit({ journalFile: write('noeco.jsonl', jsonl(soundJournal())) });
    expect(report.result.checked).toEqual([1, 2, 3, 6]);
    expect(renderAuditTable(report)).toContain('not checked (needs the economy: pass --scenario)');
  });

  it('a journal out of seq order is bad input naming where, not violations it does not have', async () => {
    // A sound journal exported newest first read as 2, 4 and 8 violated (the checks follow the order).
    const entries = soundJournal();
    const file = write('newest-first.jsonl', jsonl([...entries].reverse()));
    const r = await cli('--journal', file, '--scenario', 'scenarios/baseline.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `giftlab: --journal: expected journal entries in seq order (the invariants follow it), found seq ${entries.length - 1} after seq ${entries.length}, at entry 2: sort the export by seq (${file})\n`,
    );
    expect(r.out).toBe('');
    // Over HTTP, a page that goes back is the target's answer that cannot be judged.
    const page = { entries: [entries[1], entries[0]], next: null };
    const stub = (async (url: string | URL) =>
      new Response(String(url).includes('/v1/journal') ? JSON.stringify(page) : '{}', {
        status: String(url).includes('/v1/journal') ? 200 : 404,
      })) as typeof fetch;
    await expect(runAudit({ target: 'http://stub.test', adminToken: 't', fetch: stub })).rejects.toThrow(
      '--target: expected journal entries in seq order from /v1/journal (the invariants follow it), found seq 1 after seq 2, at entry 2',
    );
  });

  it('a seq given twice is bad input naming both entries (without acks nothing else noticed)', async () => {
    const entries = soundJournal();
    // Two different operations under one seq: balanced, each applied once, so every invariant held.
    const twice = entries.map((e, i) => (i === 3 ? { ...e, seq: entries[2].seq } : e));
    const file = write('seq-twice.jsonl', jsonl(twice));
    const r = await cli('--journal', file, '--scenario', 'scenarios/baseline.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `giftlab: --journal: expected journal entries in seq order (the invariants follow it), found seq ${entries[2].seq} twice, at entries 3 and 4: two entries under one seq (a target that hands a seq out twice, or an export that repeats an entry)\n`,
    );
    expect(r.out).toBe('');
  });

  it('a tampered journal: exit 3, the table names the invariant and shows the offending entry', async () => {
    const entries = soundJournal();
    const gift = entries.find((e) => e.opId === 'g1')!;
    for (const p of gift.postings) if (p.unit === 'DIAMOND') p.amount += Math.sign(p.amount);
    const duplicate = { ...entries[0], seq: entries.length + 1 };
    const file = write('tampered.jsonl', jsonl([...entries, duplicate]));
    const junit = join(dir, 'tampered.xml');
    const r = await cli('--journal', file, '--scenario', 'scenarios/baseline.yaml', '--junit', junit);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/4 +diamonds for a gift .* VIOLATED/);
    expect(r.out).toMatch(/6 +an operation replayed .* VIOLATED/);
    expect(r.out).toContain('[4] entry 4 (g1)');
    expect(r.out).toContain('gift: viewer:0 COIN -');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites tests="8" failures="[1-9]/);
    expect(xml).toContain('<failure message="1 violation(s): gift g1');
    // It ends, as a failing command does, on one line on stderr that says why.
    expect(r.err.trim().split('\n').at(-1)).toMatch(
      new RegExp(
        `^giftlab: the audit found \\d+ violations \\(invariant 4 ×\\d+, invariant 6 ×1\\): the table above lists them, and ${junit}$`,
      ),
    );
  });

  it('says what each invariant held over, and calls a check over nothing vacuous (a skip in JUnit)', async () => {
    const entries = soundJournal(); // purchases, gifts and a refund: no withdrawal
    const junit = join(dir, 'vacuous.xml');
    const r = await cli(
      '--journal',
      write('vacuous.jsonl', jsonl(entries)),
      '--scenario',
      'scenarios/baseline.yaml',
      '--junit',
      junit,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`1 +every entry balances .* ok \\(${entries.length} entries\\)`));
    expect(r.out).toMatch(/4 +diamonds for a gift .* ok \(3 gifts\)/);
    expect(r.out).toMatch(/5 +gross = .* ok \(2 purchases\)/);
    // A journal file states no balances: invariant 3 held in the part it could check, and says so.
    expect(r.out).toContain('  balances none stated by the source (part of invariant 3 not checked)\n');
    expect(r.out).toMatch(
      new RegExp(
        `3 +coins outstanding .* ok \\(${entries.length} entries; not checked: stated balances equal the journal, none stated\\)\n`,
      ),
    );
    // Replays are counted from acks only: without them, the entries the check read.
    expect(r.out).toMatch(
      new RegExp(
        `6 +an operation replayed .* ok \\(${entries.length} entries; replays are counted from --acks\\)\n`,
      ),
    );
    expect(r.out).toMatch(/8 +withdrawals respect .* ok, vacuous: no withdrawals/);
    expect(r.out).toContain('\nvacuous: 8 (no withdrawals) — nothing of that kind was there to check\n');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<skipped message="holds vacuously: no withdrawals to check"/>');
    expect(xml.match(/<skipped/g)).toHaveLength(2); // 7 (no --acks) and 8

    // A withdrawal, and acks with one operation sent twice: counted, nothing vacuous.
    const ledger = new Ledger(baseline);
    // Gifts (a purchase whenever the coins run out) until creator 0 may withdraw, then a withdrawal.
    for (let k = 0; ledger.diamondsOf(0) < 100 && k < 5000; k++)
      if (ledger.gift(0, 0, 0, 1, 2 * k + 2, `g${k}`) !== 0) ledger.purchase(0, 0, 0, 2 * k + 1, `p${k}`);
    expect(ledger.withdraw(0, ledger.diamondsOf(0), 20_000, 'w0')).toBe(0);
    const all = [...ledger.entries()];
    const acks = [...all, all[0]].map((e) => ({
      opId: e.opId,
      kind: e.kind,
      status: 201,
      response: { seq: e.seq },
    }));
    const report = await runAudit({
      journalFile: write('withdrawn.jsonl', jsonl(all)),
      acksFile: write('withdrawn-acks.jsonl', jsonl(acks)),
      economy: baseline,
    });
    expect(report.clean).toBe(true);
    const of = (kind: string) => all.filter((e) => e.kind === kind).length;
    expect(of('gift')).toBeGreaterThan(0);
    expect(report.seen).toEqual({
      entries: all.length,
      gifts: of('gift'),
      purchases: of('purchase'),
      withdrawals: 1,
      replays: 1,
      acks: all.length + 1,
    });
    const table = renderAuditTable(report);
    expect(table).toMatch(/8 +withdrawals respect .* ok \(1 withdrawal\)/);
    expect(table).toMatch(/6 +an operation replayed .* ok \(1 replay\)/);
    expect(table).not.toContain('vacuous');
  });

  it('reconciles acks from a file: an acknowledged write missing from the journal is invariant 7', async () => {
    const entries = soundJournal();
    const acks = [
      ...entries.map((e) => ({ opId: e.opId, kind: e.kind, status: 201, response: { seq: e.seq } })),
      { opId: 'lost', kind: 'gift', status: 201, response: { seq: 99 } },
      { opId: 'timeout', kind: 'gift', status: 0, response: {} },
    ];
    const report = await runAudit({
      journalFile: write('acked.jsonl', jsonl(entries)),
      acksFile: write('acks.jsonl', jsonl(acks)),
      economy: baseline,
    });
    const n = entries.length;
    expect(report.acks).toEqual({ total: n + 2, ok: n + 1, rejected: 0, failed: 0, unknown: 1, ops: n + 2 });
    expect(report.result.violations.map((v) => [v.invariant, v.opId])).toEqual([[7, 'lost']]);
  });

  it('a key answered with a success and with a refusal is invariant 6; a 5xx or a key conflict beside it is not', async () => {
    const entries = soundJournal();
    const first = (e: JournalEntry) => ({
      opId: e.opId,
      kind: e.kind,
      status: 201,
      response: { seq: e.seq },
    });
    const [g0, g1, g2] = entries.filter((e) => e.kind === 'gift');
    const p0 = entries.find((e) => e.kind === 'purchase') as JournalEntry;
    const acks = [
      ...entries.map(first),
      // Its replay refused: the client is told the gift failed after it succeeded (passed as 'ok').
      { opId: g0.opId, kind: 'gift', status: 409, response: { code: 'GIFT_ERR_INSUFFICIENT_COINS' } },
      // Not recorded answers: a retry may get another one.
      { opId: g1.opId, kind: 'gift', status: 503, response: { code: 'GIFT_ERR_TIMEOUT' } },
      { opId: g2.opId, kind: 'gift', status: 422, response: { code: 'GIFT_ERR_IDEMPOTENCY_CONFLICT' } },
      // Another API's refusal (no giftlab code) at a recorded refusal's status counts too.
      { opId: p0.opId, kind: 'purchase', status: 422, response: { error: 'declined' } },
    ];
    const report = await runAudit({
      journalFile: write('replayed.jsonl', jsonl(entries)),
      acksFile: write('replayed-acks.jsonl', jsonl(acks)),
      economy: baseline,
    });
    expect(report.result.violations.map((v) => [v.invariant, v.opId, v.seq])).toEqual([
      [6, p0.opId, p0.seq],
      [6, g0.opId, g0.seq],
    ]);
    expect(report.result.violations[1].message).toBe(
      `${g0.opId} was answered 201 and, with the same key, 409 GIFT_ERR_INSUFFICIENT_COINS: one operation, told two outcomes`,
    );
    expect(report.clean).toBe(false);
  });

  it('an entry without a request is invariant 7, unless its opId prefix is declared', async () => {
    const entries = soundJournal();
    const acks = entries
      .filter((e) => e.kind !== 'purchase')
      .map((e) => ({ opId: e.opId, kind: e.kind, status: 201 }));
    const journalFile = write('setup.jsonl', jsonl(entries));
    const acksFile = write('setup-acks.jsonl', jsonl(acks));
    const strict = await runAudit({ journalFile, acksFile, economy: baseline });
    expect(strict.result.violations.map((v) => v.opId)).toEqual(['p0', 'p1']);
    const r = await cli('--journal', journalFile, '--acks', acksFile, '--unacked-ok', 'p');
    expect(r.code).toBe(0);
    // The table says how much the prefix let through: a green 7 over entries nobody acked is no proof.
    expect(r.out).toContain(
      '\n  unacked  2 journal entries without an ack let through by --unacked-ok "p" (not reconciled)\n',
    );
    // An empty prefix starts every opId: it let the whole journal through, and the audit said clean.
    const empty = await cli('--journal', journalFile, '--acks', acksFile, '--unacked-ok', '');
    expect(empty.code).toBe(2);
    expect(empty.err).toBe(
      'giftlab: --unacked-ok: expected an opId prefix of at least one character, found "" (it would let every entry through without an ack)\n',
    );
  });

  it('reports malformed entries as violations, not crashes', async () => {
    const entries: unknown[] = soundJournal();
    // Entries, however malformed (a seq or postings): the ledger's problem. A value with neither is no
    // entry at all, refused as bad input (below).
    entries.push(
      { seq: 'x' },
      { postings: null },
      {
        seq: 99,
        opId: 'z',
        kind: 'gift',
        at: 1,
        postings: [{ account: 'viewer:0' }],
      },
    );
    const report = await runAudit({
      journalFile: write('junk.json', JSON.stringify(entries)),
      economy: baseline,
    });
    expect(report.clean).toBe(false);
    expect(report.result.violations.filter((v) => v.message.startsWith('malformed'))).toHaveLength(3);
  });
});

describe('a --journal file that is no journal: exit 2 naming the file, the line and an entry’s form', () => {
  const form = '{ seq, opId, kind, at, postings: [{ account, unit, amount }] }';
  const refused = (file: string, where: string, found: string) =>
    `giftlab: ${file}: 1 problem\n  --journal${where}: expected a journal entry ${form}, found ${found}\n`;

  it('a users file written by serve, { "hello": 1 }, an acks file: their keys named, never their values', async () => {
    const users = join(dir, 'users.json');
    writeUsersFile(users, 'http://127.0.0.1:3000', {
      viewers: [{ id: 1, token: 'viewer-secret' }],
      creators: [{ id: 2, token: 'creator-secret' }],
      adminToken: 'admin-secret',
    });
    const hello = write('hello.json', '{"hello":1}\n');
    const sound = soundJournal();
    const acks = write('acks-as-journal.jsonl', `${jsonl(sound)}{"opId":"a","kind":"gift","status":201}\n`);
    for (const [file, where, found] of [
      [users, ' (line 1)', '{ target, viewers, creators, adminToken } (no seq, no postings)'],
      [hello, ' (line 1)', '{ hello } (no seq, no postings)'],
      [acks, ` (line ${sound.length + 1})`, '{ opId, kind, status } (no seq, no postings)'],
    ]) {
      const r = await cli('--journal', file);
      expect([r.code, r.err]).toEqual([2, refused(file, where, found)]);
      expect(r.out).toBe('');
    }
  });

  it('a bare value in an array or a page is named by its place', async () => {
    const entries: unknown[] = soundJournal();
    const array = write('null-in-array.json', JSON.stringify([...entries, null]));
    const page = write('list-in-page.jsonl', `${JSON.stringify({ entries: [entries[0], [1]] })}\n`);
    const r = await cli('--journal', array);
    expect([r.code, r.err]).toEqual([2, refused(array, '', `item ${entries.length + 1} of the array: null`)]);
    const p = await cli('--journal', page);
    expect([p.code, p.err]).toEqual([2, refused(page, ' (line 1)', "item 2 of the page's entries: a list")]);
  });

  it('a malformed entry stays a ledger violation: exit 3', async () => {
    const file = write(
      'malformed.jsonl',
      jsonl([...soundJournal(), { seq: 7, postings: [{ account: 'viewer:0' }] }]),
    );
    const r = await cli('--journal', file);
    expect(r.code, r.err).toBe(3);
    expect(r.out).toContain('malformed entry');
  });
});

describe('output paths are checked before the audit runs', () => {
  it.each([
    ['a folder', () => dir, /^giftlab: --junit: expected a file to write, found .*: a folder\n$/],
    [
      'a path through a file',
      () => join(write('plain-file.txt', 'x\n'), 'audit.xml'),
      /^giftlab: --junit: expected a file to write, found .*plain-file\.txt is not a folder\n$/,
    ],
  ])('--junit naming %s: exit 2, nothing audited', async (_name, junit, message) => {
    const r = await cli('--journal', write('to-junit.jsonl', jsonl(soundJournal())), '--junit', junit());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('--junit in a folder that does not exist yet: created', async () => {
    const junit = join(dir, 'reports', 'junit', 'audit.xml');
    const r = await cli('--journal', write('to-new.jsonl', jsonl(soundJournal())), '--junit', junit);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(junit, 'utf8')).toContain('<testsuites tests="8"');
  });
});

describe('bad input is exit 2 with one line', () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      'a missing journal file',
      () => ['--journal', join(dir, 'nope.jsonl')],
      /--journal: expected a readable file/,
    ],
    ['a bad JSON line', () => ['--journal', write('bad.jsonl', '{"seq":1}\n{oops\n')], /line 2/],
    ['a bad array', () => ['--journal', write('bad.json', '[1, 2')], /--journal: expected valid JSON/],
    [
      'an object that is not a page',
      () => ['--journal', write('obj.json', '{\n  "rows": []\n}\n')],
      /entries/,
    ],
    [
      'a bad ack',
      () => [
        '--journal',
        write('ok.jsonl', ''),
        '--acks',
        write('bad-acks.jsonl', '{"opId":"a","kind":"tip","status":201}\n'),
      ],
      /--acks kind \(line 1\): expected purchase\|gift\|withdrawal\|refund/,
    ],
    [
      'an empty journal file',
      () => ['--journal', write('empty.jsonl', '')],
      /^giftlab: --journal: expected at least one journal entry, found .*empty\.jsonl: an empty file\n$/,
    ],
    [
      'a journal of blank lines',
      () => ['--journal', write('blank.jsonl', '\n  \n\n')],
      /--journal: expected at least one journal entry, found .*: an empty file/,
    ],
    [
      'an empty journal array',
      () => ['--journal', write('none.json', '[]\n')],
      /--journal: expected at least one journal entry, found .*none\.json: no entries in it/,
    ],
    [
      'an empty acks file',
      () => ['--journal', write('one.jsonl', jsonl(soundJournal())), '--acks', write('no-acks.jsonl', '\n')],
      /^giftlab: --acks: expected at least one acknowledgement .*, found .*no-acks\.jsonl: an empty file\n$/,
    ],
    [
      "a --set without --scenario (it changed nothing: the economy stayed the target's, or none)",
      () => ['--journal', write('set.jsonl', jsonl(soundJournal())), '--set', 'payout.creatorShare=0.6'],
      /^giftlab: --set: expected a --scenario for it to change .*found --set payout\.creatorShare=0\.6 without --scenario\n$/,
    ],
    ['no source', () => [], /--target: expected a target URL/],
    [
      'two sources',
      () => ['--target', 'http://127.0.0.1:9', '--journal', 'x'],
      /either --target or --journal/,
    ],
    ['a malformed URL', () => ['--target', 'not a url'], /--target: expected a URL/],
    [
      'an unreachable target',
      () => ['--target', 'http://127.0.0.1:9'],
      /--target: expected a reachable target/,
    ],
    ['a missing users file', () => ['--users', join(dir, 'nope.json')], /--users: expected a users file/],
    [
      'a bad scenario',
      () => ['--journal', write('e.jsonl', ''), '--scenario', join(dir, 'nope.yaml')],
      /scenario/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await cli(...args());
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n').length).toBeLessThanOrEqual(2);
      expect(r.err).not.toContain('    at ');
    });
  }
});

describe('audit of a live target through the CLI', () => {
  let healthy: Awaited<ReturnType<typeof listeningTarget>>;
  let faulty: Awaited<ReturnType<typeof listeningTarget>>;
  beforeAll(async () => {
    healthy = await listeningTarget();
    faulty = await listeningTarget({ fault: 'drop-ack' });
  });
  afterAll(async () => {
    await healthy.close();
    await faulty.close();
  });

  it('clean after load, with the admin token from the users file and the economy from the target', async () => {
    const acks = await economyLoad(healthy.url, healthy.users);
    const users = join(dir, 'users-healthy.json');
    writeUsersFile(users, healthy.url, healthy.users);
    // --strict passes: every invariant was checked (the economy from the target, the acks given).
    const r = await cli('--users', users, '--acks', write('healthy-acks.jsonl', jsonl(acks)), '--strict');
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain(`giftlab audit — ${healthy.url}`);
    expect(r.out).toContain("economy  the target's GET /v1/economy (test)");
    expect(r.out).toContain(`clean: ${INVARIANT_IDS.length} invariants hold`);
    expect(r.out).not.toContain('not checked');
  });

  it('a --scenario the target does not serve exits 2 naming the difference (not VIOLATED, blaming the backend)', async () => {
    const users = join(dir, 'users-healthy-scenario.json');
    writeUsersFile(users, healthy.url, healthy.users);
    const r = await cli('--users', users, '--scenario', 'scenarios/creator-share-60.yaml');
    expect(r.code, r.out + r.err).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${healthy.url}/ serves test, --scenario gives scenarios/creator-share-60.yaml`);
    expect(r.err).toMatch(
      /economy: expected --scenario's economy \(scenarios\/creator-share-60\.yaml\) at the target, found /,
    );
    expect(r.err).toContain("drop --scenario to audit the journal against the target's own economy");
  });

  it('an entry journaled for another viewer or creator, or other figures, than its answer stated is invariant 7', async () => {
    const acks = await economyLoad(healthy.url, healthy.users);
    const acksFile = write('figures-acks.jsonl', jsonl(acks));
    const page = await fetch(`${healthy.url}/v1/journal?limit=10000`, {
      headers: { authorization: `Bearer ${healthy.users.adminToken}` },
    });
    const entries = ((await page.json()) as { entries: JournalEntry[] }).entries;
    const mine = (e: JournalEntry) => acks.some((a) => a.opId === e.opId && a.status === 201);
    // The real answers of a concurrent load (keys sent twice at once, refusals) match their entries.
    const sound = await cli('--journal', write('figures.jsonl', jsonl(entries)), '--acks', acksFile);
    expect(sound.code, sound.out).toBe(0);
    const tampered: JournalEntry[] = JSON.parse(JSON.stringify(entries));
    // A gift debited from another viewer than the sender, a purchase credited to another viewer, a
    // withdrawal paying a cent more than it said: each entry still balances, no balance goes negative.
    const gift = tampered.find((e) => e.kind === 'gift' && mine(e)) as JournalEntry;
    const payer = gift.postings.find((p) => p.account.startsWith('viewer:')) as { account: string };
    const other = payer.account === 'viewer:0' ? 'viewer:1' : 'viewer:0';
    payer.account = other;
    const purchase = tampered.find((e) => e.kind === 'purchase' && mine(e)) as JournalEntry;
    const buyer = purchase.postings.find((p) => p.account.startsWith('viewer:')) as { account: string };
    buyer.account = 'viewer:5';
    const withdrawal = tampered.find((e) => e.kind === 'withdrawal' && mine(e)) as JournalEntry;
    for (const p of withdrawal.postings) {
      if (p.unit === 'USD') p.amount += p.account.startsWith('creator:') ? 1 : -1;
    }
    const r = await cli('--journal', write('figures-tampered.jsonl', jsonl(tampered)), '--acks', acksFile);
    expect(r.code, r.out).toBe(3);
    expect(r.out).toMatch(/7 +every acknowledged operation .* VIOLATED \(\d+\)/);
    const report = await runAudit({ journalFile: join(dir, 'figures-tampered.jsonl'), acksFile });
    const messages = report.result.violations.filter((v) => v.invariant === 7).map((v) => v.message);
    const answer = acks.find((a) => a.opId === gift.opId)?.response as { viewerId: number };
    const sender = answer.viewerId;
    const coins = -(gift.postings.find((p) => p.account === other)?.amount ?? 0);
    expect(messages).toContain(
      `${gift.opId} was acknowledged with coins ${coins} from viewer ${sender} but journaled viewer:${sender} COIN 0`,
    );
    expect(messages.some((m) => m.startsWith(`${purchase.opId} was acknowledged with coins `))).toBe(true);
    // The journal sound, an answer stating a balance it never had after that entry (read before the
    // write, as a lost update's is): the client was shown a state no serial order of the journal gives.
    const stale = acks.map((a) => ({ ...a }));
    const i = stale.findIndex((a) => a.opId === gift.opId && a.status === 201);
    const shown = stale[i].response as { balance: { coins: number }; coins: number };
    stale[i] = { ...stale[i], response: { ...shown, balance: { coins: shown.balance.coins + shown.coins } } };
    const staleReport = await runAudit({
      journalFile: join(dir, 'figures.jsonl'),
      acksFile: write('figures-stale-acks.jsonl', jsonl(stale)),
    });
    expect(staleReport.result.violations.map((v) => [v.invariant, v.opId])).toEqual([[7, gift.opId]]);
    expect(staleReport.result.violations[0].message).toBe(
      `${gift.opId} was answered with balance.coins ${shown.balance.coins + shown.coins} but the journal holds viewer:${sender} COIN ${shown.balance.coins} after it`,
    );
    expect(messages.some((m) => m.startsWith(`${withdrawal.opId} was acknowledged with netCents `))).toBe(
      true,
    );
  });

  it('without --acks: clean, saying that invariant 7 was not checked and what would check it', async () => {
    const r = await cli('--target', healthy.url, '--admin-token', healthy.users.adminToken);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/clean: 7 invariants hold over \d+ entries/);
    expect(r.out).toContain('\nnot checked: 7 needs --acks\n');
    // A target states its balances: invariant 3 is checked whole.
    expect(r.out).toMatch(/3 +coins outstanding .* ok \(\d+ entries\)\n/);
    expect(r.out).toMatch(/ {2}balances \d+ stated, compared with the journal\n/);
  });

  it('exit 3 on a target that drops acknowledgements, JUnit failing invariant 7', async () => {
    const acks = await economyLoad(faulty.url, faulty.users);
    const junit = join(dir, 'drop-ack.xml');
    const r = await cli(
      '--target',
      faulty.url,
      '--admin-token',
      faulty.users.adminToken,
      '--acks',
      write('drop-acks.jsonl', jsonl(acks)),
      '--junit',
      junit,
    );
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/7 +every acknowledged operation .* VIOLATED/);
    expect(r.out).toMatch(/was answered 500 but changed balances/);
    expect(readFileSync(junit, 'utf8')).toMatch(/name="7 every acknowledged[^"]*"[^>]*>\s*<failure/);
  });

  it('on localhost, the admin token comes from runs/users-<port>.json by default, as for load and replay', async () => {
    const cwd = join(dir, 'default-users');
    const port = new URL(healthy.url).port;
    writeUsersFile(join(cwd, 'runs', `users-${port}.json`), healthy.url, healthy.users);
    const c = captureIo(cwd);
    expect(await main(['audit', '--target', `http://localhost:${port}`], c.io), c.err()).toBe(0);
    expect(c.err()).toBe(
      `giftlab audit: admin token from runs/users-${port}.json (giftlab serve's users file for this port)\n`,
    );
    expect(c.out()).toMatch(/clean: 7 invariants hold/);
    const elsewhere = captureIo(dir);
    expect(await main(['audit', '--target', healthy.url], elsewhere.io)).toBe(2);
    expect(elsewhere.err()).toContain('--admin-token: expected a token the target accepts');
  });

  it("another server's users file is blamed as --users, not --admin-token", async () => {
    const other = join(dir, 'users-other.json');
    writeUsersFile(other, healthy.url, { ...healthy.users, adminToken: 'not-this-servers-token' });
    const r = await cli('--users', other);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--users (its admin token): expected a token the target accepts');
  });

  it('a wrong admin token is bad input naming --admin-token', async () => {
    const r = await cli('--target', healthy.url, '--admin-token', healthy.users.viewers[0].token);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--admin-token: expected a token the target accepts for /v1/journal, found 403');
  });

  it('the same economy from a scenario file as from the target (the baseline shipped with serve)', () => {
    expect(testEconomy.channels.length).toBeGreaterThan(0);
    expect(baseline.gifts.length).toBeGreaterThan(0);
  });
});

describe('the violations a report shows', () => {
  const v = (invariant: number, seq: number): Violation => ({
    invariant: invariant as Violation['invariant'],
    seq,
    opId: null,
    accounts: [],
    expected: 0,
    found: 1,
    message: `${invariant}@${seq}`,
  });
  const shown = (list: Violation[], n: number) => shownViolations(list, n).map((x) => x.message);

  it('the first of each invariant violated, then the earliest others, in the order found', () => {
    // A lost update: rounding [4] and overdraft [2] lines everywhere, the stated-balance [3] line late.
    const list = [v(4, 1), v(2, 2), v(4, 3), v(4, 4), v(2, 5), v(4, 6), v(3, 90)];
    expect(shown(list, 5)).toEqual(['4@1', '2@2', '4@3', '4@4', '3@90']);
    expect(shown(list, 2)).toEqual(['4@1', '2@2']);
    expect(shown(list, 10)).toEqual(list.map((x) => x.message));
    expect(shown([], 5)).toEqual([]);
  });
});

describe('violations past the kept list', () => {
  it('the checker counts every violation by invariant, kept or not', () => {
    // Three unbalanced entries (invariant 1) and then a negative viewer balance (2), keeping two only.
    const bad = (seq: number, amount: number) => ({
      seq,
      opId: `x${seq}`,
      kind: 'purchase',
      at: seq,
      postings: [{ account: 'viewer:1', unit: 'COIN', amount }],
    });
    const result = checkJournal([bad(1, 5), bad(2, 5), bad(3, 5), bad(4, -100)], { maxViolations: 2 });
    expect(result.violations).toHaveLength(2);
    expect(result.violations.every((v) => v.invariant === 1)).toBe(true);
    expect(result.violationsBy?.[2]).toBeGreaterThan(0);
    expect(result.violationCount).toBe(
      Object.values(result.violationsBy ?? {}).reduce((a, b) => a + (b ?? 0), 0),
    );
  });

  it('an invariant broken only past the kept list is VIOLATED in the table and fails in JUnit', () => {
    const v = (seq: number): Violation => ({
      invariant: 1,
      seq,
      opId: null,
      accounts: [],
      expected: 0,
      found: 1,
      message: `unbalanced ${seq}`,
    });
    const report: AuditReport = {
      source: 'test',
      economy: 'none',
      result: {
        checked: [1, 2, 3, 6],
        entries: 3000,
        violationCount: 1500,
        violationsBy: { 1: 1200, 2: 300 },
        violations: Array.from({ length: 1000 }, (_, i) => v(i + 1)),
      },
      seen: { entries: 3000, gifts: 0, purchases: 3000, withdrawals: 0, replays: undefined, acks: undefined },
      offenders: [],
      clean: false,
      seconds: 0,
    };
    const table = renderAuditTable(report);
    expect(table).toMatch(/1 +every entry balances .* VIOLATED \(1,200\)/);
    expect(table).toMatch(/2 +no viewer coin balance .* VIOLATED \(300\)/);
    const xml = auditJunit(report);
    expect(xml).toContain('300 violation(s): none kept (the first 1000 kept are of other invariants)');
    // Each failure's detail gives what was expected and found, as the table does (a CI log reads only it).
    expect(xml).toContain('entry 1 (?): unbalanced 1; expected 0, found 1');
  });

  it('on a journal earlier runs wrote to, an invariant over none of this run’s own entries is said so and skipped in JUnit', () => {
    // A review: a load that sent no withdrawals read "8 … ok (9 withdrawals)", and audit-junit.xml passed it.
    const report: AuditReport = {
      source: 'test',
      economy: 'baseline',
      result: {
        checked: [1, 2, 3, 4, 5, 6, 8],
        entries: 40,
        violationCount: 0,
        violationsBy: {},
        violations: [],
      },
      seen: { entries: 40, gifts: 20, purchases: 11, withdrawals: 9, replays: 0, acks: undefined },
      offenders: [],
      clean: true,
      seconds: 0,
    };
    const before = [
      ...Array.from({ length: 9 }, () => ({ kind: 'withdrawal' })),
      ...Array.from({ length: 5 }, () => ({ kind: 'gift' })),
      { kind: 'purchase' },
    ];
    const earlier = entrySubjects(before);
    expect(earlier).toMatchObject({ entries: 15, withdrawals: 9, gifts: 5, purchases: 1 });
    const own = { entries: 25, gifts: 15, purchases: 10, withdrawals: 9 - (earlier.withdrawals ?? 0) };
    expect(idleThisRun(report, own)).toEqual([8]);
    expect(idleThisRunLines(report, own)).toEqual([
      '  invariant 8 held over the 9 withdrawals written before this run only: this run made none',
    ]);
    const xml = auditJunit(report, own);
    expect(xml).toMatch(
      /name="8 withdrawals respect[^"]*"[^>]*>\s*<skipped message="holds only over entries written before this run: it made no withdrawals"/,
    );
    // Without a run's own counts (a plain audit), or when the run made some, it passes as before.
    expect(auditJunit(report)).not.toContain('written before this run');
    expect(idleThisRun(report, { ...own, withdrawals: 1 })).toEqual([]);
    // A violated invariant is never called idle: it fails.
    const broken = { ...report, result: { ...report.result, violationCount: 1, violationsBy: { 8: 1 } } };
    expect(idleThisRun(broken, own)).toEqual([]);
  });

  it("a target's empty journal, without acks, holds invariant 6 vacuously, as 1 to 3", async () => {
    const fresh = await listeningTarget();
    try {
      const report = await runAudit({ target: fresh.url, adminToken: fresh.users.adminToken });
      expect(report.seen.replays).toBe(0);
      const table = renderAuditTable(report);
      expect(table).toMatch(/6 +an operation replayed .* ok, vacuous: no replays/);
      expect(table).toMatch(/1 +every entry balances .* ok, vacuous: no entries/);
      // "clean" says at once how many held over nothing (the vacuous line below names them).
      const checked = report.result.checked.length;
      expect(table).toContain(
        `clean: ${checked} invariants hold over 0 entries (${checked} of them vacuously: nothing of their kind to check)`,
      );
    } finally {
      await fresh.close();
    }
  });
});
