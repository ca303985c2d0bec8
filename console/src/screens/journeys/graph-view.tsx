/**
 * The journey graph drawn as SVG, top to bottom (readable on a phone: boxes shrink to the width down to a
 * floor, then the drawing scrolls sideways), with how many enrolments are at each step now; the same steps
 * follow as a list for screen readers and for reading each step's ways out in full.
 */
import { useEffect, useRef, useState } from "preact/hooks";

import { formatInteger } from "../../ui/format.ts";
import type { GraphEdge, GraphNode, JourneyGraph, StepType } from "./graph.ts";

const NODE_HEIGHT = 58;
const GAP_X = 16;
const GAP_Y = 60;
const MARGIN = 12;
const LANE = 36; // room on the right for edges looping back up, on the left for edges skipping layers
const CORNER = 8;
const MIN_NODE = 112;
const MAX_NODE = 184;

const COLOURS: Record<StepType, { fill: string; stroke: string }> = {
  wait: { fill: "#eef2ff", stroke: "#4338ca" },
  branch: { fill: "#fff7ed", stroke: "#c2410c" },
  split: { fill: "#faf5ff", stroke: "#7e22ce" },
  action: { fill: "#eff6ff", stroke: "#1f5fbf" },
  exit: { fill: "#f0fdf4", stroke: "#15803d" },
  unknown: { fill: "#f3f4f6", stroke: "#4b5563" },
};

const clip = (value: string, chars: number): string => (value.length > chars ? `${value.slice(0, chars - 1)}…` : value);

/** Where an edge that cannot go straight down runs: its lane's x, and its own offset from its neighbours. */
interface Lane {
  x: number;
  offset: number;
}

interface Placed {
  x: number;
  y: number;
}

