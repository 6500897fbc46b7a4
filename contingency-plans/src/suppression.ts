// Small-cell and complementary suppression for one two-way table with its margins.
//
// The table (rows x columns, e.g. areas x nationalities) with its row totals, column totals and
// grand total is seen as a bipartite graph: one node per row plus a "totals" row node, one node per
// column plus a "totals" column node; each published quantity is an edge (cell r,c: row r to column
// c; row total r: row r to the totals column; column total c: totals row to column c; grand total:
// totals row to totals column). Every additivity equation is "the edges at a node sum to zero" with
// signs. Whoever knows the published edges can solve for a suppressed edge exactly when that edge is
// a BRIDGE of the suppressed-edge subgraph (it lies on no cycle); on a cycle, values can be shifted
// +t/-t around it without changing any published figure. So: suppress the small cells (primary),
// then while a suppressed edge is a bridge, also suppress the published edges of the cheapest path
// (by value) that closes a cycle through it (complementary). This is the standard "no row or column with exactly one
// suppressed cell" rule made exact: a lone suppressed cell in a row is a bridge, and so is a cell
// joining two otherwise separate suppression patterns.
// Zero cells are not edges: absence is published as zero and is not protected.

export interface TableEdge {
  /** Node numbers: rows 0..rows-1, totals row = rows, columns rows+1.., totals column = rows+1+columns. */
  from: number;
  to: number;
  value: number;
  suppressed: boolean;
  /** Why it is suppressed: below the threshold, or to protect another cell. */
  reason?: 'small' | 'complementary';
}

export interface Table {
  rows: number;
  columns: number;
  edges: TableEdge[];
}

export function totalsRow(table: Pick<Table, 'rows'>): number {
  return table.rows;
}

export function columnNode(table: Pick<Table, 'rows'>, column: number): number {
  return table.rows + 1 + column;
}

export function totalsColumn(table: Pick<Table, 'rows' | 'columns'>): number {
  return table.rows + 1 + table.columns;
}

/** Indices of suppressed edges that are bridges of the suppressed subgraph (recoverable values). */
export function recoverableEdges(table: Table): number[] {
  const nodeCount = table.rows + table.columns + 2;
  const adjacency: number[][] = Array.from({ length: nodeCount }, () => []);
  table.edges.forEach((edge, index) => {
    if (!edge.suppressed) return;
    adjacency[edge.from]!.push(index);
    adjacency[edge.to]!.push(index);
  });
  const order = new Int32Array(nodeCount).fill(-1);
  const low = new Int32Array(nodeCount);
  const bridges: number[] = [];
  let counter = 0;
  // Iterative depth-first search (tables can be large; no recursion limit).
  for (let root = 0; root < nodeCount; root++) {
    if (order[root] !== -1 || adjacency[root]!.length === 0) continue;
    const stack: { node: number; viaEdge: number; next: number }[] = [{ node: root, viaEdge: -1, next: 0 }];
    order[root] = low[root] = counter++;
    while (stack.length > 0) {
      const frame = stack.at(-1)!;
      const edges = adjacency[frame.node]!;
      if (frame.next < edges.length) {
        const edgeIndex = edges[frame.next++]!;
        if (edgeIndex === frame.viaEdge) continue;
        const edge = table.edges[edgeIndex]!;
        const other = edge.from === frame.node ? edge.to : edge.from;
        if (order[other] === -1) {
          order[other] = low[other] = counter++;
          stack.push({ node: other, viaEdge: edgeIndex, next: 0 });
        } else low[frame.node] = Math.min(low[frame.node]!, order[other]!);
      } else {
        stack.pop();
        const parent = stack.at(-1);
        if (parent) {
          low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
          if (low[frame.node]! > order[parent.node]!) bridges.push(frame.viaEdge);
        }
      }
    }
  }
  return bridges.sort((a, b) => a - b);
}

