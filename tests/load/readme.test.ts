/**
 * README.md's section for engineers: its commands are ones giftlab accepts, the audit gets the acks the
 * load wrote, and it says where load writes and which profile a fault needs. (The k6 suite runs the
 * fault example itself: tests/load/k6.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/main.ts';
import { captureIo } from '../support/io.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('## For engineers');
const section = readme.slice(start, readme.indexOf('\n### ', start));
const commands = [...section.matchAll(/^npx giftlab (.*?)(?:\s+#.*)?$/gm)].map((m) => m[1].split(/\s+/));
const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe('README: for engineers', () => {
  it('has serve, load and audit commands that giftlab parses', () => {
    expect(commands.map((c) => c[0])).toEqual(['serve', 'load', 'audit', 'serve', 'load']);
    for (const args of commands) {
      let parsed = false;
      buildProgram(captureIo().io, () => {
        parsed = true;
      }).parse(args, { from: 'user' });
      expect(parsed, args.join(' ')).toBe(true);
    }
  });

  it('audits with the acks the load wrote, so that invariant 7 is checked', () => {
    const [load, audit] = [commands[1], commands[2]];
    expect(flag(audit, '--acks')).toBe(`${flag(load, '--out')}/acks.jsonl`);
    expect(flag(audit, '--users')).toBe(`runs/users-${flag(commands[0], '--port')}.json`);
  });

  it('says that load audits already, and where its run folder, acks and k6 summary go', () => {
    expect(section).toContain('**runs the audit itself**');
    expect(section).toContain('`runs/load/<scenario>-<profile>-<time>/`');
    for (const file of ['acks.jsonl', 'summary.json', 'audit.txt']) expect(section).toContain(`\`${file}\``);
  });

  it('runs --fault overdraft under --profile race, and says smoke would not show it', () => {
    const [serve, load] = [commands[3], commands[4]];
    expect(flag(serve, '--fault')).toBe('overdraft');
    expect(flag(load, '--target')).toBe(`http://127.0.0.1:${flag(serve, '--port')}`);
    expect(flag(load, '--profile')).toBe('race');
    expect(section).toMatch(/with `smoke` the\s+audit is clean/);
  });
});
