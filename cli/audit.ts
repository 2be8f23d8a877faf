/**
 * `giftlab audit`: reconcile a target's ledger (or an exported journal) — invariants, stated balances,
 * acknowledged operations. Exit 0 clean, 3 on a violation, 2 when the target or a file cannot be read.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { runAudit } from '../load/audit/audit.ts';
import { auditJunit, renderAuditTable } from '../load/audit/report.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import type { Io } from './commands.ts';
import { EXIT, InputError, shown } from './errors.ts';
import { writableOutputFile } from './output-path.ts';

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
}

export async function audit(options: AuditCliOptions, io: Io, fetchFn?: typeof fetch): Promise<number> {
  const junit =
    options.junit === undefined ? undefined : writableOutputFile('--junit', options.junit, io.cwd);
  const usersFile = options.users ?? defaultUsersFile(options, io);
  const users = usersFile === undefined ? undefined : readUsers(resolve(io.cwd, usersFile));
  if (usersFile !== undefined && options.users === undefined)
    io.stderr.write(
      `giftlab audit: admin token from ${usersFile} (giftlab serve's users file for this port)\n`,
    );
  const target = options.target ?? (options.journal === undefined ? users?.target : undefined);
  const adminToken = options.adminToken ?? io.env.GIFTLAB_ADMIN_TOKEN ?? users?.adminToken;
  const scenarioFile = options.scenario === undefined ? undefined : resolve(io.cwd, options.scenario);
  const economy =
    scenarioFile === undefined ? undefined : loadScenarioFile(scenarioFile, { sets: options.set }).economy;
  const report = await runAudit({
    target,
    adminToken,
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
  return report.clean ? EXIT.ok : EXIT.violation;
}

/**
 * `runs/users-<port>.json`, as load and replay default to, when no admin token is given, --target is
 * a localhost URL with a port, and giftlab serve wrote that file here; else undefined.
 */
function defaultUsersFile(options: AuditCliOptions, io: Io): string | undefined {
  if (options.adminToken !== undefined || io.env.GIFTLAB_ADMIN_TOKEN !== undefined) return undefined;
  if (options.target === undefined || options.journal !== undefined) return undefined;
  let url: URL;
  try {
    url = new URL(options.target);
  } catch {
    return undefined; // the target's own check names the flag
  }
  const local = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\./.test(url.hostname);
  const file = `runs/users-${url.port}.json`;
  return local && url.port !== '' && existsSync(resolve(io.cwd, file)) ? file : undefined;
}

function readUsers(path: string): { target?: string; adminToken?: string } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const found = code === 'ENOENT' ? 'no such file' : (error as Error).message.split('\n')[0];
    throw new InputError({
      field: '--users',
      expected: 'a users file written by giftlab serve',
      found: `${path}: ${found}`,
    });
  }
  const u = value as { target?: unknown; adminToken?: unknown };
  if (typeof u !== 'object' || u === null || typeof u.adminToken !== 'string') {
    throw new InputError({
      field: '--users',
      expected: 'a JSON object with adminToken',
      found: shown(value),
    });
  }
  return { target: typeof u.target === 'string' ? u.target : undefined, adminToken: u.adminToken };
}
