/**
 * Multilateral clearing of obligations (the Multilateral Trade Credit Set-off problem, MTCS).
 *
 * Given accepted, unpaid obligations (debtor → creditor, amount) between members, find how much of each to
 * set off so that every member's net position (what it is owed less what it owes) stays exactly as it was,
 * no obligation grows or turns round, and the debt that remains is as small as possible. The remaining
 * debts are a flow: each net debtor sends its net debt, each net creditor receives its net credit, and no
 * obligation carries more than its amount. The least remaining debt is therefore a minimum-cost flow
 * (cost 1 per unit on every obligation) of value equal to the net internal debt (the sum of positive net
 * positions), and what is set off is each obligation's amount less its remaining flow. Cancelling cycles
 * one by one is not optimal in general; the minimum-cost flow is (Fleischman & Dini, "Mathematical
 * Foundations for Balancing the Payment System in the Trade Credit Market", JRFM 14:452, 2021,
 * https://doi.org/10.3390/jrfm14090452; the same formulation as the Rust `mtcs` crate).
 *
 * Algorithm: the primal-dual method (successive shortest paths with node potentials, Ahuja, Magnanti & Orlin,
 * "Network Flows", §9.8): Dijkstra on reduced costs gives the shortest distances from the source; every
 * arc of zero reduced cost is admissible, and a blocking flow (Dinic) over the admissible arcs augments
 * along all shortest paths at once. Costs are 0 and 1, so the phases are few (one per distinct path
 * length). Amounts are bigint throughout: the result is exact, never rounded.
 *
 * The remaining debt is never below the lower bound, the net internal debt (each unit of remaining debt
 * travels at least one obligation), and never above the total before (the obligations as they are form a
 * feasible flow). The result depends only on the set of obligations: they are sorted by id before the
 * graph is built, and the members by id, so any input order gives the same set-offs.
 *
 * There is no SQL twin for the optimum itself; the database checks what a round writes: a set-off is more
 * than zero and at most what the invoice still owes (`clearing_setoff_positive`, `guard_invoice`).
 */
import { assert } from '../../kernel/assert.js';

export interface Obligation {
  readonly id: string;
  readonly debtorId: string;
  readonly creditorId: string;
  readonly amount: bigint;
}

export interface SetOff {
  readonly obligationId: string;
  readonly debtorId: string;
  readonly creditorId: string;
  /** What is set off: the obligation shrinks by this much. */
  readonly amount: bigint;
  /** What remains owed on it afterwards. */
  readonly remaining: bigint;
}

export interface ClearingTotals {
  /** The sum of all obligations. */
  readonly totalDebt: bigint;
  /** The sum of positive net positions: the least debt any set-off can leave. */
  readonly netInternalDebt: bigint;
}

export interface ClearingResult {
  /** One per obligation reduced (amount > 0), by obligation id. */
  readonly setOffs: readonly SetOff[];
  readonly before: ClearingTotals;
  readonly after: ClearingTotals;
  /** before.totalDebt − after.totalDebt. */
  readonly cleared: bigint;
}

/** Each member's net position: what it is owed less what it owes (positive: a net creditor). */
export function netPositions(obligations: readonly Obligation[]): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const obligation of obligations) {
    net.set(obligation.creditorId, (net.get(obligation.creditorId) ?? 0n) + obligation.amount);
    net.set(obligation.debtorId, (net.get(obligation.debtorId) ?? 0n) - obligation.amount);
  }
  return net;
}

