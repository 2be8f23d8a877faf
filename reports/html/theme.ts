/**
 * The look of every chart: one vega-lite config (type, axes, grid, legends) and the palettes. Charts
 * take colours from here by meaning (a channel, a fee, creators, the platform), so that the same thing
 * has the same colour in every chart of a report.
 */
import type { Config } from 'vega-lite';

/**
 * System fonts only: the report opens offline, so no web font is ever fetched. Helvetica-metric fonts
 * first (macOS, Windows, Linux's Liberation Sans), so that the widths charts were laid out with hold.
 */
export const FONT_STACK =
  "'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', 'Nimbus Sans', 'Segoe UI', system-ui, sans-serif";

/**
 * Plot-area width of a full-width chart, in CSS pixels. The page column leaves 936 px inside a section;
 * axes and labels take the rest, so that charts show at their natural size, never scaled down.
 */
export const FULL_WIDTH = 800;

/** Widest SVG (plot plus axes, legends and labels) that fits a section without scaling. */
export const SECTION_WIDTH_MAX = 936;

export const INK = {
  text: '#111827',
  muted: '#4b5563',
  faint: '#9ca3af',
  grid: '#e5e7eb',
  domain: '#9ca3af',
};

/** Colours by meaning. */
export const MEANING = {
  gross: '#1f2937',
  fee: '#f87171',
  subtotal: '#64748b',
  creators: '#7c3aed',
  payers: '#0d9488',
  platform: '#059669',
  loss: '#dc2626',
  band: '#2563eb',
};

/** Channel colours in scenario order; the app store's blue first, then the web's amber. */
const CHANNEL_PALETTE = [
  '#2563eb',
  '#f59e0b',
  '#10b981',
  '#8b5cf6',
  '#ef4444',
  '#06b6d4',
  '#84cc16',
  '#ec4899',
];

export function channelColors(channelIds: readonly string[]): { domain: string[]; range: string[] } {
  return {
    domain: [...channelIds],
    range: channelIds.map((_, i) => CHANNEL_PALETTE[i % CHANNEL_PALETTE.length]),
  };
}

/** A signed axis's label at 0 without its sign: `+0%`, `+$0` read as a gain. */
export const UNSIGNED_ZERO = "datum.value === 0 ? replace(datum.label, '+', '') : datum.label";

/**
 * The x axis of a relative difference: a label every 70 px or more. Vega's tick every 40 px overlapped,
 * and dropping every other label dropped the 0 such a chart is read against (−35 %, −25 %, … +5 %).
 */
export function relativeAxis(width: number, format = '+.0%') {
  return { format, grid: true, tickCount: Math.floor(width / 70), labelExpr: UNSIGNED_ZERO };
}

/** Axis and legend text alike: the same fonts, sizes and inks for labels and titles. */
const GUIDE_TEXT = {
  labelFont: FONT_STACK,
  titleFont: FONT_STACK,
  labelFontSize: 12,
  titleFontSize: 12,
  titleFontWeight: 600,
  labelColor: INK.muted,
  titleColor: INK.text,
} as const;

export const VEGA_CONFIG: Config = {
  background: '#ffffff',
  padding: { top: 8, right: 16, bottom: 8, left: 8 },
  font: FONT_STACK,
  view: { stroke: null },
  axis: {
    ...GUIDE_TEXT,
    domainColor: INK.domain,
    tickColor: INK.domain,
    gridColor: INK.grid,
    titlePadding: 10,
    labelPadding: 4,
  },
  axisX: { grid: false },
  axisY: { domain: false, ticks: false },
  legend: {
    ...GUIDE_TEXT,
    orient: 'top',
    direction: 'horizontal',
    symbolSize: 120,
  },
  header: { labelFont: FONT_STACK, titleFont: FONT_STACK, labelFontSize: 13, labelColor: INK.text },
  title: { font: FONT_STACK, fontSize: 13, fontWeight: 600, color: INK.text, anchor: 'start', offset: 10 },
  text: { font: FONT_STACK, fontSize: 12, fill: INK.text },
  concat: { spacing: 32 },
  line: { strokeWidth: 2 },
  point: { filled: true },
};
