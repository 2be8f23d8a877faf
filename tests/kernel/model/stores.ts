/**
 * The two stores the kernel serves, behind one face for the model-based test: the in-memory `Ledger`
 * (called directly) and the reference API's SQLite book (through HTTP with `app.inject`: schemas,
 * tokens, Idempotency-Key, group commit and all). A request is the ledger's (economy indices); the API
 * store turns indices into the economy's ids, an index past the end into an id the economy lacks.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../load/target/app.ts';
import { REPLAYED_HEADER } from '../../../load/target/plugins/write-route.ts';
import type { Economy } from '../../../sim/economy/types.ts';

import { STATUSES, Status, statusOfCode } from '../../../sim/kernel/status.ts';
import { creatorAccount, viewerAccount } from '../../../sim/ledger/accounts.ts';
import type { JournalEntry, StatedBalance } from '../../../sim/ledger/journal.ts';
import { Ledger } from '../../../sim/ledger/ledger.ts';
import { CREATORS, type Request, send, VIEWERS } from '../../support/arbitraries.ts';
import { auth } from '../../target/support/server.ts';

export interface Answer {
  status: Status;
  replayed: boolean;
  /** Seq of the entry written (or first written, on a replay); 0 when refused. */
  seq: number;
  /** The API's answer body (none from the ledger). */
  body?: Record<string, unknown>;
}

/** What a creator's balance read says. */
export interface CreatorBalance {
  coinsReceived: number;
  diamonds: number;
  carryBp: number;
  paidOutCents: number;
}

export interface Store {
  readonly name: string;
  send(request: Request): Promise<Answer>;
  /** Read straight from the store's state, after every command. */
  coinsOf(viewer: number): number;
  diamondsOf(creator: number): number;
  carryOf(creator: number): number;
  entryCount(): number;
  /** Read as a client would (the API's balance routes). */
  balances(viewer: number, creator: number): Promise<{ coins: number; creator: CreatorBalance }>;
  journal(): Promise<JournalEntry[]>;
  /** Every non-zero balance the store states. */
  stated(): Promise<StatedBalance[]>;
  close(): Promise<void>;
}

export function ledgerStore(economy: Economy): Store & { ledger: Ledger } {
  const ledger = new Ledger(economy);
  return {
    name: 'in-memory ledger',
    ledger,
    send: async (request) => {
      const got = send(ledger, request, ledger.entryCount);
      return { status: got.status, replayed: got.replayed, seq: got.seq };
    },
    coinsOf: (v) => ledger.coinsOf(v),
    diamondsOf: (c) => ledger.diamondsOf(c),
    carryOf: (c) => ledger.carryOf(c),
    entryCount: () => ledger.entryCount,
    balances: async (v, c) => ({
      coins: ledger.coinsOf(v),
      creator: {
        coinsReceived: ledger.coinsReceivedBy(c),
        diamonds: ledger.diamondsOf(c),
        carryBp: ledger.carryOf(c),
        paidOutCents: ledger.paidOutCentsTo(c),
      },
    }),
    journal: async () => [...ledger.entries()],
    stated: async () => [...ledger.balances()],
    close: async () => {},
  };
}

export async function apiStore(economy: Economy): Promise<Store> {
  const app = buildApp({ economy, scenarioName: 'generated' });
  await app.ready();
  const users = app.target.seedUsers(Math.max(VIEWERS, CREATORS));
  const store = app.target.store;
  const get = async (url: string, token: string) =>
    (await app.inject({ url, headers: auth(token) })).json() as Record<string, unknown>;
  return {
    name: 'reference API (SQLite book)',
    send: (request) => post(app, economy, users, request),
    coinsOf: (v) => store.balance(viewerAccount(v), 'COIN'),
    diamondsOf: (c) => store.balance(creatorAccount(c), 'DIAMOND'),
    carryOf: (c) => store.carry(c),
    entryCount: () => store.lastSeq(),
    balances: async (v, c) => {
      const viewer = await get(`/v1/viewers/${v}/balance`, users.viewers[v].token);
      const { creatorId: _, ...creator } = await get(`/v1/creators/${c}/balance`, users.creators[c].token);
      return { coins: viewer.coins as number, creator: creator as unknown as CreatorBalance };
    },
    journal: async () =>
      ((await get('/v1/journal?limit=10000', users.adminToken)).entries as JournalEntry[]) ?? [],
    stated: async () =>
      ((await get('/v1/balances?limit=10000', users.adminToken)).balances as StatedBalance[]).filter(
        (b) => b.balance !== 0,
      ),
    close: () => app.close(),
  };
}

type Users = ReturnType<FastifyInstance['target']['seedUsers']>;

async function post(app: FastifyInstance, economy: Economy, users: Users, r: Request): Promise<Answer> {
  const { url, token, body } = route(economy, users, r);
  const reply = await app.inject({
    method: 'POST',
    url,
    headers: auth(token, r.opId),
    payload: body,
  });
  const answer = reply.json() as Record<string, unknown>;
  const status = reply.statusCode === 201 ? Status.Ok : statusOfCode(String(answer.code));
  if (status === undefined) throw new Error(`${url} answered ${reply.statusCode} ${reply.body}`);
  // The HTTP status is the catalogue's for that outcome.
  if (reply.statusCode !== STATUSES[status].http)
    throw new Error(`${url} answered ${answer.code} with ${reply.statusCode}, not ${STATUSES[status].http}`);
  return {
    status,
    replayed: reply.headers[REPLAYED_HEADER] === 'true',
    seq: status === Status.Ok ? (answer.seq as number) : 0,
    body: answer,
  };
}

/** An index past the economy's end becomes an id it does not have. */
const idOr = (x: { id: string } | undefined) => x?.id ?? 'none-such';

function route(economy: Economy, users: Users, r: Request) {
  switch (r.kind) {
    case 'purchase': {
      const channel = economy.channels[r.channel];
      return {
        url: '/v1/purchases',
        token: users.viewers[r.viewer].token,
        body: { viewerId: r.viewer, channel: idOr(channel), pack: idOr(channel?.packs[r.pack]) },
      };
    }
    case 'gift':
      return {
        url: '/v1/gifts',
        token: users.viewers[r.viewer].token,
        body: {
          viewerId: r.viewer,
          creatorId: r.creator,
          giftId: idOr(economy.gifts[r.gift]),
          count: r.count,
          context: { kind: 'stream', id: 's' },
        },
      };
    case 'withdraw':
      return {
        url: '/v1/withdrawals',
        token: users.creators[r.creator].token,
        body: { creatorId: r.creator, diamonds: r.diamonds },
      };
    case 'refund':
      return { url: '/v1/refunds', token: users.adminToken, body: { purchaseOpId: r.purchaseOpId } };
  }
}
