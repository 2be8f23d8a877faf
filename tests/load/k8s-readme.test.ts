/**
 * load/k8s/README.md's recipe for a distributed run's acks, run as written (sh, grep, cut, awk) on
 * runners' logs: it must keep what `giftlab load` keeps (load/bundle/acks.ts) — an answered write's
 * answers, one "sent" ack for a write never answered — not every line (two acks a write, half of them
 * "unknown" to the audit).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLimits } from '../../common/limits.ts';
import { extractAcks } from '../../load/bundle/acks.ts';
import { answerAckLine, sentAckLine } from '../../load/k6/lib/acks.ts';
import { MOUNT } from '../../load/k8s/emit.ts';
import { tempDir } from './support.ts';

const temp = tempDir('giftlab-k8s-readme-');
afterAll(() => temp.remove());

const readme = readFileSync(new URL('../../load/k8s/README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Collecting the outputs and auditing'));
const block = section.slice(
  section.indexOf('```sh\n') + 6,
  section.indexOf('\n```', section.indexOf('```sh')),
);
const lines = block.split('\n');
/** From the first line reading the logs to the one writing acks.jsonl: what turns logs into acks. */
const recipe = lines
  .slice(
    lines.findIndex((l) => l.includes('*-k6.log')),
    lines.findIndex((l) => l.endsWith('> runs/k8s-out/acks.jsonl')) + 1,
  )
  .join('\n');

/** Two runners' logs: k6's messages between acks, as k6 --log-format raw writes them. */
const runner0 = [
  'time="…" level=info msg="a k6 message"',
  sentAckLine('r-0-1-1', 'purchase'),
  answerAckLine('r-0-1-1', 'purchase', 201, '{"seq":1,"coins":350}', null),
  sentAckLine('r-0-1-2', 'gift'),
  sentAckLine('r-0-1-3', 'gift'),
  // A refusal whose body says "status": the ack's own status is the first one on the line.
  answerAckLine('r-0-1-2', 'gift', 409, '{"status":0,"code":"GIFT_ERR_INSUFFICIENT_COINS"}', null),
  answerAckLine('r-0-1-3', 'gift', 201, '{"seq":2}', null),
  // A replayed key: sent and answered again.
  sentAckLine('r-0-1-3', 'gift'),
  answerAckLine('r-0-1-3', 'gift', 201, '{"seq":2}', null),
  // Cut off mid-request: only "sent", twice (a replay of it was cut off too).
  sentAckLine('r-0-1-4', 'withdrawal'),
  sentAckLine('r-0-1-4', 'withdrawal'),
  'giftlab: run r done on 0:1/2',
];
const runner1 = [
  sentAckLine('r-1-1-1', 'gift'),
  answerAckLine('r-1-1-1', 'gift', 0, undefined, { error: 'request timeout' }),
  sentAckLine('r-1-1-2', 'purchase'),
  answerAckLine('r-1-1-2', 'purchase', 502, undefined, 'Bad Gateway'),
  sentAckLine('r-1-1-3', 'purchase'),
];

describe('load/k8s/README.md: collecting the acks of a distributed run', () => {
  it('reads the runners’ logs and writes acks.jsonl with grep, cut and awk', () => {
    expect(recipe).toMatch(/^cat runs\/k8s-out\/\*-k6\.log \| grep '\^GIFTLAB_ACK ' \| cut -c13- >/);
    expect(recipe).toContain('awk');
  });

  it('keeps exactly the acks giftlab load keeps, in log order', async () => {
    const out = join(temp.dir, 'runs', 'k8s-out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'giftlab-x-1-abcde-k6.log'), `${runner0.join('\n')}\n`);
    writeFileSync(join(out, 'giftlab-x-2-fghij-k6.log'), `${runner1.join('\n')}\n`);
    writeFileSync(join(temp.dir, 'both.log'), `${[...runner0, ...runner1].join('\n')}\n`);
    execFileSync('sh', ['-c', recipe], { cwd: temp.dir });

    const kept = readFileSync(join(out, 'acks.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const expected = await extractAcks(join(temp.dir, 'both.log'));
    expect(kept).toEqual(expected.acks);
    // One "sent" ack for each write never answered (r-0-1-4 once; r-1-1-1 timed out, status 0; r-1-1-3),
    // none for the answered ones; a replayed key keeps both its answers.
    expect(kept.filter((a) => a.status === 0 && a.response === null).map((a) => a.opId)).toEqual([
      'r-0-1-4',
      'r-1-1-1',
      'r-1-1-3',
    ]);
    expect(kept).toHaveLength(8);
  });
});

describe('load/k8s/README.md: the request streams --emit-k8s writes', () => {
  it('names their ConfigMaps, mount, variable and limits as load/k8s/emit.ts and common/limits.ts have them', () => {
    for (const text of [
      '`<name>-streams-0`',
      '`streams-<i>.json`',
      `\`${MOUNT.streams}\``,
      '`GIFTLAB_STREAMS`',
      `(\`${MOUNT.streams}/streams-0.json,${MOUNT.streams}/streams-1.json,…\`)`,
      `under ${loadLimits.k8sPartBytesMax / 1024} KiB`,
      `at most ${loadLimits.k8sStreamItemsMax.toLocaleString('en-US')} items`,
    ])
      expect(readme.replace(/\s+/g, ' '), text).toContain(text);
  });
});
