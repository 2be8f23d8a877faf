/**
 * The model both stores are checked against: plain numbers per viewer and creator, and the keys seen.
 * It computes diamonds its own way (cumulatively: a creator is owed floor(Σ coins × share / BP) diamonds
 * in all), not with the rules' carry formula, and withdrawals by counting down to a whole cent, so that
 * it can disagree with the kernel.
 */
import { expect } from 'vitest';
import { BP, MILLI } from '../../../common/limits.ts';
import type { Economy } from '../../../sim/economy/types.ts';
import type { Status } from '../../../sim/kernel/status.ts';
import { CREATORS, type Request, VIEWERS } from '../../support/arbitraries.ts';
import type { Answer, Store } from './stores.ts';

export interface Remembered {
  request: Request;
  status: Status;
  /** Seq of the entry it wrote, 0 for a rejection. */
  seq: number;
  /** Each store's first answer. */
  answers: Answer[];
}

export interface PurchaseMade {
  viewer: number;
  coins: number;
  refunded: boolean;
}

export interface LedgerModel {
  readonly economy: Economy;
  readonly coins: number[];
  readonly diamonds: number[];
  /** Σ coins × share received per creator, in 1/BP diamonds, and the diamonds credited for it. */
  readonly owedBp: number[];
  readonly credited: number[];
  /** Every key the ledger answered past validation, with its first answer. */
  readonly keys: Map<string, Remembered>;
  readonly purchases: Map<string, PurchaseMade>;
  entries: number;
  nextKey: number;
}

export function newModel(economy: Economy): LedgerModel {
  return {
    economy,
    coins: new Array(VIEWERS).fill(0),
    diamonds: new Array(CREATORS).fill(0),
    owedBp: new Array(CREATORS).fill(0),
    credited: new Array(CREATORS).fill(0),
    keys: new Map(),
    purchases: new Map(),
    entries: 0,
    nextKey: 0,
  };
}

export function freshKey(model: LedgerModel): string {
  return `m${model.nextKey++}`;
}

/** The carry the model expects: what is owed but not yet credited. */
export function carryOf(model: LedgerModel, creator: number): number {
  return model.owedBp[creator] - model.credited[creator] * BP;
}

/** The largest number of diamonds ≤ `requested` worth whole cents, found by counting down. */
export function wholeCentDiamonds(diamondValueMilliCents: number, requested: number): number {
  let step = 1;
  while ((step * diamondValueMilliCents) % MILLI !== 0) step++;
  return Math.floor(requested / step) * step;
}

/** A store agrees with the model on every balance, carry and the number of entries. */
export function assertMatches(model: LedgerModel, store: Store): void {
  for (let v = 0; v < VIEWERS; v++)
    expect(store.coinsOf(v), `${store.name}: viewer ${v} coins`).toBe(model.coins[v]);
  for (let c = 0; c < CREATORS; c++) {
    expect(store.diamondsOf(c), `${store.name}: creator ${c} diamonds`).toBe(model.diamonds[c]);
    expect(store.carryOf(c), `${store.name}: creator ${c} carry`).toBe(carryOf(model, c));
  }
  expect(store.entryCount(), `${store.name}: entries`).toBe(model.entries);
}
