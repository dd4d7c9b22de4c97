/**
 * Strongly connected components of a recorded graph (liveness-graph.ts),
 * by Tarjan's algorithm written with explicit stacks (a recursive one would
 * overflow the JS stack on a long chain of states). Optionally restricted to
 * the states `inside` accepts: edges leaving them are ignored.
 */

export interface CsrGraph {
  states: number;
  firstEdge: Uint32Array;
  target: Uint32Array;
}

/**
 * Calls `visit` once per component that contains a cycle (two or more
 * states, or one state with an edge to itself), with its members and the
 * `component` array in which exactly those members carry `id`. Components are
 * reported in Tarjan's order (a component before any that reaches it).
 */
export function forEachCyclicComponent(
  graph: CsrGraph,
  inside: ((state: number) => boolean) | null,
  visit: (members: Int32Array, id: number, component: Int32Array) => void,
): void {
  const n = graph.states;
  const { firstEdge, target } = graph;
  const order = new Int32Array(n).fill(-1); // discovery number, -1: not yet
  const low = new Int32Array(n);
  // component id once assigned; -1 while on the Tarjan stack or unvisited.
  const component = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let stackTop = 0;
  const callState = new Int32Array(n);
  const callEdge = new Uint32Array(n);
  let callTop = 0;
  let counter = 0;
  let components = 0;

  for (let root = 0; root < n; root++) {
    if (order[root] >= 0 || (inside && !inside(root))) continue;
    order[root] = low[root] = counter++;
    stack[stackTop++] = root;
    callState[callTop] = root;
    callEdge[callTop++] = firstEdge[root];
    while (callTop > 0) {
      const v = callState[callTop - 1];
      const e = callEdge[callTop - 1];
      if (e < firstEdge[v + 1]) {
        callEdge[callTop - 1] = e + 1;
        const w = target[e];
        if (inside && !inside(w)) continue;
        if (order[w] < 0) {
          order[w] = low[w] = counter++;
          stack[stackTop++] = w;
          callState[callTop] = w;
          callEdge[callTop++] = firstEdge[w];
        } else if (component[w] < 0 && order[w] < low[v]) {
          low[v] = order[w]; // w is on the stack
        }
        continue;
      }
      // v is finished.
      callTop--;
      if (callTop > 0) {
        const u = callState[callTop - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
      if (low[v] !== order[v]) continue;
      let start = stackTop;
      do start--;
      while (stack[start] !== v);
      const id = components++;
      for (let i = start; i < stackTop; i++) component[stack[i]] = id;
      const members = stack.subarray(start, stackTop);
      let cyclic = members.length > 1;
      if (!cyclic) for (let x = firstEdge[v]; x < firstEdge[v + 1]; x++) if (target[x] === v) cyclic = true;
      if (cyclic) visit(members, id, component);
      stackTop = start;
    }
  }
}
