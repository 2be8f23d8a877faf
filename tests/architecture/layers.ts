/**
 * The rooms of the repository, lowest first. A module may import from its own room and from rooms
 * below it, never from a room above: data flows one way (scenario → model → engine → ledger → checker
 * → report; scenario → plan → k6 → target → journal → audit). ARCHITECTURE.md explains each room.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const LAYERS = [
  {
    room: 'common',
    holds: 'plumbing every room may use: assertions, bad-input errors, zod problems, limits',
  },
  {
    room: 'sim',
    holds:
      'the core: economy rules, the operation kernel, ledger, invariants, KPI catalogue, agent model, engine',
  },
  { room: 'scenarios', holds: 'scenario files, their schema and loader, the scenario → model translation' },
  { room: 'experiments', holds: 'replications, worker pool, sweeps, shards, the operation log' },
  { room: 'reports', holds: 'CSV writers, the HTML report and its charts, comparisons, JUnit' },
  { room: 'load', holds: 'workload plans, k6 scripts, the reference target API, audit, replay' },
  { room: 'cli', holds: 'the giftlab command, one thin file per subcommand' },
  { room: 'bin', holds: 'the executable entry point' },
] as const;

const RANK = new Map<string, number>(LAYERS.map((l, i) => [l.room, i]));

export interface UpwardImport {
  file: string;
  imports: string;
  why: string;
}

const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Relative imports of `source` (a file at `file`, repository-relative) that reach a room above its own. */
export function upwardImports(file: string, source: string): UpwardImport[] {
  const own = RANK.get(file.split('/')[0]);
  if (own === undefined) return [];
  const found: UpwardImport[] = [];
  for (const m of source.matchAll(IMPORT)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]));
    const room = target.split('/')[0];
    const rank = RANK.get(room);
    if (rank === undefined) {
      found.push({ file, imports: target, why: `outside every room (${room})` });
    } else if (rank > own) {
      found.push({ file, imports: target, why: `${room} is above ${file.split('/')[0]}` });
    }
  }
  return found;
}

/** Every upward import among these repository-relative files. */
export function checkLayers(files: readonly string[], root: string): UpwardImport[] {
  return files.flatMap((f) => upwardImports(f, readFileSync(path.join(root, f), 'utf8')));
}
