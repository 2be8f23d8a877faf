/**
 * The concurrent load every fault-mode test runs, healthy server included: purchases (each sent twice
 * at once with one key), then more gifts than the viewers can afford (every fourth sent twice at once),
 * then more withdrawals than the creators can cover, all concurrent. A sound server answers some of
 * them 409 and keeps its ledger whole; each fault breaks it in its own way.
 */
import type { UsersFile } from '../../../load/users-file.ts';
import type { Ack } from '../../../sim/invariants/ack-format.ts';
import { AckingClient, pool } from './client.ts';

export interface LoadShape {
  viewers: number;
  creators: number;
  giftsPerViewer: number;
  withdrawalsPerCreator: number;
  concurrency: number;
}

export const DEFAULT_SHAPE: LoadShape = {
  viewers: 6,
  creators: 3,
  giftsPerViewer: 20,
  withdrawalsPerCreator: 4,
  concurrency: 16,
};

export async function economyLoad(
  url: string,
  users: UsersFile,
  shape: LoadShape = DEFAULT_SHAPE,
): Promise<Ack[]> {
  const client = new AckingClient(url);
  const viewers = users.viewers.slice(0, shape.viewers);
  const creators = users.creators.slice(0, shape.creators);
  const twice = (task: () => Promise<unknown>) => [task, task];

  // 350 coins each, every purchase sent twice concurrently with the same key.
  await pool(
    viewers.flatMap((v) =>
      twice(() =>
        client.write('purchase', v.token, `p-${v.id}`, { viewerId: v.id, channel: 'app', pack: 'c350' }),
      ),
    ),
    shape.concurrency,
  );

  // 20 gifts of 3 roses or 5 pandas (3 or 25 coins): about 280 coins wanted per viewer... and a replayed fourth.
  const gifts = viewers.flatMap((v) =>
    Array.from({ length: shape.giftsPerViewer }, (_, i) => {
      const body = {
        viewerId: v.id,
        creatorId: creators[(v.id + i) % creators.length].id,
        giftId: i % 2 === 0 ? 'rose' : 'panda',
        count: i % 2 === 0 ? 3 : 5 + (i % 3) * 2,
        context: { kind: i % 5 === 0 ? 'video' : 'stream', id: `s-${i % 3}` },
      };
      const send = () => client.write('gift', v.token, `g-${v.id}-${i}`, body);
      return i % 4 === 0 ? twice(send) : [send];
    }).flat(),
  );
  await pool(interleave(gifts), shape.concurrency);

  // Each creator asks for more than it holds, in concurrent withdrawals of 100 diamonds.
  const withdrawals = creators.flatMap((c) =>
    Array.from(
      { length: shape.withdrawalsPerCreator },
      (_, i) => () =>
        client.write('withdrawal', c.token, `w-${c.id}-${i}`, { creatorId: c.id, diamonds: 100 }),
    ),
  );
  await pool(withdrawals, shape.concurrency);
  return client.acks;
}

/** A fixed shuffle, so that one viewer's gifts are spread over the run. */
function interleave<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
