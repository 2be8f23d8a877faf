export { AudienceCurve, type CurveKind, type CurveSpec } from './audience-curve.ts';
export {
  accrualSeconds,
  type BudgetSpec,
  drawBudgetCents,
  walletCents,
  walletSpanSeconds,
} from './budget.ts';
export { GiftCatalogue } from './catalogue.ts';
export { ChannelChooser, ChannelLogit, type ChannelPicker } from './channels.ts';
export { Creators } from './creators.ts';
export { Diurnal } from './diurnal.ts';
export { Fenwick } from './fenwick.ts';
export { PackShelves } from './packs.ts';
export { type ModelParams, Motive, type Spike } from './params.ts';
export { BOOSTED, GIFT_DUE, IN_SESSION, LIVE, PAYER, Viewers } from './viewers.ts';
export { TOP_WEIGHT, zipfWeights } from './zipf.ts';
