/** A segment's current members (GET /v1/segments/{id}/members), a page at a time, each linking to the 360 view. */
import type { components } from "../../../../clients/typescript/src/index.ts";
import { usePaged } from "../../api.ts";
import { Link } from "../../router.tsx";
import { formatDateTime } from "../../ui/format.ts";
import { EmptyState } from "../../ui/states.tsx";
import { PagedTable } from "../../ui/table.tsx";

type Member = components["schemas"]["SegmentMember"];

/** `version` (the segment's updated_at): a saved change reloads the members. */
export function MemberPreview({ segmentId, version }: { segmentId: string; version: string }) {
  const members = usePaged<Member>(
    (api, cursor) =>
      api.get("/v1/segments/{segment_id}/members", {
        params: { path: { segment_id: segmentId }, query: { limit: 25, ...(cursor ? { cursor } : {}) } },
      }),
    [segmentId, version],
  );
  return (
    <PagedTable
      list={members}
      caption="Members of the segment"
      testId="segment-members"
      rowKey={(member) => member.customer_id}
      columns={[
        {
          title: "Customer",
          cell: (member) => (
            <Link href={`/customers/${encodeURIComponent(member.customer_id)}`} class="customer-id">
              {member.customer_id}
            </Link>
          ),
        },
        { title: "Entered", cell: (member) => formatDateTime(member.entered_at) },
      ]}
      empty={
        <EmptyState title="No customer matches yet">
          Members join as their events arrive; loosen the condition to match more customers now.
        </EmptyState>
      }
    />
  );
}
