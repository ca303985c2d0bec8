/**
 * The sales screens' shared reading of the API: pipelines (their `document` is free JSON in the contract, so its
 * stages are read here defensively), the deal types, and the pipeline picker's default.
 */
import type { components } from "../../../../clients/typescript/src/index.ts";
import type { Flywheel } from "../../api.ts";

export type Pipeline = components["schemas"]["Pipeline"];
export type Deal = components["schemas"]["Deal"];
export type DealSummary = components["schemas"]["DealSummary"];
export type Task = components["schemas"]["Task"];

export interface ChecklistItem {
  id: string;
  title: string;
  required: boolean;
}

export interface StageInfo {
  id: string;
  name: string;
  probability: number;
  checklist: ChecklistItem[];
  requiredFields: string[];
}

function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The pipeline's ordered stages as its document gives them. */
export function stagesOf(pipeline: Pipeline | undefined): StageInfo[] {
  if (pipeline === undefined) return [];
  return list(pipeline.document["stages"]).map((raw, index) => {
    const stage = record(raw);
    const id = text(stage["id"], `stage-${index + 1}`);
    return {
      id,
      name: text(stage["name"], id),
      probability: typeof stage["probability"] === "number" ? stage["probability"] : 0,
      checklist: list(stage["checklist"]).map((rawItem) => {
        const item = record(rawItem);
        const itemId = text(item["id"], "");
        return { id: itemId, title: text(item["title"], itemId), required: item["required"] !== false };
      }),
      requiredFields: list(stage["required_fields"]).filter((field): field is string => typeof field === "string"),
    };
  });
}

/** The pipeline's name (its document's `name`), else its id. */
export function pipelineName(pipeline: Pipeline): string {
  return text(pipeline.document["name"], pipeline.pipeline_id);
}

/** The name of stage `id` in `stages` (the id itself when the pipeline no longer has it; `won` after the last). */
export function stageName(stages: StageInfo[], id: string): string {
  if (id === "won") return "Won";
  return stages.find((stage) => stage.id === id)?.name ?? id;
}

/** The pipeline shown first: the one asked for, else the workspace's own (not built-in), else the first. */
export function defaultPipeline(pipelines: Pipeline[], wanted: string | null): Pipeline | undefined {
  return (
    pipelines.find((pipeline) => pipeline.pipeline_id === wanted) ??
    pipelines.find((pipeline) => !pipeline.built_in) ??
    pipelines[0]
  );
}

export async function loadPipelines(api: Flywheel): Promise<Pipeline[]> {
  return (await api.get("/v1/pipelines")).items;
}

/**
 * A blocker as the API words it ("checklist call", "field need"), said for people: the checklist item's title or
 * the missing field, from the stage it keeps the deal in.
 */
export function explainBlocker(blocker: string, stage: StageInfo | undefined): string {
  const [kind, ...rest] = blocker.split(" ");
  const name = rest.join(" ");
  if (kind === "checklist") {
    const item = stage?.checklist.find((entry) => entry.id === name);
    return `the checklist task “${item?.title ?? name}” is still open`;
  }
  if (kind === "field") {
    return `the deal's “${name}” field is not set`;
  }
  return blocker;
}

/** Whole days since `iso` ("3 d"), or "today". */
export function age(iso: string, now: number = Date.now()): string {
  const days = Math.floor((now - new Date(iso).getTime()) / 86_400_000);
  return Number.isFinite(days) && days > 0 ? `${days} d` : "today";
}
