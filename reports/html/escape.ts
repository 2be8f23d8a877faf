/** Escaping for text that comes from users (scenario names, descriptions, violation messages). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
