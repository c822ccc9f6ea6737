/**
 * Federations nest (local → regional → wider) but never in a circle: an organisation may not join a
 * federation that is already below it, nor itself. A cycle would make "the federation's members" endless
 * and let an organisation see its own figures through itself. SQL twin: the federation_membership_guard
 * trigger (migrations/1763900000000-OrganizationsAndAccess.ts), which checks the same under one lock.
 */
export interface FederationEdge {
  /** The member organisation (which may itself be a federation). */
  readonly memberId: string;
  readonly federationId: string;
}

/** True if adding `memberId` to `federationId` would close a cycle in the active edges. */
export function wouldCreateCycle(edges: readonly FederationEdge[], memberId: string, federationId: string): boolean {
  if (memberId === federationId) return true;
  const parents = new Map<string, string[]>();
  for (const edge of edges) parents.set(edge.memberId, [...(parents.get(edge.memberId) ?? []), edge.federationId]);
  // Walk up from the federation: reaching the member means the member is already above it.
  const seen = new Set<string>([federationId]);
  const stack = [federationId];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const parent of parents.get(current) ?? []) {
      if (parent === memberId) return true;
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return false;
}
