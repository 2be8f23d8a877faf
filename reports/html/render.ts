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

export async function renderSvg(spec: TopLevelSpec, label: string): Promise<string> {
  installTextMetrics();
  const vg = compile(spec, { config: VEGA_CONFIG }).spec;
  const view = new View(parse(vg), { renderer: 'none', loader: offlineLoader(), logLevel: 1 });
  try {
    return inlineSvg(await view.toSVG(), label);
  } finally {
    view.finalize();
  }
}

/**
 * Makes vega's standalone SVG fit inline HTML: namespace declarations are implied inside HTML (and are
 * the only URLs vega writes), and the element gets an accessible name.
 */
export function inlineSvg(svg: string, label: string): string {
  return svg
    .replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" `)
    .replace(/ xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/ xlink:href=/g, ' href=');
}

function escapeAttr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
