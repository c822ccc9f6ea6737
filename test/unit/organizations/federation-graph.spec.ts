/**
 * Goal: wouldCreateCycle refuses exactly the memberships that would close a circle (joining oneself, or a
 * federation that is already, directly or transitively, a member of the joiner) and nothing else, so that
 * federations only ever nest. Method: worked examples (self, direct 2-cycle, 3-cycle, a diamond that is
 * fine, duplicates, unrelated edges) and fast-check properties checked against the test's own depth-first
 * search: growing a graph by only the edges it admits always leaves it acyclic; on any graph, cyclic or
 * not, it answers true iff member == federation or member is reachable upward from federation; and on an
 * acyclic graph it is true iff adding the edge would make the graph cyclic.
 */
import fc from 'fast-check';
import { wouldCreateCycle, type FederationEdge } from '../../../src/organizations/rules/federation-graph.js';

const edge = (memberId: string, federationId: string): FederationEdge => ({ memberId, federationId });

/** Whether `to` can be reached from `from` by following member → federation edges (at least one). */
function reachableUp(edges: readonly FederationEdge[], from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const e of edges) {
      if (e.memberId !== current) continue;
      if (e.federationId === to) return true;
      if (!seen.has(e.federationId)) {
        seen.add(e.federationId);
        stack.push(e.federationId);
      }
    }
  }
  return false;
}

/** Classic three-colour DFS: whether the directed graph has a cycle (self-loops included). */
function hasCycle(edges: readonly FederationEdge[]): boolean {
  const nodes = new Set(edges.flatMap((e) => [e.memberId, e.federationId]));
  const colour = new Map<string, 'GREY' | 'BLACK'>();
  const visit = (node: string): boolean => {
    colour.set(node, 'GREY');
    for (const e of edges) {
      if (e.memberId !== node) continue;
      const next = colour.get(e.federationId);
      if (next === 'GREY') return true;
      if (next === undefined && visit(e.federationId)) return true;
    }
    colour.set(node, 'BLACK');
    return false;
  };
  return [...nodes].some((node) => colour.get(node) === undefined && visit(node));
}

describe('wouldCreateCycle: worked examples', () => {
  it('an organisation may not join itself, even in an empty graph', () => {
    expect(wouldCreateCycle([], 'a', 'a')).toBe(true);
    expect(wouldCreateCycle([edge('a', 'f')], 'f', 'f')).toBe(true);
  });

  it('a first membership in an empty graph is fine', () => {
    expect(wouldCreateCycle([], 'local', 'regional')).toBe(false);
  });

  it('direct 2-cycle: a federation may not join its own member', () => {
    const edges = [edge('local', 'regional')];
    expect(wouldCreateCycle(edges, 'regional', 'local')).toBe(true);
  });

  it('3-cycle: the top of a chain may not join its bottom, nor its middle', () => {
    const edges = [edge('local', 'regional'), edge('regional', 'wider')];
    expect(wouldCreateCycle(edges, 'wider', 'local')).toBe(true);
    expect(wouldCreateCycle(edges, 'wider', 'regional')).toBe(true);
    expect(wouldCreateCycle(edges, 'regional', 'local')).toBe(true);
  });

  it('going further up the chain is fine, and so is skipping a level', () => {
    const edges = [edge('local', 'regional'), edge('regional', 'wider')];
    expect(wouldCreateCycle(edges, 'wider', 'global')).toBe(false);
    expect(wouldCreateCycle(edges, 'local', 'wider')).toBe(false);
  });

  it('a diamond is no cycle: two paths to the same federation are fine', () => {
    const edges = [edge('a', 'b'), edge('a', 'c'), edge('b', 'd')];
    expect(wouldCreateCycle(edges, 'c', 'd')).toBe(false);
    const diamond = [...edges, edge('c', 'd')];
    expect(hasCycle(diamond)).toBe(false);
    // ...but closing it from the top is.
    expect(wouldCreateCycle(diamond, 'd', 'a')).toBe(true);
    expect(wouldCreateCycle(diamond, 'd', 'c')).toBe(true);
  });

  it('re-adding an existing membership is no cycle (the edge already exists)', () => {
    const edges = [edge('a', 'b'), edge('b', 'c')];
    expect(wouldCreateCycle(edges, 'a', 'b')).toBe(false);
    expect(wouldCreateCycle([...edges, edge('a', 'b')], 'a', 'c')).toBe(false);
  });

  it('edges elsewhere, or pointing the other way, do not matter', () => {
    const edges = [edge('x', 'y'), edge('y', 'z'), edge('a', 'x')];
    expect(wouldCreateCycle(edges, 'a', 'q')).toBe(false);
    expect(wouldCreateCycle(edges, 'q', 'a')).toBe(false);
    // 'z' is above 'a' (a → x → y → z): z may not join a; a joining z directly is fine.
    expect(wouldCreateCycle(edges, 'z', 'a')).toBe(true);
    expect(wouldCreateCycle(edges, 'a', 'z')).toBe(false);
  });

  it('terminates on a graph that already has a cycle (stored before the rule, say)', () => {
    const cyclic = [edge('a', 'b'), edge('b', 'a'), edge('c', 'd')];
    expect(wouldCreateCycle(cyclic, 'c', 'a')).toBe(false);
    expect(wouldCreateCycle(cyclic, 'a', 'c')).toBe(false);
    expect(wouldCreateCycle(cyclic, 'd', 'c')).toBe(true);
    expect(wouldCreateCycle(cyclic, 'a', 'b')).toBe(true);
  });

  it('ids are compared exactly (no case folding)', () => {
    expect(wouldCreateCycle([], 'A', 'a')).toBe(false);
    expect(wouldCreateCycle([edge('a', 'b')], 'B', 'a')).toBe(false);
  });
});