export function totalsOf(obligations: readonly Obligation[]): ClearingTotals {
  let totalDebt = 0n;
  for (const obligation of obligations) totalDebt += obligation.amount;
  let netInternalDebt = 0n;
  for (const position of netPositions(obligations).values()) if (position > 0n) netInternalDebt += position;
  return { totalDebt, netInternalDebt };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The optimal set-off of a set of obligations (see the file's header). */
export function clearObligations(input: readonly Obligation[]): ClearingResult {
  const obligations = [...input].sort(byId);
  for (const [index, obligation] of obligations.entries()) {
    assert(obligation.amount > 0n, 'an obligation is more than zero');
    assert(obligation.debtorId !== obligation.creditorId, 'an obligation is between two members');
    assert(index === 0 || obligations[index - 1]?.id !== obligation.id, 'obligation ids are distinct');
  }
  const members = [...new Set(obligations.flatMap((o) => [o.debtorId, o.creditorId]))].sort();
  const indexOf = new Map(members.map((member, index) => [member, index]));
  const nodeCount = members.length + 2;
  const source = members.length;
  const sink = members.length + 1;
  const graph = new FlowGraph(nodeCount, obligations.length + members.length);

  const net = new Array<bigint>(members.length).fill(0n);
  const arcs = obligations.map((obligation) => {
    const debtor = indexOf.get(obligation.debtorId) ?? -1;
    const creditor = indexOf.get(obligation.creditorId) ?? -1;
    net[debtor] = (net[debtor] ?? 0n) + obligation.amount;
    net[creditor] = (net[creditor] ?? 0n) - obligation.amount;
    return graph.addArc(debtor, creditor, obligation.amount, 1);
  });
  let required = 0n;
  for (const [member, owes] of net.entries()) {
    if (owes > 0n) {
      graph.addArc(source, member, owes, 0);
      required += owes;
    } else if (owes < 0n) {
      graph.addArc(member, sink, -owes, 0);
    }
  }

  const sent = graph.minCostFlow(source, sink, required);
  assert(sent === required, 'the obligations as they stand are a feasible flow, so the net internal debt is sent');

  const setOffs: SetOff[] = [];
  let totalDebt = 0n;
  let remainingDebt = 0n;
  for (const [index, obligation] of obligations.entries()) {
    const arc = arcs[index] ?? -1;
    const cleared = graph.residual(arc);
    const remaining = obligation.amount - cleared;
    assert(cleared >= 0n && remaining >= 0n, 'a set-off neither grows nor reverses an obligation');
    totalDebt += obligation.amount;
    remainingDebt += remaining;
    if (cleared > 0n) {
      setOffs.push({
        obligationId: obligation.id,
        debtorId: obligation.debtorId,
        creditorId: obligation.creditorId,
        amount: cleared,
        remaining,
      });
    }
  }
  assert(remainingDebt >= required, 'the remaining debt is never below the net internal debt');
  return {
    setOffs,
    before: { totalDebt, netInternalDebt: required },
    after: { totalDebt: remainingDebt, netInternalDebt: required },
    cleared: totalDebt - remainingDebt,
  };
}

const UNREACHED = 0x3fffffff;

/** A residual graph (arc i and its reverse i ^ 1) with small integer costs and bigint capacities. */
class FlowGraph {
  private readonly head: Int32Array;
  private next: Int32Array;
  private to: Int32Array;
  private cost: Int32Array;
  private readonly capacity: bigint[] = [];
  private arcCount = 0;

  constructor(
    private readonly nodeCount: number,
    expectedArcs: number,
  ) {
    this.head = new Int32Array(nodeCount).fill(-1);
    this.next = new Int32Array(2 * expectedArcs + 2);
    this.to = new Int32Array(2 * expectedArcs + 2);
    this.cost = new Int32Array(2 * expectedArcs + 2);
  }

  addArc(from: number, to: number, capacity: bigint, cost: number): number {
    if (this.arcCount + 2 > this.to.length) this.grow();
    const arc = this.arcCount;
    this.link(arc, from, to, capacity, cost);
    this.link(arc + 1, to, from, 0n, -cost);
    this.arcCount += 2;
    return arc;
  }

  /** What an arc can still carry: for an obligation, what the flow left of it (what is set off). */
  residual(arc: number): bigint {
    return this.capacity[arc] ?? 0n;
  }

  /** Sends up to `limit` from source to sink at least cost; returns what was sent. */
  minCostFlow(source: number, sink: number, limit: bigint): bigint {
    const potential = new Int32Array(this.nodeCount);
    const distance = new Int32Array(this.nodeCount);
    const level = new Int32Array(this.nodeCount);
    const current = new Int32Array(this.nodeCount);
    let sent = 0n;
    while (sent < limit) {
      if (!this.shortestDistances(source, sink, potential, distance)) break;
      const toSink = distance[sink] ?? UNREACHED;
      for (let node = 0; node < this.nodeCount; node += 1) {
        potential[node] = (potential[node] ?? 0) + Math.min(distance[node] ?? UNREACHED, toSink);
      }
      // A blocking flow over the admissible arcs (reduced cost zero), Dinic's way.
      while (sent < limit && this.levels(source, sink, potential, level)) {
        current.set(this.head);
        for (;;) {
          const pushed = this.push(source, sink, limit - sent, potential, level, current);
          if (pushed === 0n) break;
          sent += pushed;
          if (sent === limit) break;
        }
      }
    }
    return sent;
  }

  private reduced(arc: number, from: number, potential: Int32Array): number {
    return (this.cost[arc] ?? 0) + (potential[from] ?? 0) - (potential[this.to[arc] ?? 0] ?? 0);
  }

  /** Dijkstra on reduced costs (all non-negative); stops once the sink is settled. */
  private shortestDistances(source: number, sink: number, potential: Int32Array, distance: Int32Array): boolean {
    distance.fill(UNREACHED);
    distance[source] = 0;
    const heap = new MinHeap();
    heap.push(0, source);
    const settled = new Uint8Array(this.nodeCount);
    while (heap.size > 0) {
      const [dist, node] = heap.pop();
      if (settled[node] === 1 || dist !== distance[node]) continue;
      settled[node] = 1;
      if (node === sink) return true;
      for (let arc = this.head[node] ?? -1; arc !== -1; arc = this.next[arc] ?? -1) {
        if ((this.capacity[arc] ?? 0n) === 0n) continue;
        const target = this.to[arc] ?? 0;
        const candidate = dist + this.reduced(arc, node, potential);
        if (candidate < (distance[target] ?? UNREACHED)) {
          distance[target] = candidate;
          heap.push(candidate, target);
        }
      }
    }
    return false;
  }

  private levels(source: number, sink: number, potential: Int32Array, level: Int32Array): boolean {
    level.fill(-1);
    level[source] = 0;
    const queue = new Int32Array(this.nodeCount);
    let readAt = 0;
    let writeAt = 0;
    queue[writeAt++] = source;
    while (readAt < writeAt) {
      const node = queue[readAt++] ?? 0;
      for (let arc = this.head[node] ?? -1; arc !== -1; arc = this.next[arc] ?? -1) {
        const target = this.to[arc] ?? 0;
        if (level[target] !== -1 || (this.capacity[arc] ?? 0n) === 0n) continue;
        if (this.reduced(arc, node, potential) !== 0) continue;
        level[target] = (level[node] ?? 0) + 1;
        queue[writeAt++] = target;
      }
    }
    return level[sink] !== -1;
  }

  /** One augmenting path along the level graph (iterative, so that long paths need no deep stack). */
  private push(
    source: number,
    sink: number,
    limit: bigint,
    potential: Int32Array,
    level: Int32Array,
    current: Int32Array,
  ): bigint {
    const path: number[] = [];
    let node = source;
    for (;;) {
      if (node === sink) {
        let pushed = limit;
        for (const arc of path) {
          const capacity = this.capacity[arc] ?? 0n;
          if (capacity < pushed) pushed = capacity;
        }
        for (const arc of path) {
          this.capacity[arc] = (this.capacity[arc] ?? 0n) - pushed;
          this.capacity[arc ^ 1] = (this.capacity[arc ^ 1] ?? 0n) + pushed;
        }
        return pushed;
      }
      let advanced = false;
      for (let arc = current[node] ?? -1; arc !== -1; arc = this.next[arc] ?? -1) {
        const target = this.to[arc] ?? 0;
        if (
          (this.capacity[arc] ?? 0n) > 0n &&
          level[target] === (level[node] ?? 0) + 1 &&
          this.reduced(arc, node, potential) === 0
        ) {
          current[node] = arc;
          path.push(arc);
          node = target;
          advanced = true;
          break;
        }
      }
      if (advanced) continue;
      // A dead end: nothing more passes through this node in this phase; step back.
      current[node] = -1;
      level[node] = -1;
      const back = path.pop();
      if (back === undefined) return 0n;
      node = this.to[back ^ 1] ?? 0;
      current[node] = this.next[current[node] ?? -1] ?? -1;
    }
  }

  private link(arc: number, from: number, to: number, capacity: bigint, cost: number): void {
    this.to[arc] = to;
    this.cost[arc] = cost;
    this.capacity[arc] = capacity;
    this.next[arc] = this.head[from] ?? -1;
    this.head[from] = arc;
  }

  private grow(): void {
    const size = this.to.length * 2 + 2;
    const widen = (array: Int32Array) => {
      const wider = new Int32Array(size);
      wider.set(array);
      return wider;
    };
    this.next = widen(this.next);
    this.to = widen(this.to);
    this.cost = widen(this.cost);
  }
}

/** A binary min-heap of (key, node) pairs. */
class MinHeap {
  private keys: number[] = [];
  private nodes: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, node: number): void {
    const keys = this.keys;
    const nodes = this.nodes;
    let at = keys.length;
    keys.push(key);
    nodes.push(node);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((keys[parent] ?? 0) <= key) break;
      keys[at] = keys[parent] ?? 0;
      nodes[at] = nodes[parent] ?? 0;
      at = parent;
    }
    keys[at] = key;
    nodes[at] = node;
  }

  pop(): [number, number] {
    const keys = this.keys;
    const nodes = this.nodes;
    const top: [number, number] = [keys[0] ?? 0, nodes[0] ?? 0];
    const lastKey = keys.pop() ?? 0;
    const lastNode = nodes.pop() ?? 0;
    const size = keys.length;
    if (size === 0) return top;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && (keys[child + 1] ?? 0) < (keys[child] ?? 0)) child += 1;
      if ((keys[child] ?? 0) >= lastKey) break;
      keys[at] = keys[child] ?? 0;
      nodes[at] = nodes[child] ?? 0;
      at = child;
    }
    keys[at] = lastKey;
    nodes[at] = lastNode;
    return top;
  }
}
