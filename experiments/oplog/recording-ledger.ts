/**
 * A Ledger that writes down every operation the engine asks of it — with the pack, gift and count a
 * journal entry does not keep — and gives each one an id (`sim-<n>`) that its journal entry carries too.
 * The rules stay the Ledger's; this only records the calls and their answers.
 */
import { assert } from '../../common/assert.ts';
import { codeOf, Status } from '../../sim/kernel/status.ts';
import { Ledger, type LedgerOptions } from '../../sim/ledger/ledger.ts';
import { type OpResult, type SimOp, simOpId } from './op.ts';

export class RecordingLedger extends Ledger {
  readonly ops: SimOp[] = [];

  constructor(economy: ConstructorParameters<typeof Ledger>[0], options: LedgerOptions = {}) {
    super(economy, { ...options, journal: true, idempotency: false });
  }

  override purchase(viewer: number, channel: number, pack: number, at: number, opId?: string): Status {
    const ch = this.economy.channels[channel];
    assert(ch?.packs[pack] !== undefined, 'the engine bought a pack the economy does not have');
    const id = opId ?? this.nextOpId();
    const status = super.purchase(viewer, channel, pack, at, id);
    this.ops.push({
      opId: id,
      kind: 'purchase',
      viewer,
      channel: ch.id,
      pack: ch.packs[pack].id,
      at,
      result: result(status),
    });
    return status;
  }

  override gift(
    viewer: number,
    creator: number,
    gift: number,
    count: number,
    at: number,
    opId?: string,
  ): Status {
    const g = this.economy.gifts[gift];
    assert(g !== undefined, 'the engine sent a gift the economy does not have');
    const id = opId ?? this.nextOpId();
    const status = super.gift(viewer, creator, gift, count, at, id);
    this.ops.push({ opId: id, kind: 'gift', viewer, creator, gift: g.id, count, at, result: result(status) });
    return status;
  }

  override withdraw(creator: number, requestedDiamonds: number, at: number, opId?: string): Status {
    const id = opId ?? this.nextOpId();
    const status = super.withdraw(creator, requestedDiamonds, at, id);
    this.ops.push({
      opId: id,
      kind: 'withdrawal',
      creator,
      diamonds: requestedDiamonds,
      at,
      result: result(status),
    });
    return status;
  }

  private nextOpId(): string {
    return simOpId(this.ops.length + 1);
  }
}

function result(status: Status): OpResult {
  return status === Status.Ok ? 'ok' : codeOf(status);
}
