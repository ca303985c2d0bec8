/** The pipeline picker of the Sales board and analytics: picking one puts it in the address (`?pipeline=`). */
import { navigate, useRoute } from "../../router.tsx";
import { type Pipeline, pipelineName } from "./pipeline.ts";

export function PipelinePicker({ pipelines, chosen }: { pipelines: Pipeline[]; chosen: string }) {
  const { path, query } = useRoute();
  // Other choices of the screen (the analytics' period) stay as they were.
  const choose = (pipelineId: string) => {
    const next = new URLSearchParams(query);
    next.set("pipeline", pipelineId);
    navigate(`${path}?${next.toString()}`, true);
  };
  return (
    <div class="pipeline-picker">
      <label for="pipeline">Pipeline</label>
      <select
        id="pipeline"
        value={chosen}
        onChange={(event) => choose(event.currentTarget.value)}
      >
        {pipelines.map((pipeline) => (
          <option key={pipeline.pipeline_id} value={pipeline.pipeline_id}>
            {pipelineName(pipeline)}
          </option>
        ))}
      </select>
    </div>
  );
}
