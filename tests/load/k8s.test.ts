/** k6-operator manifests: YAML documents of the right kinds that point at each other. */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { InputError } from '../../common/input-error.ts';
import { loadLimits } from '../../common/limits.ts';
import { k8sManifests, writeK8sManifests } from '../../load/k8s/emit.ts';
import { tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

const run = {
  name: 'giftlab-baseline-steady',
  namespace: 'load',
  parallelism: 4,
  targetUrl: 'http://gifting.default.svc:8080',
  runId: 'baseline.steady.1',
  bundle: 'export const options = {};\n',
  workload: '{"profile":"steady"}',
  targetProfile: '{"name":"reference"}',
  plan: '{"version":1}',
  users: '{"viewers":[],"creators":[],"adminToken":"x"}',
};

describe('k6-operator manifests', () => {
  it('are a ConfigMap, a Secret and a TestRun with the parallelism asked for', () => {
    const files = writeK8sManifests(temp.dir, run);
    expect(files.map((f) => f.split(/[\\/]/).pop())).toEqual([
      'configmap.yaml',
      'secret.yaml',
      'testrun.yaml',
    ]);
    const [configMap, secret, testRun] = files.map((f) => parse(readFileSync(f, 'utf8')));
    expect(configMap).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${run.name}-script`, namespace: 'load' },
    });
    expect(Object.keys(configMap.data).sort()).toEqual([
      'giftlab-k6.js',
      'plan.json',
      'target-profile.json',
      'workload.json',
    ]);
    expect(secret).toMatchObject({ kind: 'Secret', stringData: { 'users.json': run.users } });
    expect(testRun).toMatchObject({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      spec: { parallelism: 4, script: { configMap: { name: `${run.name}-script`, file: 'giftlab-k6.js' } } },
    });
    const env = Object.fromEntries(
      testRun.spec.runner.env.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env.GIFTLAB_TARGET).toBe(run.targetUrl);
    expect(env.GIFTLAB_RUN_ID).toBe(run.runId);
    expect(env.GIFTLAB_USERS.startsWith(testRun.spec.runner.volumeMounts[0].mountPath)).toBe(true);
    expect(testRun.spec.runner.volumes[0].secret.secretName).toBe(secret.metadata.name);
    expect(testRun.spec.arguments).toContain('--log-format raw');
  });

  it('refuse a parallelism out of range and a ConfigMap over 1 MiB', () => {
    expect(() => k8sManifests({ ...run, parallelism: 0 })).toThrow(InputError);
    expect(() => k8sManifests({ ...run, bundle: 'x'.repeat(loadLimits.configMapBytesMax) })).toThrow(
      /ConfigMap/,
    );
  });

  it('ship templates in load/k8s that parse as YAML with the right kinds', () => {
    const dir = new URL('../../load/k8s/', import.meta.url);
    const kinds = ['testrun.yaml', 'configmap.yaml'].flatMap((f) =>
      parseAllDocuments(readFileSync(new URL(f, dir), 'utf8')).map(
        (d) => (d.toJS() as { kind: string }).kind,
      ),
    );
    expect(kinds.sort()).toEqual(['ConfigMap', 'Secret', 'TestRun']);
  });
});
