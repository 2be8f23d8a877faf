/**
 * Text widths for vega's layout in Node. Without a canvas vega guesses 0.8 em per character, which
 * makes every label look twice as long as it is: panels grow, labels get cut with "…". This uses
 * Helvetica/Arial advance widths instead (the report's font stack is metric-compatible with them),
 * through vega's documented hook for user-defined text metrics.
 */
import * as vega from 'vega';

/** Advance widths of ASCII 32..126 in 1/1000 em (Helvetica, as in its AFM). */
const ASCII_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
/** Anything beyond ASCII (–, ·, ¢, ’, …) counted as a wide-ish glyph. */
const OTHER_WIDTH = 600;
/** Bold glyphs run about 7 % wider; a little slack for fonts slightly wider than Helvetica. */
const BOLD_FACTOR = 1.07;
const SLACK = 1.04;

export function textWidthPx(text: string, fontSizePx: number, bold: boolean): number {
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    units += code >= 32 && code <= 126 ? ASCII_WIDTHS[code - 32] : OTHER_WIDTH;
  }
  return (units / 1000) * fontSizePx * (bold ? BOLD_FACTOR : 1) * SLACK;
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

let installed = false;

/** Points vega's text measurement at `textWidthPx`; idempotent. */
export function installTextMetrics(): void {
  if (installed) return;
  const metrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;
  if (metrics === undefined) return; // an older or newer vega without the hook: fall back to its estimate
  metrics.width = (item, text) => {
    const raw = text ?? item.text;
    const value = Array.isArray(raw) ? raw.join(' ') : raw == null ? '' : String(raw).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const weight = item.fontWeight;
    const bold = weight === 'bold' || (typeof weight === 'number' && weight >= 600) || Number(weight) >= 600;
    return textWidthPx(value, size, bold);
  };
  installed = true;
}
