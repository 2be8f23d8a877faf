/**
 * `giftlab load --emit-k8s dir`: the run as k6-operator manifests instead of a local k6 process —
 *
 * - `configmap.yaml`: the bundle, the workload, the target profile and the plan (one ConfigMap, ≤ 1 MiB);
 * - `secret.yaml`: the users file split over as many Secrets as it takes, each well under Kubernetes'
 *   1 MiB (100,000 users are about 17 MB of tokens), projected together into one folder;
 * - `pvc.yaml`: a ReadWriteMany claim the runners write their outputs to — k6's log with the acks,
 *   summary.json, junit.xml and report.html, each file prefixed with the runner's pod name;
 * - `testrun.yaml`: a TestRun with `parallelism` runners on the k6 image giftlab is tested with.
 *
 * The operator gives each runner its execution segment, from which the script derives disjoint user and
 * key ranges. Names are checked as Kubernetes checks them (DNS-1123) before anything is written. See
 * load/k8s/README.md for applying, collecting and auditing.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { InputError, shown } from '../../common/input-error.ts';
import { loadLimits } from '../../common/limits.ts';
import { K6_TESTED_VERSION } from '../bundle/k6.ts';

/** The runners' output claim (ReadWriteMany: runners may run on several nodes). */
export const OUTPUT_STORAGE = '1Gi';

export const MOUNT = {
  test: '/test',
  users: '/giftlab-users',
  streams: '/giftlab-streams',
  out: '/giftlab-out',
} as const;

export interface K8sRun {
  /** A DNS-1123 label (`k8sName` makes one from a scenario and profile). */
  name: string;
  namespace?: string;
  parallelism: number;
  targetUrl: string;
  runId: string;
  bundle: string;
  workload: string;
  targetProfile: string;
  plan: string;
  /** The users file's text (`{ target?, viewers, creators, adminToken }`). */
  users: string;
  /** The economy profiles' request streams, instance by instance (`load/plan/streams.ts`). */
  streams?: readonly unknown[];
  /** k6 runner image (default the tested k6 version's). */
  image?: string;
}

