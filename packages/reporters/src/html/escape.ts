/**
 * Escaping for the three places untrusted text (names from the scenario, the
 * target, error messages) reaches the HTML report: element text and attribute
 * values, JSON inside a `<script type="application/json">`, and inline scripts.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON that can sit inside `<script type="application/json">` without ending it:
 * `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026` (JSON.parse reads them back unchanged),
 * and the line separators U+2028/U+2029 are escaped for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Source text for an inline `<script>` or `<style>`: no `</script` or `</style` can close it early. */
export function inlineSource(source: string): string {
  return source.replace(/<\/(script|style)/gi, '<\\/$1');
}
