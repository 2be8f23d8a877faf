/**
 * Idempotency: what a request says, as a fingerprint kept beside its key, and what a store does when a
 * key comes again. The same request under the same key gets its first outcome again and changes
 * nothing; a different request under a used key is a conflict. Fingerprints name the economy's ids
 * (not indices), so both stores write the same text; a store may add what only it knows (the API's
 * principal and gift context) around it.
 */

export function purchasePrint(viewer: number, channelId: string, packId: string): string {
  return `purchase|${viewer}|${channelId}|${packId}`;
}

export function giftPrint(viewer: number, creator: number, giftId: string, count: number): string {
  return `gift|${viewer}|${creator}|${giftId}|${count}`;
}

export function withdrawalPrint(creator: number, requestedDiamonds: number): string {
  return `withdrawal|${creator}|${requestedDiamonds}`;
}

export function refundPrint(purchaseOpId: string): string {
  return `refund|${purchaseOpId}`;
}

export enum KeyUse {
  /** Not seen: decide and record. */
  New = 0,
  /** The same request again: answer the first outcome, change nothing. */
  Replay = 1,
  /** Another request under a used key: refuse, change nothing. */
  Conflict = 2,
}

/** What a key's first use (its fingerprint, or undefined when the key is new) makes of `print`. */
export function keyUse(firstPrint: string | undefined, print: string): KeyUse {
  if (firstPrint === undefined) return KeyUse.New;
  return firstPrint === print ? KeyUse.Replay : KeyUse.Conflict;
}