const NODES = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
const node = fc.constantFrom(...NODES);
const pair = fc.tuple(node, node);

/** Grows a graph from nothing, adding each proposed edge only when the rule admits it. */
function grow(proposals: readonly [string, string][]): FederationEdge[] {
  const edges: FederationEdge[] = [];
  for (const [member, federation] of proposals) {
    if (!wouldCreateCycle(edges, member, federation)) edges.push(edge(member, federation));
  }
  return edges;
}

describe('wouldCreateCycle: properties', () => {
  it('a graph grown only by admitted edges is always acyclic', () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 60 }), (proposals) => {
        expect(hasCycle(grow(proposals))).toBe(false);
      }),
    );
  });

  it('on an acyclic graph: true iff adding the edge would make it cyclic', () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 40 }), pair, (proposals, [member, federation]) => {
        const edges = grow(proposals);
        expect(wouldCreateCycle(edges, member, federation)).toBe(hasCycle([...edges, edge(member, federation)]));
      }),
    );
  });

  it('on any graph: true iff member == federation or member is reachable upward from federation', () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 25 }), pair, (raw, [member, federation]) => {
        const edges = raw.map(([m, f]) => edge(m, f));
        expect(wouldCreateCycle(edges, member, federation)).toBe(
          member === federation || reachableUp(edges, federation, member),
        );
      }),
    );
  });

  it('does not depend on the order of the edges', () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 25 }), pair, (raw, [member, federation]) => {
        const edges = raw.map(([m, f]) => edge(m, f));
        expect(wouldCreateCycle([...edges].reverse(), member, federation)).toBe(
          wouldCreateCycle(edges, member, federation),
        );
      }),
    );
  });

  it('refusal is stable: once refused, more edges never admit the same membership', () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 25 }), fc.array(pair, { maxLength: 10 }), pair, (raw, more, [m, f]) => {
        const edges = raw.map(([a, b]) => edge(a, b));
        fc.pre(wouldCreateCycle(edges, m, f));
        expect(wouldCreateCycle([...edges, ...more.map(([a, b]) => edge(a, b))], m, f)).toBe(true);
      }),
    );
  });
});
