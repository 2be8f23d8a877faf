/**
 * The shipped Indexed Job manifest and Dockerfile, checked by reading them (Docker and Kubernetes do
 * not run here) — and the manifest's shell lines run for real: each pod's `giftlab` command line is
 * captured with JOB_COMPLETION_INDEX set as the Job controller sets it, then run in-process on a tiny
 * population, and the merge step's output compared with the unsharded sweep's.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { giftlab, read, TINY, tempDir } from './support.ts';

const MANIFEST = 'experiments/sweep/k8s/sweep-job.yaml';
const dir = tempDir('k8s');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  restartPolicy: string;
  containers: Container[];
  initContainers?: Container[];
  volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: { spec: PodSpec };
  };
}

const docs = parseAllDocuments(readFileSync(MANIFEST, 'utf8')).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as K8sObject;
});
const pvc = docs.find((d) => d.kind === 'PersistentVolumeClaim') as K8sObject;
const jobs = docs.filter((d) => d.kind === 'Job');
const shardJob = jobs.find((j) => j.spec.completionMode === 'Indexed') as K8sObject;
const mergeJob = jobs.find((j) => j !== shardJob) as K8sObject;
const env = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;

/** The folder a container mounts the claim at. */
function mountOfClaim(pod: PodSpec, c: Container): string | undefined {
  const volume = pod.volumes.find((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name);
  return c.volumeMounts?.find((m) => m.name === volume?.name)?.mountPath;
}

describe('the Indexed Job manifest', () => {
  it('is a claim, an Indexed Job of n shards and a merge Job', () => {
    expect(docs.map((d) => d.kind)).toEqual(['PersistentVolumeClaim', 'Job', 'Job']);
    expect(shardJob.apiVersion).toBe('batch/v1');
    const n = shardJob.spec.completions as number;
    expect(n).toBeGreaterThan(1);
    expect(shardJob.spec.parallelism).toBe(n);
    const pod = shardJob.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    const c = pod.containers[0];
    expect(Number(env(c, 'SHARDS'))).toBe(n);
    const script = c.args?.join(' ') ?? '';
    expect(script).toContain('giftlab sweep');
    expect(script).toMatch(/--shard "\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\/\$\{SHARDS\}"/);
    expect(mountOfClaim(pod, c)).toBe('/data');
    expect(script).toContain('--out "/data/shards/');
  });

  it('merges from the same volume once every shard is there', () => {
    const pod = mergeJob.spec.template.spec;
    const wait = pod.initContainers?.[0] as Container;
    const merge = pod.containers[0];
    expect(Number(env(wait, 'SHARDS'))).toBe(shardJob.spec.completions);
    expect(wait.args?.join(' ')).toContain('/data/shards/*/shard.json');
    expect(merge.command).toBeUndefined(); // the image's entrypoint: giftlab
    expect(merge.args?.slice(0, 2)).toEqual(['merge', '/data/shards']);
    expect(merge.args).toContain('--out');
    expect(mountOfClaim(pod, merge)).toBe('/data');
    expect(mountOfClaim(pod, wait)).toBe('/data');
  });

  it("runs: every pod's command line computes its shard, and the merge step equals the unsharded sweep", async () => {
    const data = join(dir, 'data');
    const bin = join(dir, 'bin');
    execFileSync('mkdir', ['-p', bin, join(data, 'shards')]);
    // A stand-in `giftlab` that records the arguments the pod's shell hands it, one per line.
    writeFileSync(join(bin, 'giftlab'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_FILE"\n');
    chmodSync(join(bin, 'giftlab'), 0o755);
    const c = shardJob.spec.template.spec.containers[0];
    const n = shardJob.spec.completions as number;
    const script = (c.args ?? []).join(' ').replaceAll('/data', data);
    const argvOf = (index: number): string[] => {
      const file = join(dir, `args-${index}`);
      execFileSync(c.command?.[0] ?? 'sh', [...(c.command?.slice(1) ?? []), script], {
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          ARGS_FILE: file,
          JOB_COMPLETION_INDEX: String(index),
          SHARDS: String(env(c, 'SHARDS')),
        },
      });
      return readFileSync(file, 'utf8').trimEnd().split('\n');
    };
    const tiny = [...TINY, '--workers', '1'];
    const argvs = Array.from({ length: n }, (_, k) => argvOf(k));
    for (const [k, argv] of argvs.entries()) {
      expect(argv[0]).toBe('sweep');
      expect(argv[argv.indexOf('--shard') + 1]).toBe(`${k + 1}/${n}`);
      const r = await giftlab([...argv, ...tiny]);
      expect(r.code).toBe(0);
    }
    expect(readdirSync(join(data, 'shards')).sort()).toEqual(
      Array.from({ length: n }, (_, k) => `shard-${k + 1}-of-${n}`).sort(),
    );

    // The init container's wait loop ends at once when all shards are present.
    const wait = mergeJob.spec.template.spec.initContainers?.[0] as Container;
    execFileSync('sh', ['-c', (wait.args ?? []).join(' ').replaceAll('/data', data)], {
      env: { PATH: process.env.PATH, SHARDS: String(n) },
      timeout: 5000,
    });

    const merge = mergeJob.spec.template.spec.containers[0];
    const mergeArgs = (merge.args ?? []).map((a) => a.replaceAll('/data', data));
    const merged = await giftlab(mergeArgs);
    expect(merged.code).toBe(0);
    const out = mergeArgs[mergeArgs.indexOf('--out') + 1];

    // The same sweep, unsharded.
    const argv = argvs[0];
    const unsharded = argv.filter(
      (_, i) => !['--shard', '--out'].includes(argv[i]) && !['--shard', '--out'].includes(argv[i - 1]),
    );
    const whole = join(dir, 'whole');
    expect((await giftlab([...unsharded, ...tiny, '--out', whole])).code).toBe(0);
    for (const f of ['sweep.csv', 'points.csv', 'replications.csv', 'report.html'])
      expect(read(out, f), f).toBe(read(whole, f));
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const lines = dockerfile.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));

  it('is a small Node 20 image that installs with npm ci and runs giftlab', () => {
    const froms = lines.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^FROM node:20-[a-z]+-slim\b|^FROM node:20-alpine\b/);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(dockerfile).toContain('COPY package.json package-lock.json');
    expect(lines.find((l) => l.startsWith('ENTRYPOINT'))).toBe('ENTRYPOINT ["giftlab"]');
    expect(dockerfile).toMatch(/ln -s \/app\/bin\/giftlab\.js \/usr\/local\/bin\/giftlab/);
    expect(lines.find((l) => l.startsWith('USER'))).toBe('USER node');
  });

  it('copies every source folder the CLI needs, and those import only runtime dependencies', () => {
    const copied = lines
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from'))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    const runtime = ['bin', 'cli', 'common', 'sim', 'experiments', 'scenarios', 'reports', 'load'];
    for (const folder of runtime) expect(copied).toContain(folder);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    const offenders: string[] = [];
    const seen = new Set<string>();
    for (const file of runtime.flatMap((f) => sourceFiles(f))) {
      if (file.startsWith('load/k6/')) continue; // bundled for k6, which provides k6/* itself
      for (const name of importedPackages(readFileSync(file, 'utf8'))) {
        seen.add(name);
        if (!(name in pkg.dependencies)) offenders.push(`${file}: ${name}`);
      }
    }
    for (const name of ['commander', 'tsx', 'vega', 'vega-lite', 'zod', 'seedrandom', 'csv-stringify'])
      expect(seen).toContain(name);
    expect(offenders).toEqual([]);
  });

  it('leaves local state out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['.git', 'node_modules', 'runs', 'load/dist']) expect(ignored).toContain(entry);
    expect(existsSync('package-lock.json')).toBe(true);
  });
});

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mjs|js)$/.test(e.name))
    .map((e) => relative('.', join(e.parentPath, e.name)));
}

/** Packages a file imports at run time (type-only imports and node: builtins aside). */
function importedPackages(text: string): string[] {
  const names = new Set<string>();
  const patterns = [
    /(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^'"]*?from\s+'([^']+)'/g,
    /import\('([^']+)'\)/g,
    /(?:^|\n)\s*import\s+'([^']+)'/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const spec = m[1];
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return [...names];
}