export interface K8sFiles {
  configMap: string;
  secret: string;
  pvc: string;
  testRun: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Bad input unless `value` is a DNS-1123 label of at most `max` characters, as Kubernetes requires. */
export function checkDnsLabel(field: string, value: string, max = 63): void {
  if (value.length <= max && DNS1123_LABEL.test(value)) return;
  throw new InputError({
    field,
    expected: `a DNS-1123 label: at most ${max} lower-case letters, digits and '-', starting and ending with a letter or digit`,
    found: shown(value),
  });
}

/** `giftlab-<scenario>-<profile>`: lower case, other characters as '-', the scenario cut to fit loadLimits.k8sNameLengthMax. */
export function k8sName(scenario: string, profile: string): string {
  const clean = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const tail = clean(profile);
  const room = loadLimits.k8sNameLengthMax - 'giftlab-'.length - tail.length - 1;
  const middle = clean(clean(scenario).slice(0, Math.max(0, room)));
  return ['giftlab', middle, tail].filter((part) => part !== '').join('-');
}

export function k8sManifests(run: K8sRun): K8sFiles {
  if (
    !Number.isSafeInteger(run.parallelism) ||
    run.parallelism < 1 ||
    run.parallelism > loadLimits.k8sParallelismMax
  ) {
    throw new InputError({
      field: '--parallelism',
      expected: `1 to ${loadLimits.k8sParallelismMax}`,
      found: String(run.parallelism),
    });
  }
  checkDnsLabel('name', run.name, loadLimits.k8sNameLengthMax);
  if (run.namespace !== undefined) checkDnsLabel('--namespace', run.namespace);
  const meta = (name: string) => ({
    name,
    ...(run.namespace === undefined ? {} : { namespace: run.namespace }),
    labels: { 'app.kubernetes.io/part-of': 'giftlab', 'giftlab/run': labelValue(run.runId) },
  });
  const data = {
    'giftlab-k6.js': run.bundle,
    'workload.json': run.workload,
    'target-profile.json': run.targetProfile,
    'plan.json': run.plan,
  };
  const bytes = Object.values(data).reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (bytes > loadLimits.configMapBytesMax) {
    throw new InputError({
      field: '--emit-k8s',
      expected: `bundle, workload, profile and plan under ${loadLimits.configMapBytesMax} bytes (a ConfigMap's limit)`,
      found: `${bytes} bytes`,
    });
  }
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${run.name}-script`), data };
  const parts = splitUsers(run.users, loadLimits.k8sPartBytesMax);
  const secrets = parts.map((text, i) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(`${run.name}-users-${i}`),
    type: 'Opaque',
    stringData: { [usersKey(i)]: text },
  }));
  const streamParts = run.streams === undefined ? [] : splitArray(run.streams, loadLimits.k8sPartBytesMax);
  const streamMaps = streamParts.map((text, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(`${run.name}-streams-${i}`),
    data: { [partKey('streams', i)]: text },
  }));
  const pvc = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(`${run.name}-out`),
    spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: OUTPUT_STORAGE } } },
  };
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: meta(run.name),
    spec: {
      parallelism: run.parallelism,
      script: { configMap: { name: `${run.name}-script`, file: 'giftlab-k6.js' } },
      // Acks are log lines; each runner's log goes to the claim under its pod's name ($(POD_NAME) is
      // expanded by the kubelet in the container's command). The operator keeps k6's REST API on 6565.
      arguments: `--log-format raw --no-usage-report --log-output file=${MOUNT.out}/$(POD_NAME)-k6.log`,
      separate: false,
      runner: {
        image: run.image ?? `grafana/k6:${K6_TESTED_VERSION}`,
        env: runnerEnv(run, parts.length, streamParts.length),
        volumes: [
          ...(streamParts.length === 0
            ? []
            : [
                {
                  name: 'giftlab-streams',
                  projected: {
                    sources: streamParts.map((_, i) => ({
                      configMap: {
                        name: `${run.name}-streams-${i}`,
                        items: [{ key: partKey('streams', i), path: partKey('streams', i) }],
                      },
                    })),
                  },
                },
              ]),
          {
            name: 'giftlab-users',
            projected: {
              sources: parts.map((_, i) => ({
                secret: { name: `${run.name}-users-${i}`, items: [{ key: usersKey(i), path: usersKey(i) }] },
              })),
            },
          },
          { name: 'giftlab-out', persistentVolumeClaim: { claimName: `${run.name}-out` } },
        ],
        volumeMounts: [
          ...(streamParts.length === 0
            ? []
            : [{ name: 'giftlab-streams', mountPath: MOUNT.streams, readOnly: true }]),
          { name: 'giftlab-users', mountPath: MOUNT.users, readOnly: true },
          { name: 'giftlab-out', mountPath: MOUNT.out },
        ],
      },
    },
  };
  const yaml = (doc: unknown) => stringify(doc, { lineWidth: 0 });
  return {
    configMap: [configMap, ...streamMaps].map(yaml).join('---\n'),
    secret: secrets.map(yaml).join('---\n'),
    pvc: yaml(pvc),
    testRun: yaml(testRun),
  };
}

function runnerEnv(
  run: K8sRun,
  parts: number,
  streamParts: number,
): { name: string; value?: string; valueFrom?: unknown }[] {
  const users = Array.from({ length: parts }, (_, i) => `${MOUNT.users}/${usersKey(i)}`).join(',');
  const streams = Array.from({ length: streamParts }, (_, i) => `${MOUNT.streams}/${partKey('streams', i)}`);
  return [
    // First: the values below refer to it.
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ...[
      ['GIFTLAB_WORKLOAD', `${MOUNT.test}/workload.json`],
      ['GIFTLAB_TARGET_PROFILE', `${MOUNT.test}/target-profile.json`],
      ['GIFTLAB_USERS', users],
      ['GIFTLAB_TARGET', run.targetUrl],
      ['GIFTLAB_RUN_ID', run.runId],
      ...(streams.length === 0 ? [] : [['GIFTLAB_STREAMS', streams.join(',')]]),
      ['GIFTLAB_OUT_DIR', MOUNT.out],
      ['GIFTLAB_OUT_PREFIX', '$(POD_NAME)-'],
      ['K6_WEB_DASHBOARD', 'true'],
      ['K6_WEB_DASHBOARD_PORT', '-1'],
      ['K6_WEB_DASHBOARD_EXPORT', `${MOUNT.out}/$(POD_NAME)-report.html`],
    ].map(([name, value]) => ({ name, value })),
  ];
}

function usersKey(i: number): string {
  return partKey('users', i);
}

function partKey(what: string, i: number): string {
  return `${what}-${i}.json`;
}

/** A JSON array as parts of at most `bytesMax` bytes each (whole elements), each a JSON array. */
export function splitArray(items: readonly unknown[], bytesMax: number): string[] {
  const parts: string[] = [];
  let part: string[] = [];
  let bytes = 3;
  for (const item of items) {
    const text = JSON.stringify(item);
    const size = Buffer.byteLength(text) + 1;
    if (3 + size > bytesMax) {
      throw new InputError({
        field: '--emit-k8s',
        expected: `each VU's stream under ${bytesMax} bytes (fewer arrivals, or more VUs)`,
        found: `${size} bytes`,
      });
    }
    if (bytes + size > bytesMax) {
      parts.push(`[${part.join(',')}]\n`);
      part = [];
      bytes = 3;
    }
    part.push(text);
    bytes += size;
  }
  parts.push(`[${part.join(',')}]\n`);
  return parts;
}

