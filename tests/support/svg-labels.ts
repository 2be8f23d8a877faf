/**
 * The texts a chart's SVG shows: vega writes every axis label and hides those that would overlap with
 * opacity 0, so a label present in the file may be one nobody sees.
 */
export function visibleTexts(html: string, chartId: string): string[] {
  const svg = html.split(`data-chart="${chartId}">`)[1].split('</svg>')[0];
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)]
    .filter((m) => !/opacity="0"/.test(m[1]))
    .map((m) => m[2]);
}
