/** How a threshold's scope is shown: "total", "GET /x", "flow:store", "load:api", "load:api › GET /x". */
export function scopeLabel(t: { scope: string; load?: string }): string {
  if (t.load === undefined) return t.scope;
  return t.scope === 'total' ? `load:${t.load}` : `load:${t.load} › ${t.scope}`;
}
