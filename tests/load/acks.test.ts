/** Acks out of k6's log: the audit's shape, "sent" acks dropped once answered, k6's own lines kept apart. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAcksFile } from '../../load/audit/files.ts';
import { extractAcks, parseAckLine, writeAcksFile } from '../../load/bundle/acks.ts';
import { ackLine, answerAckLine, sentAckLine } from '../../load/k6/lib/acks.ts';
import { tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

describe('acks', () => {
  it('round-trip through a log line', () => {
    const ack = {
      opId: 'r-1_4-2-9',
      kind: 'gift' as const,
      status: 201,
      response: { seq: 4, balance: { coins: 3 } },
    };
    expect(parseAckLine(ackLine(ack))).toEqual(ack);
    expect(parseAckLine('time="…" level=warning msg="Request Failed"')).toBeUndefined();
    expect(parseAckLine('GIFTLAB_ACK {"opId":1}')).toBeUndefined();
    expect(parseAckLine('GIFTLAB_ACK {not json')).toBeUndefined();
  });

  it('write the hot-path lines as the same JSON, the body of the answer as it came when it is one line', () => {
    expect(parseAckLine(sentAckLine('k"1', 'gift'))).toEqual({
      opId: 'k"1',
      kind: 'gift',
      status: 0,
      response: null,
    });
    const body = { seq: 3, balance: { coins: 1 } };
    expect(parseAckLine(answerAckLine('k', 'purchase', 201, JSON.stringify(body), body))).toEqual({
      opId: 'k',
      kind: 'purchase',
      status: 201,
      response: body,
    });
    const pretty = JSON.stringify(body, null, 2);
    const line = answerAckLine('k', 'purchase', 201, pretty, body);
    expect(line.includes('\n')).toBe(false);
    expect(parseAckLine(line)?.response).toEqual(body);
  });

  it('keep an unknown outcome only where no answer came, and write a file the audit reads', async () => {
    const log = join(temp.dir, 'k6.log');
    const lines = [
      ackLine({ opId: 'a', kind: 'purchase', status: 0, response: null }),
      'WARN[0001] Request Failed error="timeout"',
      ackLine({ opId: 'a', kind: 'purchase', status: 201, response: { seq: 1 } }),
      ackLine({ opId: 'b', kind: 'gift', status: 0, response: null }),
      ackLine({ opId: 'a', kind: 'purchase', status: 0, response: null }),
      ackLine({ opId: 'a', kind: 'purchase', status: 201, response: { seq: 1 } }),
      ackLine({ opId: 'c', kind: 'withdrawal', status: 0, response: null }),
      ackLine({ opId: 'c', kind: 'withdrawal', status: 422, response: { code: 'GIFT_ERR_BELOW_MINIMUM' } }),
      '',
    ];
    writeFileSync(log, lines.join('\n'));
    const extracted = await extractAcks(log);
    expect(extracted.operations).toBe(3);
    expect(extracted.unknown).toBe(1);
    expect(extracted.acks.map((a) => `${a.opId}:${a.status}`)).toEqual(['a:201', 'b:0', 'a:201', 'c:422']);
    expect(extracted.messages).toEqual(['WARN[0001] Request Failed error="timeout"']);
    const file = join(temp.dir, 'acks.jsonl');
    await writeAcksFile(file, extracted.acks);
    expect(await readAcksFile(file)).toEqual(extracted.acks);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('an answer the profile counts as unknown (status 0 with its body) leaves one unknown ack, the first', async () => {
    const log = join(temp.dir, 'k6-unknown.log');
    const body = { code: 'GATEWAY_TIMEOUT' };
    const lines = [
      ackLine({ opId: 'g', kind: 'gift', status: 0, response: null }),
      ackLine({ opId: 'g', kind: 'gift', status: 0, response: body }),
      ackLine({ opId: 'g', kind: 'gift', status: 0, response: null }),
      '',
    ];
    writeFileSync(log, lines.join('\n'));
    const extracted = await extractAcks(log);
    expect(extracted.unknown).toBe(1);
    // The first is kept, as load/k8s/README.md's recipe for a distributed run keeps it.
    expect(extracted.acks).toEqual([{ opId: 'g', kind: 'gift', status: 0, response: null }]);
  });
});
