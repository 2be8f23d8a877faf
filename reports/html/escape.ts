/** Escaping for text that comes from users (scenario names, descriptions, violation messages). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A scenario path, escaped, that may break after each dot: unbroken, `demand.conversionElasticity` in a
 * table's header widened its column until a sweep's Points table no longer fit a 1280 px window.
 */
export function pathHtml(path: string): string {
  return escapeHtml(path).replaceAll('.', '.<wbr>');
}