/** Edge indices at each node (all edges; callers filter by state). */
function adjacencyOf(table: Table): number[][] {
  const adjacency: number[][] = Array.from({ length: table.rows + table.columns + 2 }, () => []);
  table.edges.forEach((edge, index) => {
    adjacency[edge.from]!.push(index);
    adjacency[edge.to]!.push(index);
  });
  return adjacency;
}

/** Nodes reachable from `start` over suppressed edges, not crossing `skipEdge`. */
function sideOf(table: Table, adjacency: number[][], start: number, skipEdge: number): Set<number> {
  const side = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.pop()!;
    for (const index of adjacency[node]!) {
      const edge = table.edges[index]!;
      if (!edge.suppressed || index === skipEdge) continue;
      const other = edge.from === node ? edge.to : edge.from;
      if (!side.has(other)) {
        side.add(other);
        queue.push(other);
      }
    }
  }
  return side;
}

/**
 * The cheapest way to put the bridge on a cycle: a path from one side of it to the other over the
 * other edges, where published edges cost their value (plus 1, to prefer fewer edges) and already
 * suppressed ones are free. Returns the published edges on that path (empty when none exists).
 */
function cheapestClosingPath(table: Table, adjacency: number[][], bridgeIndex: number, sideA: Set<number>, sideB: Set<number>): number[] {
  const nodeCount = adjacency.length;
  const cost = new Float64Array(nodeCount).fill(Infinity);
  const via = new Int32Array(nodeCount).fill(-1);
  const done = new Uint8Array(nodeCount);
  // Binary heap of [cost, node] pairs; stale entries are skipped when popped.
  const heap: [number, number][] = [];
  const push = (entry: [number, number]) => {
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent]![0] <= heap[i]![0]) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        let smallest = i;
        for (const child of [2 * i + 1, 2 * i + 2]) if (child < heap.length && heap[child]![0] < heap[smallest]![0]) smallest = child;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
        i = smallest;
      }
    }
    return top;
  };
  for (const node of sideA) {
    cost[node] = 0;
    push([0, node]);
  }
  while (heap.length > 0) {
    const [value, node] = pop();
    if (done[node] || value > cost[node]!) continue;
    if (sideB.has(node)) {
      const path: number[] = [];
      for (let at = node; via[at]! >= 0; ) {
        const edge = table.edges[via[at]!]!;
        if (!edge.suppressed) path.push(via[at]!);
        at = edge.from === at ? edge.to : edge.from;
      }
      return path;
    }
    done[node] = 1;
    for (const index of adjacency[node]!) {
      if (index === bridgeIndex) continue;
      const edge = table.edges[index]!;
      const other = edge.from === node ? edge.to : edge.from;
      const step = edge.suppressed ? 0 : edge.value + 1;
      if (value + step < cost[other]!) {
        cost[other] = value + step;
        via[other] = index;
        push([value + step, other]);
      }
    }
  }
  return [];
}

/**
 * Suppress every edge with 0 < value < threshold, then add complementary suppressions until no
 * suppressed edge is recoverable: for each bridge in turn, the published edges of the cheapest
 * path that closes a cycle through it. Mutates and returns the table.
 */
export function suppressTable(table: Table, threshold: number): Table {
  for (const edge of table.edges) {
    if (edge.value > 0 && edge.value < threshold) {
      edge.suppressed = true;
      edge.reason = 'small';
    }
  }
  const adjacency = adjacencyOf(table);
  for (;;) {
    const bridges = recoverableEdges(table);
    if (bridges.length === 0) return table;
    const bridge = table.edges[bridges[0]!]!;
    const sideA = sideOf(table, adjacency, bridge.from, bridges[0]!);
    const sideB = sideOf(table, adjacency, bridge.to, bridges[0]!);
    let path = cheapestClosingPath(table, adjacency, bridges[0]!, sideA, sideB);
    // No other way round (cannot happen with all margins present, which are always there): publish nothing of this table.
    if (path.length === 0) path = table.edges.flatMap((edge, index) => (edge.suppressed ? [] : [index]));
    if (path.length === 0) return table;
    for (const index of path) {
      table.edges[index]!.suppressed = true;
      table.edges[index]!.reason = 'complementary';
    }
  }
}
