/**
 * k6-operator manifests: every emitted object validates against the schema Kubernetes would check it
 * with — the k6-operator's TestRun CRD and Kubernetes' own ConfigMap, Secret and PersistentVolumeClaim
 * (fixtures in tests/fixtures/k8s, with their source and version) — strictly, as `kubectl apply
 * --validate=strict` does: an unknown field is an error. Users are split over Secrets under 1 MiB each,
 * names are DNS-1123, the image is the tested k6.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { COMMANDS } from '../../cli/commands.ts';
import { main } from '../../cli/main.ts';
import { InputError } from '../../common/input-error.ts';
import { loadLimits } from '../../common/limits.ts';
import { K6_TESTED_VERSION } from '../../load/bundle/k6.ts';
import { usersOf } from '../../load/k6/lib/users.ts';
import { k8sManifests, k8sName, splitUsers, writeK8sManifests } from '../../load/k8s/emit.ts';
import { BASELINE, capture, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/k8s/${name}`, import.meta.url), 'utf8'));
const CORE = fixture('kubernetes-core-v1.json');
const CRD = fixture('k6-operator-testrun-v1.6.0.json');

/**
 * Strict as the API server's field validation: an object schema with properties admits no other field,
 * unless it keeps unknown fields on purpose; pruned parts (fields giftlab never sets) admit anything.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) out[k] = k === 'properties' ? mapValues(v, strict) : strict(v);
  if (
    s.properties !== undefined &&
    s.additionalProperties === undefined &&
    !s['x-kubernetes-preserve-unknown-fields']
  )
    out.additionalProperties = false;
  return out;
}

function mapValues(v: unknown, f: (x: unknown) => unknown): unknown {
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, f(x)]));
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'core', components: strict(CORE.components) });
const objectMeta = { $ref: 'core#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };
const validators: Record<string, ValidateFunction> = {
  ConfigMap: ajv.compile({ $ref: 'core#/components/schemas/io.k8s.api.core.v1.ConfigMap' }),
  Secret: ajv.compile({ $ref: 'core#/components/schemas/io.k8s.api.core.v1.Secret' }),
  PersistentVolumeClaim: ajv.compile({
    $ref: 'core#/components/schemas/io.k8s.api.core.v1.PersistentVolumeClaim',
  }),
  // A custom resource's metadata is ObjectMeta, whatever the CRD's schema says of it.
  TestRun: ajv.compile({
    allOf: [
      strict({
        ...CRD.schema,
        properties: { ...CRD.schema.properties, metadata: { 'x-giftlab-pruned': true } },
      }),
      { properties: { metadata: objectMeta } },
    ],
  }),
};
const apiVersions: Record<string, string> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  PersistentVolumeClaim: 'v1',
  TestRun: `${CRD.group}/${CRD.version_name}`,
};

/** The schema errors of one object, or [] — by its kind. */
function problems(doc: { apiVersion?: string; kind?: string }): string[] {
  const validate = validators[doc.kind ?? ''];
  if (validate === undefined) return [`no schema for kind ${doc.kind}`];
  const out: string[] = [];
  if (doc.apiVersion !== apiVersions[doc.kind as string]) out.push(`apiVersion ${doc.apiVersion}`);
  if (!validate(doc))
    for (const e of validate.errors ?? [])
      out.push(`${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  return out;
}

function usersFile(viewers: number, creators: number): string {
  const token = (role: string, id: number) => `gl1.${role}.${id}.${'x'.repeat(43)}`;
  return JSON.stringify({
    target: 'http://gifting.default.svc:8080',
    viewers: Array.from({ length: viewers }, (_, id) => ({ id, token: token('viewer', id) })),
    creators: Array.from({ length: creators }, (_, id) => ({ id, token: token('creator', id) })),
    adminToken: token('admin', 0),
  });
}

const run = {
  name: 'giftlab-baseline-steady',
  namespace: 'load',
  parallelism: 4,
  targetUrl: 'http://gifting.default.svc:8080',
  runId: 'baseline.steady.20240101-120000',
  bundle: 'module.exports.options = {};\n',
  workload: '{"profile":"steady"}',
  targetProfile: '{"name":"reference"}',
  plan: '{"version":1}',
  users: usersFile(3, 3),
};

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

describe('k6-operator manifests', () => {
  it('validate against the TestRun CRD and the ConfigMap, Secret and PVC schemas, strictly', () => {
    const files = k8sManifests({ ...run, users: usersFile(100_000, 1000) });
    const all = [files.configMap, files.secret, files.pvc, files.testRun].flatMap(docs);
    expect(all.map((d) => d.kind).filter((k, i, a) => a.indexOf(k) === i)).toEqual([
      'ConfigMap',
      'Secret',
      'PersistentVolumeClaim',
      'TestRun',
    ]);
    for (const doc of all) expect(problems(doc), `${doc.kind} ${doc.metadata.name}`).toEqual([]);
  });

  it('carry the economy streams in ConfigMaps under the part limit, projected in order into one folder', () => {
    const streams = Array.from({ length: 24 }, (_, vu) => ({
      items: Array.from({ length: 1500 }, (_, i) => ({
        w: [[1, vu, 0, `{"giftId":"rose","count":${i}}`, 0]],
      })),
    }));
    const files = k8sManifests({ ...run, streams });
    const maps = docs(files.configMap).filter((d) => d.metadata.name.includes('-streams-'));
    expect(maps.length).toBeGreaterThan(1);
    for (const m of maps) {
      expect(problems(m), m.metadata.name).toEqual([]);
      for (const v of Object.values(m.data as Record<string, string>))
        expect(Buffer.byteLength(v)).toBeLessThanOrEqual(loadLimits.k8sPartBytesMax);
    }
    // The parts, read in the order GIFTLAB_STREAMS lists them, are the streams again.
    const testRun = parse(files.testRun);
    expect(problems(testRun)).toEqual([]);
    const env = testRun.spec.runner.env.find((e: { name: string }) => e.name === 'GIFTLAB_STREAMS').value;
    const byPath = new Map<string, string>();
    for (const m of maps)
      for (const [k, v] of Object.entries(m.data as Record<string, string>))
        byPath.set(`/giftlab-streams/${k}`, v);
    expect(env.split(',').flatMap((f: string) => JSON.parse(byPath.get(f) as string))).toEqual(streams);
    const mounts = testRun.spec.runner.volumeMounts.map((m: { mountPath: string }) => m.mountPath);
    expect(mounts).toContain('/giftlab-streams');
  });

  it('the validation is strict: a misspelt field, a wrong type or a wrong apiVersion is refused', () => {
    const testRun = parse(k8sManifests(run).testRun);
    expect(problems(testRun)).toEqual([]);
    const misspelt = structuredClone(testRun);
    misspelt.spec.runner.volumeMount = misspelt.spec.runner.volumeMounts;
    expect(problems(misspelt).join()).toContain('additionalProperty');
    const typed = structuredClone(testRun);
    typed.spec.parallelism = '4';
    expect(problems(typed).join()).toContain('/spec/parallelism must be integer');
    const secret = docs(k8sManifests(run).secret)[0];
    expect(problems({ ...secret, stringData: { 'users-0.json': 7 } }).join()).toContain('must be string');
    expect(problems({ ...secret, apiVersion: 'v2' })).toContain('apiVersion v2');
    const pvc = parse(k8sManifests(run).pvc);
    expect(problems({ ...pvc, spec: { ...pvc.spec, accessMode: ['ReadWriteMany'] } }).join()).toContain(
      'additionalProperty',
    );
  });

  it('split 100,000 users over Secrets under 1 MiB each, which the script reads back in order', () => {
    const text = usersFile(100_000, 1000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(8 * loadLimits.configMapBytesMax);
    const secrets = docs(k8sManifests({ ...run, users: text }).secret);
    expect(secrets.length).toBeGreaterThan(8);
    const parts: Record<string, string> = {};
    for (const [i, s] of secrets.entries()) {
      const [[key, value]] = Object.entries(s.stringData as Record<string, string>);
      expect(key).toBe(`users-${i}.json`);
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(loadLimits.k8sPartBytesMax);
      parts[`/giftlab-users/${key}`] = value;
    }
    const testRun = parse(k8sManifests({ ...run, users: text }).testRun);
    const env = Object.fromEntries(
      testRun.spec.runner.env.map((e: { name: string; value?: string }) => [e.name, e.value]),
    );
    const files = (env.GIFTLAB_USERS as string).split(',');
    expect(files).toEqual(Object.keys(parts));
    const read = (f: string) => parts[f];
    const original = JSON.parse(text);
    expect(usersOf(files, 'viewers', read)).toEqual(original.viewers);
    expect(usersOf(files, 'creators', read)).toEqual(original.creators);
    expect(JSON.parse(parts[files[0]]).adminToken).toBe(original.adminToken);
    const sources = testRun.spec.runner.volumes[0].projected.sources;
    expect(sources.map((s: { secret: { name: string } }) => s.secret.name)).toEqual(
      secrets.map((s) => s.metadata.name),
    );
    expect(splitUsers(run.users, loadLimits.k8sPartBytesMax)).toHaveLength(1);
  });

  it('run the tested k6 image, keep outputs on a claim under each runner’s pod name, and point at each other', () => {
    const files = writeK8sManifests(temp.dir, run);
    expect(files.map((f) => f.split(/[\\/]/).pop())).toEqual([
      'configmap.yaml',
      'secret.yaml',
      'pvc.yaml',
      'testrun.yaml',
    ]);
    const [configMap, , pvc, testRun] = files.map((f) =>
      parseAllDocuments(readFileSync(f, 'utf8'))[0].toJS(),
    );
    expect(testRun.spec.runner.image).toBe(`grafana/k6:${K6_TESTED_VERSION}`);
    expect(testRun.spec.script.configMap).toEqual({ name: configMap.metadata.name, file: 'giftlab-k6.js' });
    expect(testRun.spec.parallelism).toBe(4);
    expect(testRun.spec.arguments).toContain('--log-format raw');
    expect(testRun.spec.arguments).toContain('--log-output file=/giftlab-out/$(POD_NAME)-k6.log');
    const env = testRun.spec.runner.env as { name: string; value?: string; valueFrom?: unknown }[];
    expect(env[0]).toEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    const value = (name: string) => env.find((e) => e.name === name)?.value;
    expect(value('GIFTLAB_OUT_PREFIX')).toBe('$(POD_NAME)-');
    expect(value('K6_WEB_DASHBOARD_EXPORT')).toBe('/giftlab-out/$(POD_NAME)-report.html');
    expect(value('GIFTLAB_TARGET')).toBe(run.targetUrl);
    const claim = testRun.spec.runner.volumes[1].persistentVolumeClaim.claimName;
    expect(claim).toBe(pvc.metadata.name);
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
    const out = testRun.spec.runner.volumeMounts.find((m: { name: string }) => m.name === 'giftlab-out');
    expect(value('GIFTLAB_OUT_DIR')).toBe(out.mountPath);
    for (const d of [configMap, pvc, testRun]) expect(d.metadata.namespace).toBe('load');
  });

  it("--emit-k8s's help names every kind of object it writes", () => {
    // It said 'TestRun, ConfigMap, Secret': the claim for the runners' outputs was left out.
    const kinds = new Set(
      writeK8sManifests(join(temp.dir, 'kinds'), run).flatMap((f) =>
        parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS().kind as string),
      ),
    );
    expect([...kinds].sort()).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Secret', 'TestRun']);
    const cmd = new Command('load');
    COMMANDS.find((c) => c.usage.startsWith('load '))?.configure?.(cmd);
    const help = cmd.options.find((o) => o.long === '--emit-k8s')?.description ?? '';
    for (const kind of kinds) expect(help, `--emit-k8s help: ${help}`).toContain(kind);
  });

  it('refuse a namespace or name that is not DNS-1123, a parallelism out of range and a ConfigMap over 1 MiB', () => {
    for (const namespace of ['Bad_NS', 'a'.repeat(64), '-load', 'load.test'])
      expect(() => k8sManifests({ ...run, namespace }), namespace).toThrow(
        /--namespace: expected a DNS-1123 label/,
      );
    expect(() => k8sManifests({ ...run, name: 'Giftlab' })).toThrow(InputError);
    expect(() => k8sManifests({ ...run, parallelism: 0 })).toThrow(InputError);
    expect(() => k8sManifests({ ...run, bundle: 'x'.repeat(loadLimits.configMapBytesMax) })).toThrow(
      /ConfigMap/,
    );
    expect(k8sName('My Scenario_2', 'steady')).toBe('giftlab-my-scenario-2-steady');
    expect(k8sName('-'.repeat(80), 'race')).toBe('giftlab-race');
    expect(k8sName('a'.repeat(80), 'steady')).toBe(`giftlab-${'a'.repeat(25)}-steady`);
  });

  it('giftlab load --namespace Bad_NS exits 2 before anything is written', async () => {
    const dir = join(temp.dir, 'bad-ns');
    const users = join(temp.dir, 'users.json');
    const { writeFileSync, existsSync } = await import('node:fs');
    writeFileSync(users, run.users);
    const c = capture(temp.dir, { PATH: temp.dir });
    const args = ['load', BASELINE, '--target', 'http://api:8080', '--users', users, '--emit-k8s', dir];
    expect(await main([...args, '--namespace', 'Bad_NS'], c.io)).toBe(2);
    expect(c.err()).toMatch(/--namespace: expected a DNS-1123 label.*found "Bad_NS"/);
    expect(existsSync(dir)).toBe(false);
  });

  it('ship templates in load/k8s that parse as YAML with the kinds emitted', () => {
    const dir = new URL('../../load/k8s/', import.meta.url);
    const kinds = ['testrun.yaml', 'configmap.yaml'].flatMap((f) =>
      parseAllDocuments(readFileSync(new URL(f, dir), 'utf8')).map(
        (d) => (d.toJS() as { kind: string }).kind,
      ),
    );
    expect(kinds.sort()).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Secret', 'TestRun']);
    for (const f of ['testrun.yaml', 'configmap.yaml'])
      for (const d of parseAllDocuments(readFileSync(new URL(f, dir), 'utf8')))
        expect(problems(d.toJS()), f).toEqual([]);
  });
});
