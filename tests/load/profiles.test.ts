/** Target profiles: the shipped ones load, templates render typed values, mistakes name the field. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import {
  compileBody,
  compileString,
  placeholders,
  readPath,
  renderBody,
  renderPath,
  renderString,
} from '../../load/k6/lib/template.ts';
import { loadTargetProfile, mergeProfiles } from '../../load/profiles/profile.ts';
import { tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

function problem(write: string): string {
  const file = join(temp.dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, write);
  try {
    loadTargetProfile(file, temp.dir);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('loaded');
}

describe('target profiles', () => {
  it('load the reference API’s profile with every operation', () => {
    const { profile, audit } = loadTargetProfile('reference');
    expect(audit).toBe('giftlab');
    expect(Object.keys(profile.operations).sort()).toEqual(
      [
        'creatorBalance',
        'economy',
        'gift',
        'health',
        'journal',
        'openapi',
        'purchase',
        'viewerBalance',
        'withdrawal',
      ].sort(),
    );
    expect(profile.idempotency).toEqual({ header: 'Idempotency-Key', replayedHeader: 'Idempotent-Replayed' });
    expect(profile.operations.gift.insufficient).toEqual({
      status: [409],
      code: 'GIFT_ERR_INSUFFICIENT_COINS',
    });
  });

  it('load the example of another API shape, extending the reference and removing operations', () => {
    const { profile, audit } = loadTargetProfile('wallet-example');
    expect(audit).toBe('none');
    expect(profile.operations.journal).toBeUndefined();
    expect(profile.operations.gift.path).toBe('/api/tips');
    expect(profile.idempotency).toEqual({ header: 'X-Request-Id' });
    expect(profile.headers).toEqual({ Accept: 'application/json', 'X-Api-Version': '2024-06-01' });
    expect(profile.slo.gift.p95Ms).toBe(250);
    expect(profile.slo.purchase.p95Ms).toBe(500);
  });

  it('take the statuses that leave a write open (outcomeUnknown), none by default, never a 2xx', () => {
    expect(loadTargetProfile('reference').profile.outcomeUnknown).toBeUndefined();
    const file = join(temp.dir, 'gateway.yaml');
    writeFileSync(
      file,
      `name: gateway\nextends: ${join(process.cwd(), 'load/profiles/reference.yaml')}\noutcomeUnknown: [502, 504]\n`,
    );
    expect(loadTargetProfile(file, temp.dir).profile.outcomeUnknown).toEqual([502, 504]);
    const two = `name: gateway\nextends: ${join(process.cwd(), 'load/profiles/reference.yaml')}\noutcomeUnknown: [201]\n`;
    expect(problem(two)).toMatch(/outcomeUnknown\.0.*201/);
  });

  it('merge operations whole, never half one body and half another', () => {
    const merged = mergeProfiles(
      { operations: { gift: { body: { a: 1 } }, purchase: { path: '/p' } } },
      { operations: { gift: { body: { b: 2 } } } },
    );
    expect(merged.operations).toEqual({ gift: { body: { b: 2 } }, purchase: { path: '/p' } });
  });

  it('refuse placeholders an operation does not have, naming the field', () => {
    const message = problem(
      'extends: reference\nname: x\noperations:\n  withdrawal: { method: POST, path: "/w/{{viewer.id}}", ok: [201] }\n',
    );
    expect(message).toContain('operations.withdrawal.path');
    expect(message).toContain('{{viewer.id}}');
  });

  it('refuse a profile without the writes or with a bad method', () => {
    expect(
      problem(
        'name: x\nauth: { header: A, template: "{{token}}" }\nidempotency: { header: K }\noperations: {}\nslo: {}\n',
      ),
    ).toContain('purchase, gift and withdrawal are required');
    expect(
      problem('extends: reference\nname: x\noperations:\n  gift: { method: FETCH, path: /g }\n'),
    ).toContain('operations.gift.method');
    expect(() => loadTargetProfile('no-such-profile')).toThrow(/--target-profile/);
  });

  it('name the line of an alias with no anchor, as scenario files do', () => {
    expect(problem('extends: reference\nname: x\nslo: *nope\n')).toContain(
      'yaml (line 3): expected an anchor defined before the alias, found *nope',
    );
  });
});

describe('templates', () => {
  const vars = { 'viewer.id': 7, gift: 'rose', 'context.id': 'live 1' };
  it('keep the type of a whole placeholder and write text elsewhere', () => {
    expect(
      renderBody({ v: '{{viewer.id}}', s: 'user-{{viewer.id}}', n: [{ g: '{{ gift }}' }], k: 3 }, vars),
    ).toEqual({
      v: 7,
      s: 'user-7',
      n: [{ g: 'rose' }],
      k: 3,
    });
    expect(renderPath('/c/{{context.id}}', vars)).toBe('/c/live%201');
    expect(renderString('Bearer {{viewer.id}}', vars)).toBe('Bearer 7');
    expect(() => renderString('{{nope}}', vars)).toThrow(/nope/);
    expect(placeholders({ a: ['{{x}}', 'y{{z.w}}'] })).toEqual(['x', 'z.w']);
  });

  it('compile to functions that render exactly what the interpreting renderers do', () => {
    const body = {
      v: '{{viewer.id}}',
      s: 'user-{{viewer.id}}/{{gift}}',
      n: [{ g: '{{ gift }}' }],
      k: 3,
      z: null,
    };
    expect(compileBody(body)(vars)).toEqual(renderBody(body, vars));
    expect(compileString('/c/{{context.id}}?g={{gift}}', true)(vars)).toBe(
      renderPath('/c/{{context.id}}?g={{gift}}', vars),
    );
    expect(compileString('no placeholders')(vars)).toBe('no placeholders');
    expect(() => compileString('{{nope}}')(vars)).toThrow(/nope/);
  });

  it('read dotted paths from answers', () => {
    expect(readPath({ data: { wallet: { coins: 5 } } }, 'data.wallet.coins')).toBe(5);
    expect(readPath({ data: null }, 'data.wallet')).toBeUndefined();
    expect(readPath([{ id: 1 }], '0.id')).toBe(1);
  });
});
