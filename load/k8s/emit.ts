/**
 * `giftlab load --emit-k8s dir`: the run as k6-operator manifests instead of a local k6 process — a
 * ConfigMap with the bundle, the workload, the target profile and the plan; a Secret with the users
 * file (tokens); a TestRun with `parallelism` runners. The operator gives each runner its execution
 * segment, from which the script derives disjoint user and key ranges. Acks go to the runners' logs
 * (`--log-format raw`); see load/k8s/README.md for collecting them and running the audit.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../common/input-error.ts';
import { loadLimits } from '../../common/limits.ts';

export interface K8sRun {
  /** Lower-case DNS label, e.g. `giftlab-baseline-steady`. */
  name: string;
  namespace?: string;
  parallelism: number;
  targetUrl: string;
  runId: string;
  bundle: string;
  workload: string;
  targetProfile: string;
  plan: string;
  users: string;
  /** k6 runner image (default grafana/k6). */
  image?: string;
}

export interface K8sFiles {
  configMap: string;
  secret: string;
  testRun: string;
}

export const MOUNT = { test: '/test', users: '/giftlab-users' } as const;

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
  const meta = (name: string) => ({
    name,
    ...(run.namespace === undefined ? {} : { namespace: run.namespace }),
    labels: { 'app.kubernetes.io/part-of': 'giftlab', 'giftlab/run': run.runId },
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
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(`${run.name}-users`),
    type: 'Opaque',
    stringData: { 'users.json': run.users },
  };
  const env = [
    ['GIFTLAB_WORKLOAD', `${MOUNT.test}/workload.json`],
    ['GIFTLAB_TARGET_PROFILE', `${MOUNT.test}/target-profile.json`],
    ['GIFTLAB_USERS', `${MOUNT.users}/users.json`],
    ['GIFTLAB_TARGET', run.targetUrl],
    ['GIFTLAB_RUN_ID', run.runId],
    ['GIFTLAB_OUT_DIR', '/tmp'],
  ].map(([name, value]) => ({ name, value }));
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: meta(run.name),
    spec: {
      parallelism: run.parallelism,
      script: { configMap: { name: `${run.name}-script`, file: 'giftlab-k6.js' } },
      // Acks are log lines: raw format keeps them parseable in `kubectl logs`.
      arguments: '--log-format raw --no-usage-report',
      separate: false,
      runner: {
        image: run.image ?? 'grafana/k6:latest',
        env,
        volumes: [{ name: 'giftlab-users', secret: { secretName: `${run.name}-users` } }],
        volumeMounts: [{ name: 'giftlab-users', mountPath: MOUNT.users, readOnly: true }],
      },
    },
  };
  const yaml = (doc: unknown) => stringify(doc, { lineWidth: 0 });
  return { configMap: yaml(configMap), secret: yaml(secret), testRun: yaml(testRun) };
}

/** Writes configmap.yaml, secret.yaml and testrun.yaml into `dir`; returns their paths. */
export function writeK8sManifests(dir: string, run: K8sRun): string[] {
  const files = k8sManifests(run);
  mkdirSync(dir, { recursive: true });
  const out: [string, string][] = [
    [join(dir, 'configmap.yaml'), files.configMap],
    [join(dir, 'secret.yaml'), files.secret],
    [join(dir, 'testrun.yaml'), files.testRun],
  ];
  for (const [file, text] of out)
    writeFileSync(file, text, { mode: file.endsWith('secret.yaml') ? 0o600 : 0o644 });
  return out.map(([file]) => file);
}
