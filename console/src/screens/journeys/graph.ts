/**
 * A journey document as a graph laid out in layers, top to bottom: its steps are nodes, each `next` (and each
 * branch, variant and timeout) an edge. Layers are the longest path from the entry step over the edges that do
 * not loop back (a loop is drawn as a back edge), so every step sits below all the steps leading to it; within a
 * layer, steps are ordered by the mean position of their parents, which keeps arrows from crossing much.
 */
import { conditionText } from "../segments/summary.ts";

export type StepType = "wait" | "branch" | "split" | "action" | "exit" | "unknown";

export interface GraphNode {
  id: string;
  type: StepType;
  /** One line saying what the step does ("wait 3d", "email", "A/B split"). */
  detail: string;
  layer: number;
  /** Position within the layer. */
  order: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  /** The edge goes up (or sideways): a loop back to an earlier step. */
  back: boolean;
}

export interface JourneyGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  layers: number;
  /** The most steps in one layer. */
  width: number;
}

type Doc = Record<string, unknown>;

const isObject = (value: unknown): value is Doc => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === "string" ? value : "");
const short = (value: string, length = 40): string => (value.length > length ? `${value.slice(0, length - 1)}…` : value);

function stepDetail(step: Doc): string {
  switch (step.type) {
    case "wait": {
      const forEvent = isObject(step.for_event) ? text(step.for_event.event) : "";
      if (forEvent) return `wait for ${forEvent}${step.timeout ? ` (≤ ${text(step.timeout)})` : ""}`;
      if (step.until_time) return `wait until ${text(step.until_time)}`;
      return `wait ${text(step.duration)}`;
    }
    case "branch":
      return `branch (${Array.isArray(step.branches) ? step.branches.length + 1 : 1} ways)`;
    case "split":
      return `A/B split (${Array.isArray(step.variants) ? step.variants.length : 0} variants)`;
    case "action": {
      const action = isObject(step.action) ? step.action : {};
      const kind = text(action.kind);
      return kind === "webhook" ? `${text(action.channel) || "message"} message` : kind.replace(/_/g, " ");
    }
    case "exit":
      return "end";
    default:
      return text(step.type);
  }
}

function stepEdges(id: string, step: Doc): GraphEdge[] {
  const edge = (to: unknown, label = ""): GraphEdge[] =>
    typeof to === "string" && to !== "" ? [{ from: id, to, label, back: false }] : [];
  switch (step.type) {
    case "wait":
      return [...edge(step.next, step.for_event ? text((step.for_event as Doc).event) : ""), ...edge(step.on_timeout, "timeout")];
    case "branch": {
      const branches = Array.isArray(step.branches) ? step.branches.filter(isObject) : [];
      return [
        ...branches.flatMap((branch) => edge(branch.next, short(conditionText(branch.condition), 32))),
        ...edge(step.default, "otherwise"),
      ];
    }
    case "split": {
      const variants = Array.isArray(step.variants) ? step.variants.filter(isObject) : [];
      const total = variants.reduce((sum, variant) => sum + (typeof variant.weight === "number" ? variant.weight : 0), 0);
      return variants.flatMap((variant) => {
        const weight = typeof variant.weight === "number" && total > 0 ? ` ${Math.round((variant.weight / total) * 100)}%` : "";
        return edge(variant.next, `${text(variant.name)}${weight}`);
      });
    }
    default:
      return edge(step.next);
  }
}

/** The graph of a journey document (`entry_step`, `steps`). */
export function journeyGraph(document: Doc): JourneyGraph {
  const steps = isObject(document.steps) ? document.steps : {};
  const ids = Object.keys(steps);
  const entry = text(document.entry_step);
  const nodes = new Map<string, GraphNode>();
  for (const id of ids) {
    const step = isObject(steps[id]) ? (steps[id] as Doc) : {};
    const type = (["wait", "branch", "split", "action", "exit"].includes(text(step.type)) ? step.type : "unknown") as StepType;
    nodes.set(id, { id, type, detail: stepDetail(step), layer: 0, order: 0 });
  }
  const edges = ids
    .flatMap((id) => stepEdges(id, isObject(steps[id]) ? (steps[id] as Doc) : {}))
    .filter((edge) => nodes.has(edge.to));
  const outgoing = new Map<string, GraphEdge[]>(ids.map((id) => [id, []]));
  edges.forEach((edge) => outgoing.get(edge.from)?.push(edge));

  // Depth-first from the entry (then from any step it does not reach): an edge to a step on the stack loops back.
  const visited = new Set<string>();
  const onStack = new Set<string>();
  const finished: string[] = [];
  const visit = (id: string) => {
    visited.add(id);
    onStack.add(id);
    for (const edge of outgoing.get(id) ?? []) {
      if (onStack.has(edge.to)) edge.back = true;
      else if (!visited.has(edge.to)) visit(edge.to);
    }
    onStack.delete(id);
    finished.push(id);
  };
  for (const id of [entry, ...ids]) if (nodes.has(id) && !visited.has(id)) visit(id);

  // Longest path over the forward edges, in topological order (reverse post-order).
  const topological = finished.reverse();
  for (const id of topological) {
    const node = nodes.get(id);
    if (node === undefined) continue;
    for (const edge of outgoing.get(id) ?? []) {
      const target = nodes.get(edge.to);
      if (!edge.back && target !== undefined) target.layer = Math.max(target.layer, node.layer + 1);
    }
  }

  const layerCount = Math.max(0, ...[...nodes.values()].map((node) => node.layer)) + 1;
  const layers: GraphNode[][] = Array.from({ length: layerCount }, () => []);
  topological.forEach((id) => {
    const node = nodes.get(id);
    if (node) layers[node.layer]?.push(node);
  });
  // Order each layer by its steps' parents' mean position (the previous layers are placed already).
  const parents = (id: string) => edges.filter((edge) => edge.to === id && !edge.back).map((edge) => nodes.get(edge.from));
  layers.forEach((layer, index) => {
    if (index > 0) {
      const rank = (node: GraphNode): number => {
        const placed = parents(node.id).filter((parent): parent is GraphNode => parent !== undefined);
        return placed.length === 0 ? Infinity : placed.reduce((sum, parent) => sum + parent.order, 0) / placed.length;
      };
      layer.sort((a, b) => rank(a) - rank(b));
    }
    layer.forEach((node, order) => (node.order = order - (layer.length - 1) / 2));
  });
  return {
    nodes: topological.map((id) => nodes.get(id)).filter((node): node is GraphNode => node !== undefined),
    edges,
    layers: layerCount,
    width: Math.max(1, ...layers.map((layer) => layer.length)),
  };
}
