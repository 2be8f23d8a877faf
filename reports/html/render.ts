/**
 * Renders a vega-lite spec to an inline SVG string at write time: vega-lite compiles it to vega, and
 * vega's `View` runs headless in Node (`renderer: 'none'`, then `toSVG()`). Data is always inline; the
 * loader refuses every fetch, so a report can never depend on the network.
 */
import { loader, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { installTextMetrics } from './text-width.ts';
import { VEGA_CONFIG } from './theme.ts';

/** A vega loader that loads nothing: charts carry their data inline. */
function offlineLoader(): ReturnType<typeof loader> {
  const refuse = async (uri: string): Promise<never> => {
    throw new Error(`the report renders offline; refusing to load ${uri}`);
  };
  const l = loader();
  l.load = refuse;
  l.http = refuse;
  l.file = refuse;
  return l;
}

/**
 * `label` is the SVG's accessible name; `idPrefix` (unique per document, e.g. the chart id) scopes the
 * clip-path and gradient ids so that several inline SVGs in one page never share an id.
 */
export async function renderSvg(spec: TopLevelSpec, label: string, idPrefix = 'chart'): Promise<string> {
  installTextMetrics();
  const vg = compile(spec, { config: VEGA_CONFIG }).spec;
  const view = new View(parse(vg), { renderer: 'none', loader: offlineLoader(), logLevel: 1 });
  try {
    return inlineSvg(await view.toSVG(), label, idPrefix);
  } finally {
    view.finalize();
  }
}

/**
 * Makes vega's standalone SVG fit inline HTML: namespace declarations are implied inside HTML (and are
 * the only URLs vega writes), the element gets an accessible name, and the ids vega numbers from a
 * process-wide counter (`clip7`, `gradient_3`) are renumbered per SVG under `idPrefix`: the same chart
 * gives the same bytes, and two charts in one page cannot collide.
 */
export function inlineSvg(svg: string, label: string, idPrefix: string): string {
  return renumberIds(svg, idPrefix)
    .replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" `)
    .replace(/ xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/ xlink:href=/g, ' href=');
}

function escapeAttr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renumberIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/ id="([^"]+)"/g))
    if (!ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size + 1}`);
  if (ids.size === 0) return svg;
  return svg.replace(/( id="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) => {
    const to = ids.get(id);
    return to === undefined ? all : `${lead}${to}`;
  });
}
