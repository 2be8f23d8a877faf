/**
 * The tidy event export `giftlab fit-data` reads: one CSV row per purchase or gift, a header row naming
 * the columns (any order; other columns are ignored). One table, read by the parser, the synthetic
 * generator and the README's column list (a test checks the README names every column).
 */

export const EVENT_KINDS = ['purchase', 'gift'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface ExportColumn {
  name: string;
  /** The kinds whose rows must fill it; other rows leave it empty (or anything: it is not read). */
  requiredFor: readonly EventKind[];
  what: string;
}

export const EXPORT_COLUMNS = [
  {
    name: 'time',
    requiredFor: ['purchase', 'gift'],
    what: 'when: ISO 8601 (2026-03-01T21:04:05Z, an offset, or no zone = UTC) or Unix seconds; read in UTC',
  },
  { name: 'viewer', requiredFor: ['purchase', 'gift'], what: 'who bought or sent: any id' },
  { name: 'kind', requiredFor: ['purchase', 'gift'], what: '`purchase` or `gift`' },
  {
    name: 'channel',
    requiredFor: ['purchase'],
    what: 'where the coins were bought: a channel id of the scenario (`app`, `web`)',
  },
  { name: 'pack', requiredFor: ['purchase'], what: 'the pack bought: its id (`c350`)' },
  {
    name: 'price',
    requiredFor: ['purchase'],
    what: 'what the viewer paid, in whole cents (a price paid may differ from the list price)',
  },
  { name: 'gift', requiredFor: ['gift'], what: 'the gift sent: its id (`rose`); one row per gift' },
  { name: 'coins', requiredFor: ['gift'], what: 'what that one gift cost, in whole coins' },
  { name: 'creator', requiredFor: ['gift'], what: 'who received it: any id' },
] as const satisfies readonly ExportColumn[];

export type ColumnName = (typeof EXPORT_COLUMNS)[number]['name'];

export interface PurchaseEvent {
  kind: 'purchase';
  /** Unix seconds. */
  time: number;
  viewer: string;
  channel: string;
  pack: string;
  priceCents: number;
}

export interface GiftEvent {
  kind: 'gift';
  time: number;
  viewer: string;
  gift: string;
  coins: number;
  creator: string;
}

export type ExportEvent = PurchaseEvent | GiftEvent;
