/**
 * `giftlab serve`: the reference gifting API on a real database, until SIGTERM or SIGINT (graceful:
 * in-flight requests finish, queued writes commit, the WAL is checkpointed).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../load/target/app.ts';
import { SYNCHRONOUS_MODES, type Synchronous } from '../load/target/db/store.ts';
import { FAULTS, type Fault } from '../load/target/faults.ts';
import { closeOnSignals, listen } from '../load/target/listen.ts';
import { defaultUsersPath, writeUsersFile } from '../load/users-file.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import type { Io } from './commands.ts';
import { InputError, shown } from './errors.ts';
import { OWN_FILES, writableOutputFile } from './output-path.ts';

export interface ServeOptions {
  port?: number;
  host?: string;
  db?: string;
  fault?: string;
  seedUsers?: number;
  usersFile?: string;
  scenario?: string;
  set?: string[];
  synchronous?: string;
}

export interface ServeControl {
  /** Closes the server (tests; the CLI closes on SIGTERM/SIGINT). */
  signal?: AbortSignal;
  onListening?: (url: string) => void;
}

export const DEFAULT_SCENARIO = fileURLToPath(new URL('../scenarios/baseline.yaml', import.meta.url));

export async function serve(options: ServeOptions, io: Io, control: ServeControl = {}): Promise<number> {
  const fault = parseFault(options.fault);
  const synchronous = parseSynchronous(options.synchronous);
  const host = parseHost(options.host);
  // Checked before the server listens and seeds: a users file it cannot write left a listening server
  // behind an 'internal error' that never exited.
  const seeding = options.seedUsers !== undefined && options.seedUsers > 0;
  // Only seeding writes a users file: without it the flag did nothing, and said nothing.
  if (options.usersFile !== undefined && !seeding)
    throw new InputError({
      field: '--users-file',
      expected: '--seed-users n with it (a users file is written only when users are seeded)',
      found: options.seedUsers === undefined ? 'no --seed-users' : `--seed-users ${options.seedUsers}`,
    });
  const scenarioFile = options.scenario === undefined ? DEFAULT_SCENARIO : resolve(io.cwd, options.scenario);
  if (options.usersFile !== undefined)
    writableOutputFile('--users-file', options.usersFile, io.cwd, {
      ...OWN_FILES.users,
      inputs: [scenarioFile],
    });
  const scenario = loadScenarioFile(scenarioFile, { sets: options.set, field: '--scenario' });
  const db = parseDb(options.db, io.cwd);
  const app = openApp(() =>
    // The --sets are part of what it serves: a load's or replay's mismatch names them (it said "serves
    // baseline, the run used baseline" of a target serving baseline with another creator share).
    buildApp({
      economy: scenario.economy,
      scenarioName: servedName(scenario.name, options.set),
      db,
      synchronous,
      fault,
    }),
  );
  const url = await listenOrExplain(app, options.port ?? 8080, host);
  const shutdown = closeOnSignals(app);
  control.signal?.addEventListener('abort', () => shutdown.close(), { once: true });
  // Paths to paste: relative inside the working directory, else absolute.
  const show = (path: string) => {
    const rel = relative(io.cwd, path);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  const lines = [
    `giftlab serve: listening on ${url}`,
    `  economy   ${scenario.name} (${show(scenarioFile)})`,
    `  database  ${db === ':memory:' ? ':memory: (not durable)' : `${show(db)} (WAL, ${DURABILITY[synchronous]}, group commit)`}`,
    `  fault     ${fault ?? 'none'}`,
  ];
  if (seeding) {
    const port = new URL(url).port;
    // One file per port, replaced each time a server seeds users on that port.
    const usersFile = resolve(io.cwd, options.usersFile ?? defaultUsersPath(port));
    try {
      writableOutputFile('--users-file', usersFile, io.cwd, { ...OWN_FILES.users, inputs: [scenarioFile] });
      writeUsersFile(usersFile, url, app.target.seedUsers(options.seedUsers as number));
    } catch (error) {
      shutdown.close();
      await shutdown.closed;
      if (error instanceof InputError) throw error;
      throw new InputError({
        field: '--users-file',
        expected: 'a file to write',
        found: `${show(usersFile)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      });
    }
    lines.push(
      `  users     ${show(usersFile)} (${options.seedUsers} viewers, ${options.seedUsers} creators, admin token)`,
    );
  } else {
    lines.push('  users     none seeded now (--seed-users n writes a users file with tokens)');
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  control.onListening?.(url);
  const how = await shutdown.closed;
  shutdown.dispose();
  // An in-memory database has no WAL to checkpoint: its ledger is gone with the process.
  const after = db === ':memory:' ? '; the :memory: ledger is gone' : '; WAL checkpointed';
  io.stdout.write(`giftlab serve: closed${how === 'closed' ? '' : ` on ${how}`}${after}\n`);
  return 0;
}

function parseFault(text: string | undefined): Fault | undefined {
  if (text === undefined || text === 'none') return undefined;
  if ((FAULTS as readonly string[]).includes(text)) return text as Fault;
  throw new InputError({
    field: '--fault',
    expected: `one of none, ${FAULTS.join(', ')}`,
    found: shown(text),
  });
}

/** Node listens on every interface for an empty host: a blank `--host` is a mistake, not a choice. */
function parseHost(text: string | undefined): string {
  if (text === undefined) return '127.0.0.1';
  if (text.trim() !== '') return text;
  throw new InputError({
    field: '--host',
    expected: 'an address to listen on (e.g. 127.0.0.1)',
    found: text === '' ? 'an empty string' : `only whitespace (${shown(text)})`,
  });
}

function parseSynchronous(text: string | undefined): Synchronous {
  const value = (text ?? 'normal').toUpperCase().replace('-', '_');
  if ((SYNCHRONOUS_MODES as readonly string[]).includes(value)) return value as Synchronous;
  throw new InputError({
    field: '--synchronous',
    expected: 'normal, full or sqlite-full',
    found: shown(text),
  });
}

/** How the banner states the durability setting. */
const DURABILITY: Record<Synchronous, string> = {
  NORMAL: 'synchronous=NORMAL',
  FULL: 'synchronous=NORMAL + WAL fdatasync before each answer',
  SQLITE_FULL: 'synchronous=FULL',
};

/**
 * The database file: its folder is made when missing (as `--out` and the users file's are), so that
 * `--db runs/target.db` works in a fresh clone.
 */
function parseDb(text: string | undefined, cwd: string): string {
  if (text === undefined || text === ':memory:') return ':memory:';
  const path = resolve(cwd, text);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new InputError({ field: '--db', expected: 'a file, not a folder', found: shown(text) });
  }
  writableOutputFile('--db', text, cwd, OWN_FILES.db);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

function openApp<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY') {
      throw new InputError({
        field: '--db',
        expected: 'a database no other server has open (one server a database)',
        found: `${(error as Error).message}: another process holds it`,
      });
    }
    if (code.startsWith('SQLITE_')) {
      const message = (error as Error).message;
      throw new InputError({
        field: '--db',
        expected: 'a giftlab SQLite database (or a new file)',
        found: message,
      });
    }
    throw error;
  }
}

async function listenOrExplain(
  app: ReturnType<typeof buildApp>,
  port: number,
  host: string,
): Promise<string> {
  try {
    return await listen(app, { port, host });
  } catch (error) {
    await app.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      throw new InputError({
        field: '--port',
        expected: 'a free port',
        found: `${port} is in use on ${host}`,
      });
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') {
      throw new InputError({
        field: '--host',
        expected: 'an address of this machine',
        found: `${host} (${code})`,
      });
    }
    throw error;
  }
}

/** The scenario's name as the target publishes it: with the `--set`s it was served with, if any. */
function servedName(name: string, sets: readonly string[] | undefined): string {
  return sets === undefined || sets.length === 0
    ? name
    : `${name} with ${sets.map((s) => `--set ${s}`).join(' ')}`;
}
