/**
 * A dynamic segment: its condition built from GET /v1/segment-fields, saved with POST / PUT /v1/segments (the
 * API's 422 shown next to the builder, each message under the rule it names), its size and a preview of its
 * members; deleted after a confirmation. A key without `segments:write` reads the condition in words.
 */
import { useState } from "preact/hooks";

import type { components } from "../../../clients/typescript/src/index.ts";
import { FlywheelError, idempotencyKey, useAction, useLoad } from "../api.ts";
import { Link, navigate } from "../router.tsx";
import { useMay } from "../session.ts";
import { ConfirmButton } from "../ui/confirm.tsx";
import { formatDate, formatDateTime, formatInteger } from "../ui/format.ts";
import { KpiTile } from "../ui/kpi.tsx";
import { ProblemAlert } from "../ui/problem.tsx";
import { Loading, PageHeader, Section } from "../ui/states.tsx";
import { ConditionBuilder } from "./segments/builder.tsx";
import {
  countRules,
  fromDocument,
  type Group,
  type Node,
  newGroup,
  rulePaths,
  type SegmentField,
  toDocument,
  updateNode,
} from "./segments/condition.ts";
import { MemberPreview } from "./segments/members.tsx";
import { conditionText } from "./segments/summary.ts";

type Segment = components["schemas"]["Segment"];
type SegmentIn = components["schemas"]["SegmentIn"];

const WRITE = "segments:write";

export function SegmentEditor({ id }: { id: string }) {
  const isNew = id === "new";
  const fields = useLoad((api) => api.get("/v1/segment-fields"), []);
  const segment = useLoad(
    (api) =>
      isNew ? Promise.resolve(undefined) : api.get("/v1/segments/{segment_id}", { params: { path: { segment_id: id } } }),
    [id],
  );
  const title = isNew ? "New segment" : (segment.data?.name ?? "Segment");
  if (segment.error !== undefined || fields.error !== undefined) {
    return (
      <>
        <PageHeader title={title} lead={<Link href="/segments">All segments</Link>} />
        <ProblemAlert error={segment.error ?? fields.error} />
      </>
    );
  }
  if (fields.data === undefined || (!isNew && segment.data === undefined)) {
    return (
      <>
        <PageHeader title={title} />
        <Loading />
      </>
    );
  }
  return <SegmentForm key={id} segment={segment.data} fields={fields.data} reload={segment.reload} />;
}

/** Each rule's messages from a 422: a field error belongs to the rule whose path is the longest prefix of it. */
function errorsByRule(error: unknown, root: Group): Map<number, string[]> {
  const found = new Map<number, string[]>();
  if (!(error instanceof FlywheelError)) return found;
  const paths = [...rulePaths(root).entries()].sort((a, b) => b[1].length - a[1].length);
  for (const fieldError of error.errors) {
    const where = fieldError.field.replace(/^body\./, "");
    const owner = paths.find(([, path]) => where === path || where.startsWith(`${path}.`));
    if (owner) found.set(owner[0], [...(found.get(owner[0]) ?? []), fieldError.message]);
  }
  return found;
}