/** A label value: at most 63 characters of letters, digits, '-', '_' and '.', alphanumeric at both ends. */
function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/**
 * The users file as parts of at most `bytesMax` bytes each, in order: each part a users file of its own
 * (`{ target, viewers, creators, adminToken }`) holding a run of the viewers, then of the creators; the
 * script concatenates them in order. One part when everything fits.
 */
export function splitUsers(text: string, bytesMax: number): string[] {
  const users = JSON.parse(text) as {
    target?: string;
    viewers: unknown[];
    creators: unknown[];
    adminToken: string;
  };
  const head = {
    ...(users.target === undefined ? {} : { target: users.target }),
    adminToken: users.adminToken,
  };
  const frame = Buffer.byteLength(JSON.stringify({ ...head, viewers: [], creators: [] })) + 1;
  const parts: { viewers: unknown[]; creators: unknown[] }[] = [];
  let part = { viewers: [] as unknown[], creators: [] as unknown[] };
  let bytes = frame;
  const add = (family: 'viewers' | 'creators', user: unknown) => {
    const size = Buffer.byteLength(JSON.stringify(user)) + 1;
    if (frame + size > bytesMax) {
      throw new InputError({
        field: '--users',
        expected: `users of at most ${bytesMax - frame} bytes each`,
        found: `${size} bytes`,
      });
    }
    if (bytes + size > bytesMax) {
      parts.push(part);
      part = { viewers: [], creators: [] };
      bytes = frame;
    }
    part[family].push(user);
    bytes += size;
  };
  for (const v of users.viewers) add('viewers', v);
  for (const c of users.creators) add('creators', c);
  parts.push(part);
  return parts.map((p) => `${JSON.stringify({ ...head, viewers: p.viewers, creators: p.creators })}\n`);
}

/** The files `--emit-k8s` writes, in this order. */
export const K8S_FILES = ['configmap.yaml', 'secret.yaml', 'pvc.yaml', 'testrun.yaml'] as const;

/** Writes K8S_FILES into `dir`; returns their paths. */
export function writeK8sManifests(dir: string, run: K8sRun): string[] {
  const files = k8sManifests(run);
  mkdirSync(dir, { recursive: true });
  const texts = [files.configMap, files.secret, files.pvc, files.testRun];
  const out: [string, string][] = K8S_FILES.map((name, i) => [join(dir, name), texts[i]]);
  for (const [file, text] of out)
    writeFileSync(file, text, { mode: file.endsWith('secret.yaml') ? 0o600 : 0o644 });
  return out.map(([file]) => file);
}