export function GraphView({
  graph,
  here,
  label,
}: {
  graph: JourneyGraph;
  /** Enrolments in flight at each step (GET …/stats `steps`). */
  here: ReadonlyMap<string, number>;
  label: string;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const [available, setAvailable] = useState(800);
  useEffect(() => {
    if (frame.current === null) return;
    const observer = new ResizeObserver(([entry]) => entry && setAvailable(entry.contentRect.width));
    observer.observe(frame.current);
    return () => observer.disconnect();
  }, []);

  const columns = graph.width;
  const layerOf = new Map(graph.nodes.map((node) => [node.id, node.layer]));
  const skips = graph.edges.filter((edge) => !edge.back && (layerOf.get(edge.to) ?? 0) - (layerOf.get(edge.from) ?? 0) > 1);
  const backs = graph.edges.filter((edge) => edge.back).length;
  const rightLane = backs > 0 ? LANE + 6 * (backs - 1) : 0;
  const leftLane = skips.length > 0 ? LANE + 6 * (skips.length - 1) : 0;
  const laneRoom = leftLane + rightLane;
  const fit = (available - 2 * MARGIN - laneRoom - (columns - 1) * GAP_X) / columns;
  const nodeWidth = Math.round(Math.min(MAX_NODE, Math.max(MIN_NODE, fit)));
  const width = Math.max(available, 2 * MARGIN + laneRoom + columns * nodeWidth + (columns - 1) * GAP_X);
  const height = 2 * MARGIN + graph.layers * NODE_HEIGHT + (graph.layers - 1) * GAP_Y + 8;
  const centre = leftLane + (width - laneRoom) / 2;

  const places = new Map<string, Placed>(
    graph.nodes.map((node) => [
      node.id,
      { x: centre + node.order * (nodeWidth + GAP_X) - nodeWidth / 2, y: MARGIN + node.layer * (NODE_HEIGHT + GAP_Y) },
    ]),
  );
  // Each edge skipping layers runs just left of the leftmost step of the layers it passes, each loop just right of
  // the rightmost; `offset` keeps edges leaving the same layer apart.
  const passed = (edge: GraphEdge) => {
    const [a, b] = [layerOf.get(edge.from) ?? 0, layerOf.get(edge.to) ?? 0];
    return graph.nodes.filter((node) => node.layer >= Math.min(a, b) && node.layer <= Math.max(a, b));
  };
  const edgeLanes = new Map<GraphEdge, Lane>();
  skips.forEach((edge, index) => {
    const left = Math.min(...passed(edge).map((node) => places.get(node.id)?.x ?? width));
    edgeLanes.set(edge, { x: Math.max(MARGIN, left - 20 - index * 6), offset: index * 5 });
  });
  graph.edges
    .filter((edge) => edge.back)
    .forEach((edge, index) => {
      const right = Math.max(...passed(edge).map((node) => (places.get(node.id)?.x ?? 0) + nodeWidth));
      edgeLanes.set(edge, { x: Math.min(width - MARGIN, right + 20 + index * 6), offset: index * 5 });
    });
  const chars = Math.floor((nodeWidth - 16) / 7);

  return (
    <div class="journey-graph" ref={frame} tabIndex={0} role="group" aria-label={`${label} (scrolls sideways)`}>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={label}
        data-testid="journey-graph"
      >
        <defs>
          <marker id="journey-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" fill="#4b5563" />
          </marker>
        </defs>
        {graph.edges.map((edge, index) => (
          <Edge
            key={`${edge.from}-${edge.to}-${index}`}
            edge={edge}
            places={places}
            nodeWidth={nodeWidth}
            width={width}
            lane={edgeLanes.get(edge)}
          />
        ))}
        {graph.nodes.map((node) => {
          const place = places.get(node.id);
          return place ? (
            <Box key={node.id} node={node} place={place} nodeWidth={nodeWidth} chars={chars} here={here.get(node.id) ?? 0} />
          ) : null;
        })}
      </svg>
    </div>
  );
}

function Box({
  node,
  place,
  nodeWidth,
  chars,
  here,
}: {
  node: GraphNode;
  place: Placed;
  nodeWidth: number;
  chars: number;
  here: number;
}) {
  const colour = COLOURS[node.type];
  return (
    <g data-testid="journey-step" data-step={node.id}>
      <title>{`${node.id}: ${node.detail}${here > 0 ? ` (${here} here now)` : ""}`}</title>
      <rect
        x={place.x}
        y={place.y}
        width={nodeWidth}
        height={NODE_HEIGHT}
        rx={node.type === "exit" ? NODE_HEIGHT / 2 : 8}
        fill={colour.fill}
        stroke={colour.stroke}
        stroke-width={node.type === "branch" || node.type === "split" ? 2 : 1.5}
      />
      <text x={place.x + 10} y={place.y + 22} class="step-id">
        {clip(node.id, chars)}
      </text>
      <text x={place.x + 10} y={place.y + 42} class="step-detail">
        {clip(node.detail, chars + 2)}
      </text>
      {here > 0 ? (
        <g>
          <rect x={place.x + nodeWidth - 34} y={place.y - 9} width={40} height={18} rx={9} fill="#1a1f2b" />
          <text x={place.x + nodeWidth - 14} y={place.y + 4} class="step-here" text-anchor="middle">
            {formatInteger(here)}
          </text>
        </g>
      ) : null}
    </g>
  );
}

function Edge({
  edge,
  places,
  nodeWidth,
  width,
  lane,
}: {
  edge: GraphEdge;
  places: ReadonlyMap<string, Placed>;
  nodeWidth: number;
  width: number;
  /** Its lane, for an edge skipping layers (straight, it would hide behind boxes) or looping back. */
  lane: Lane | undefined;
}) {
  const from = places.get(edge.from);
  const to = places.get(edge.to);
  if (!from || !to) return null;
  let path: string;
  let labelAt: Placed;
  let anchor: "middle" | "start" = "middle";
  let rotate = false;
  if (lane !== undefined && to.y > from.y) {
    // down out of the source, left under its layer to the lane, down the lane, into the target's left side
    const x1 = from.x + nodeWidth / 2;
    const y1 = from.y + NODE_HEIGHT;
    const turn = y1 + GAP_Y / 3 + lane.offset;
    const y2 = to.y + NODE_HEIGHT / 2;
    path = `M${x1},${y1} L${x1},${turn} L${lane.x},${turn} L${lane.x},${y2} L${to.x - 2},${y2}`;
    labelAt = { x: lane.x + 4, y: turn + 14 };
    anchor = "start";
  } else if (lane !== undefined || to.y <= from.y) {
    // a loop: out of the source's right side, up its lane on the right, into the target's right side
    const x = lane?.x ?? width - MARGIN;
    const y1 = from.y + NODE_HEIGHT / 2 + (lane?.offset ?? 0);
    const y2 = to.y + NODE_HEIGHT / 2 + (lane?.offset ?? 0);
    path = `M${from.x + nodeWidth},${y1} L${x},${y1} L${x},${y2} L${to.x + nodeWidth + 2},${y2}`;
    labelAt = { x: x + 12, y: (y1 + y2) / 2 };
    rotate = true; // along the lane: the room right of it is narrow
  } else {
    const x1 = from.x + nodeWidth / 2;
    const y1 = from.y + NODE_HEIGHT;
    const x2 = to.x + nodeWidth / 2;
    const y2 = to.y - 2;
    const bend = Math.max(24, (y2 - y1) / 2);
    path = `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
    // three quarters of the way, near the target, where the ways out of a branch are apart
    const t = 0.75;
    const y = (1 - t) ** 3 * y1 + 3 * (1 - t) ** 2 * t * (y1 + bend) + 3 * (1 - t) * t ** 2 * (y2 - bend) + t ** 3 * y2;
    labelAt = { x: x1 + (x2 - x1) * (3 * t ** 2 - 2 * t ** 3), y: y - 2 };
  }
  return (
    <g>
      <path
        d={path}
        fill="none"
        stroke="#6b7280"
        stroke-width={1.5}
        stroke-linejoin="round"
        marker-end="url(#journey-arrow)"
      />
      {edge.label ? (
        <text
          x={labelAt.x}
          y={labelAt.y}
          class="edge-label"
          text-anchor={anchor}
          transform={rotate ? `rotate(-90 ${labelAt.x} ${labelAt.y})` : undefined}
        >
          {clip(edge.label, 20)}
        </text>
      ) : null}
    </g>
  );
}

/** The steps as a list: what each does and where each way out leads. */
export function StepList({ graph, here }: { graph: JourneyGraph; here: ReadonlyMap<string, number> }) {
  return (
    <details class="step-list">
      <summary>The steps as a list</summary>
      <ol>
        {graph.nodes.map((node) => {
          const out = graph.edges.filter((edge) => edge.from === node.id);
          return (
            <li key={node.id}>
              <strong>{node.id}</strong>: {node.detail}
              {(here.get(node.id) ?? 0) > 0 ? ` (${formatInteger(here.get(node.id))} here now)` : null}
              {out.length > 0 ? (
                <ul>
                  {out.map((edge, index) => (
                    <li key={index}>
                      {edge.label ? `${edge.label} → ` : "then → "}
                      {edge.to}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
    </details>
  );
}