function SegmentForm({
  segment,
  fields,
  reload,
}: {
  segment: Segment | undefined;
  fields: SegmentField[];
  reload: () => void;
}) {
  const may = useMay(WRITE);
  const [name, setName] = useState(segment?.name ?? "");
  const [description, setDescription] = useState(segment?.description ?? "");
  const [root, setRoot] = useState<Group>(() =>
    segment ? fromDocument(segment.condition, fields) : newGroup("all"),
  );
  const save = useAction(async (api, body: SegmentIn) => {
    const header = { "Idempotency-Key": idempotencyKey() };
    if (segment === undefined) return api.post("/v1/segments", { params: { header }, body });
    return api.put("/v1/segments/{segment_id}", {
      params: { path: { segment_id: segment.segment_id }, header },
      body,
    });
  });
  const remove = useAction(async (api, segmentId: string) => {
    const header = { "Idempotency-Key": idempotencyKey() };
    await api.delete("/v1/segments/{segment_id}", { params: { path: { segment_id: segmentId }, header } });
    return true;
  });
  const onChange = (node: Node, change: (node: Node) => Node | null) => {
    setRoot((current) => (updateNode(current, node.key, change) as Group | null) ?? newGroup("all", []));
    save.clear();
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const body = {
      name: name.trim(),
      description: description.trim() === "" ? null : description.trim(),
      condition: toDocument(root, fields),
    } as unknown as SegmentIn;
    const answer = await save.run(body);
    if (answer === undefined) return;
    if (segment === undefined) navigate(`/segments/${encodeURIComponent(answer.segment_id)}`, true);
    else reload();
  };
  const onDelete = async () => {
    if (segment && (await remove.run(segment.segment_id))) navigate("/segments");
  };

  const header = (
    <PageHeader
      title={segment?.name ?? "New segment"}
      lead={
        <>
          <Link href="/segments">All segments</Link>
          {segment ? ` · updated ${formatDateTime(segment.updated_at)}` : null}
        </>
      }
      actions={
        segment && may ? (
          <ConfirmButton
            label="Delete segment"
            title={`Delete “${segment.name}”?`}
            confirmLabel="Delete"
            danger
            testId="delete-segment"
            onConfirm={() => void onDelete()}
          >
            Its {formatInteger(segment.members)} members leave it, and journeys it triggers stop enrolling from it.
          </ConfirmButton>
        ) : null
      }
    />
  );

  return (
    <>
      {header}
      <ProblemAlert error={remove.error} />
      {segment ? <SegmentFacts segment={segment} /> : null}
      {may ? (
        <form class="card segment-form" onSubmit={(event) => void submit(event)} aria-labelledby="condition-heading">
          <h2 id="condition-heading">Definition</h2>
          <label for="segment-name">Name</label>
          <input
            id="segment-name"
            required
            maxLength={200}
            value={name}
            onInput={(event) => setName((event.target as HTMLInputElement).value)}
          />
          <label for="segment-description">Description (optional)</label>
          <input
            id="segment-description"
            maxLength={2000}
            value={description}
            onInput={(event) => setDescription((event.target as HTMLInputElement).value)}
          />
          <ConditionBuilder root={root} fields={fields} onChange={onChange} errors={errorsByRule(save.error, root)} />
          <ProblemAlert error={save.error} />
          <div class="actions">
            <button
              type="submit"
              class="primary"
              data-write
              disabled={save.busy || name.trim() === "" || countRules(root) === 0}
            >
              {save.busy ? "Saving…" : segment ? "Save segment" : "Create segment"}
            </button>
          </div>
        </form>
      ) : segment ? (
        <Section title="Condition">
          <p data-testid="segment-condition">{conditionText(segment.condition) || "–"}</p>
        </Section>
      ) : (
        <p class="empty">This key may not create segments (it lacks the scope {WRITE}).</p>
      )}
      {segment ? (
        <Section title="Members">
          <MemberPreview segmentId={segment.segment_id} version={segment.updated_at} />
        </Section>
      ) : null}
    </>
  );
}

function SegmentFacts({ segment }: { segment: Segment }) {
  return (
    <>
      <div class="kpis">
        <KpiTile name="Members now" value={formatInteger(segment.members)} testId="segment-size" />
        <KpiTile
          name="Status"
          value={<span class={segment.status === "failing" ? "badge bad" : "badge ok"}>{segment.status ?? "active"}</span>}
        />
        <KpiTile name="Created" value={formatDate(segment.created_at)} />
      </div>
      {segment.failure ? (
        <div role="alert" class="problem">
          <strong>This segment is failing</strong>
          <p>
            {segment.failure.reason} (since {formatDateTime(segment.failure.since)})
          </p>
        </div>
      ) : null}
      {segment.description ? <p class="lead">{segment.description}</p> : null}
    </>
  );
}
