/**
 * The built-in templates (GET /v1/journey-templates), each created as a draft journey in one click
 * (POST /v1/journey-templates/{name}) with its defaults, or with the parameters changed under "Options" first;
 * the new journey's page opens.
 */
import { useState } from "preact/hooks";

import type { components } from "../../../../clients/typescript/src/index.ts";
import { idempotencyKey, useAction, useLoad } from "../../api.ts";
import { navigate } from "../../router.tsx";
import { ProblemAlert } from "../../ui/problem.tsx";
import { EmptyState, Loading } from "../../ui/states.tsx";

type Template = components["schemas"]["JourneyTemplate"];
type Parameter = components["schemas"]["TemplateParameter"];

/** "dormant_reactivation" → "Dormant reactivation". */
export function templateTitle(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function Templates() {
  const templates = useLoad((api) => api.get("/v1/journey-templates"), []);
  if (templates.error !== undefined) return <ProblemAlert error={templates.error} />;
  if (templates.data === undefined) return <Loading />;
  if (templates.data.items.length === 0) {
    return <EmptyState title="No templates">Create a journey with POST /v1/journeys (see /docs).</EmptyState>;
  }
  return (
    <div class="templates" data-testid="journey-templates">
      {templates.data.items.map((template) => (
        <TemplateCard key={template.name} template={template} />
      ))}
    </div>
  );
}

/** The value of a parameter as the API takes it, or undefined to leave its default. */
function parameterValue(parameter: Parameter, typed: string): unknown {
  if (typed.trim() === "") return undefined;
  if (parameter.type === "number" || parameter.type === "integer") {
    const number = Number(typed);
    return Number.isFinite(number) ? number : typed; // the API's 422 says what is wrong
  }
  return typed;
}

function TemplateCard({ template }: { template: Template }) {
  const parameters = template.parameters ?? [];
  const [values, setValues] = useState<Record<string, string>>({});
  const create = useAction(async (api, body: Record<string, unknown>) =>
    api.post("/v1/journey-templates/{name}", {
      params: { path: { name: template.name }, header: { "Idempotency-Key": idempotencyKey() } },
      body,
    }),
  );
  const title = templateTitle(template.name);
  const submit = async (event: Event) => {
    event.preventDefault();
    const body: Record<string, unknown> = {};
    for (const parameter of parameters) {
      const value = parameterValue(parameter, values[parameter.name] ?? "");
      if (value !== undefined) body[parameter.name] = value;
    }
    const journey = await create.run(body);
    if (journey) navigate(`/journeys/${encodeURIComponent(journey.journey_id)}`);
  };
  const field = (parameter: Parameter) => `template-${template.name}-${parameter.name}`;
  return (
    <form class="template" data-testid={`template-${template.name}`} onSubmit={(event) => void submit(event)}>
      <h3>{title}</h3>
      <p>{template.description}</p>
      {parameters.length > 0 ? (
        <details>
          <summary>Options</summary>
          {parameters.map((parameter) => (
            <div key={parameter.name}>
              <label for={field(parameter)}>{parameter.name.replace(/_/g, " ")}</label>
              <input
                id={field(parameter)}
                data-testid={field(parameter)}
                inputMode={parameter.type === "number" || parameter.type === "integer" ? "decimal" : undefined}
                placeholder={parameter.default === null || parameter.default === undefined ? "none" : String(parameter.default)}
                value={values[parameter.name] ?? ""}
                onInput={(event) => setValues({ ...values, [parameter.name]: (event.target as HTMLInputElement).value })}
              />
              {parameter.description ? <p class="hint">{parameter.description}</p> : null}
            </div>
          ))}
        </details>
      ) : null}
      <ProblemAlert error={create.error} />
      <div class="actions">
        <button type="submit" class="primary" data-write data-testid={`create-${template.name}`} disabled={create.busy}>
          {create.busy ? "Creating…" : "Create"}
          <span class="visually-hidden"> from {title}</span>
        </button>
      </div>
    </form>
  );
}
