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
const BACK_LANE = 36; // room on the right for edges looping back up
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
  const fit = (available - 2 * MARGIN - BACK_LANE - (columns - 1) * GAP_X) / columns;
  const nodeWidth = Math.round(Math.min(MAX_NODE, Math.max(MIN_NODE, fit)));
  const width = Math.max(available, 2 * MARGIN + BACK_LANE + columns * nodeWidth + (columns - 1) * GAP_X);
  const height = 2 * MARGIN + graph.layers * NODE_HEIGHT + (graph.layers - 1) * GAP_Y + 8;
  const centre = (width - BACK_LANE) / 2;
  const places = new Map<string, Placed>(
    graph.nodes.map((node) => [
      node.id,
      { x: centre + node.order * (nodeWidth + GAP_X) - nodeWidth / 2, y: MARGIN + node.layer * (NODE_HEIGHT + GAP_Y) },
    ]),
  );
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
          <Edge key={`${edge.from}-${edge.to}-${index}`} edge={edge} places={places} nodeWidth={nodeWidth} width={width} />
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
}: {
  edge: GraphEdge;
  places: ReadonlyMap<string, Placed>;
  nodeWidth: number;
  width: number;
}) {
  const from = places.get(edge.from);
  const to = places.get(edge.to);
  if (!from || !to) return null;
  let path: string;
  let labelAt: Placed;
  if (edge.back || to.y <= from.y) {
    // a loop: out of the source's right side, up the lane on the right, into the target's right side
    const lane = width - MARGIN - BACK_LANE / 2;
    const y1 = from.y + NODE_HEIGHT / 2;
    const y2 = to.y + NODE_HEIGHT / 2;
    path = `M${from.x + nodeWidth},${y1} C${lane},${y1} ${lane},${y2} ${to.x + nodeWidth + 2},${y2}`;
    labelAt = { x: lane - 4, y: (y1 + y2) / 2 };
  } else {
    const x1 = from.x + nodeWidth / 2;
    const y1 = from.y + NODE_HEIGHT;
    const x2 = to.x + nodeWidth / 2;
    const y2 = to.y - 2;
    const bend = Math.max(24, (y2 - y1) / 2);
    path = `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
    // near the source, where the ways out of a branch are still apart
    labelAt = { x: x1 + (x2 - x1) * 0.3, y: y1 + Math.min(24, (y2 - y1) * 0.35) };
  }
  return (
    <g>
      <path d={path} fill="none" stroke="#6b7280" stroke-width={1.5} marker-end="url(#journey-arrow)" />
      {edge.label ? (
        <text x={labelAt.x} y={labelAt.y} class="edge-label" text-anchor="middle">
          {clip(edge.label, 24)}
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
