/**
 * `giftlab audit`: reconcile a target's ledger (or an exported journal) — invariants, stated balances,
 * acknowledged operations. Exit 0 clean, 3 on a violation, 2 when the target or a file cannot be read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { runAudit } from '../load/audit/audit.ts';
import { auditJunit, notCheckedSummary, renderAuditTable } from '../load/audit/report.ts';
import { usersFileFor } from '../load/users-file.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError } from './errors.ts';
import { OWN_FILES, writableOutputFile } from './output-path.ts';

export interface AuditCliOptions {
  target?: string;
  adminToken?: string;
  users?: string;
  acks?: string;
  journal?: string;
  scenario?: string;
  set?: string[];
  junit?: string;
  unackedOk?: string[];
  /** Fail unless every invariant was checked (CI: a missing input is not a pass). */
  strict?: boolean;
}

export async function audit(options: AuditCliOptions, io: Io, fetchFn?: typeof fetch): Promise<number> {
  const junit =
    options.junit === undefined
      ? undefined
      : writableOutputFile('--junit', options.junit, io.cwd, OWN_FILES.junit);
  // The users file gives the admin token (and the target): by default only when neither is given otherwise.
  const tokenGiven = options.adminToken !== undefined || io.env.GIFTLAB_ADMIN_TOKEN !== undefined;
  const found =
    options.users !== undefined || (!tokenGiven && options.journal === undefined)
      ? usersFileFor(options.users, options.target, io.cwd, options.users !== undefined)
      : undefined;
  const users = found?.users;
  if (found?.defaulted)
    io.stderr.write(
      `giftlab audit: admin token from ${found.shownAs} (giftlab serve's users file for this port)\n`,
    );
  const target = options.target ?? (options.journal === undefined ? users?.target : undefined);
  const adminToken = options.adminToken ?? io.env.GIFTLAB_ADMIN_TOKEN ?? users?.adminToken;
  // A refused token is blamed on where it came from.
  const adminTokenFrom =
    options.adminToken !== undefined
      ? '--admin-token'
      : io.env.GIFTLAB_ADMIN_TOKEN !== undefined
        ? 'GIFTLAB_ADMIN_TOKEN'
        : found !== undefined
          ? `${options.users === undefined ? found.shownAs : '--users'} (its admin token)`
          : '--admin-token';
  // A --set changes a scenario; without one the economy is the target's (or none), and the --set was
  // dropped silently: `--set payout.creatorShare=0.6` audited against the target's own 0.5, clean.
  if (options.scenario === undefined && (options.set?.length ?? 0) > 0)
    throw new InputError({
      field: '--set',
      expected: "a --scenario for it to change (the target's GET /v1/economy is not changed by --set)",
      found: `--set ${(options.set ?? []).join(' --set ')} without --scenario`,
    });
  const scenarioFile = options.scenario === undefined ? undefined : resolve(io.cwd, options.scenario);
  const economy =
    scenarioFile === undefined
      ? undefined
      : loadScenarioFile(scenarioFile, { sets: options.set, field: '--scenario' }).economy;
  const report = await runAudit({
    target,
    adminToken,
    adminTokenFrom,
    journalFile: options.journal === undefined ? undefined : resolve(io.cwd, options.journal),
    acksFile: options.acks === undefined ? undefined : resolve(io.cwd, options.acks),
    economy,
    economyLabel: options.scenario,
    unackedOk: options.unackedOk,
    fetch: fetchFn,
  });
  io.stdout.write(renderAuditTable(report));
  if (junit !== undefined) {
    try {
      mkdirSync(dirname(junit), { recursive: true });
      writeFileSync(junit, auditJunit(report));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unwritable';
      throw new InputError({
        field: '--junit',
        expected: 'a writable file',
        found: `${options.junit}: ${code}`,
      });
    }
    io.stderr.write(`giftlab audit: JUnit written to ${options.junit}\n`);
  }
  const unchecked = notCheckedSummary(report.result.checked);
  if (report.clean && options.strict === true && unchecked !== undefined)
    throw new ExitError(
      `--strict: not every invariant was checked (${unchecked}); the ones checked hold`,
      EXIT.violation,
    );
  if (report.clean) return EXIT.ok;
  // A closing line on stderr, as every other failing command ends: a CI log shows why it went red.
  const by = report.result.violationsBy ?? {};
  const counted = Object.entries(by)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([id, n]) => `invariant ${id} ×${n}`);
  const n = report.result.violationCount;
  throw new ExitError(
    `the audit found ${n.toLocaleString('en-US')} violation${n === 1 ? '' : 's'}${counted.length > 0 ? ` (${counted.join(', ')})` : ''}: the table above lists them${junit === undefined ? '' : `, and ${options.junit}`}`,
    EXIT.violation,
  );
}
