/**
 * JSON with every object's keys in one order, so that two values compare equal exactly when they say the
 * same (a recount against a stored tally, a changed action against the one approved). PostgreSQL's jsonb
 * keeps its own key order; this is independent of it.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
