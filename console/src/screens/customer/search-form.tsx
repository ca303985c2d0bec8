/**
 * The customers list's filters (the parameters of GET /v1/customers/search), kept in the URL's query so a
 * search can be shared, reloaded and gone back to.
 */
import { useState } from "preact/hooks";

import { useLoad } from "../../api.ts";

export const RFM_SEGMENTS = [
  "Champions",
  "Loyal",
  "Potential Loyalist",
  "New",
  "Promising",
  "Need Attention",
  "About to Sleep",
  "At Risk",
  "Can't Lose Them",
  "Hibernating",
  "Lost",
] as const;

export const SORTS: readonly { value: string; label: string }[] = [
  { value: "-created_at", label: "Newest first" },
  { value: "created_at", label: "Oldest first" },
  { value: "-revenue", label: "Most revenue" },
  { value: "-orders", label: "Most orders" },
  { value: "-last_purchase_at", label: "Latest purchase" },
  { value: "last_purchase_at", label: "Longest since a purchase" },
  { value: "-first_seen_at", label: "Seen first most recently" },
];

/** The filters as the URL keeps them (every value a string; "" is no filter). */
export interface Filters {
  tags: string;
  segment: string;
  rfm: string;
  churn: string;
  traitName: string;
  traitValue: string;
  sort: string;
}

const KEYS: Record<keyof Filters, string> = {
  tags: "tags",
  segment: "segment",
  rfm: "rfm_segment",
  churn: "churn_risk",
  traitName: "trait",
  traitValue: "value",
  sort: "sort",
};

export function filtersFrom(query: URLSearchParams): Filters {
  const read = (key: keyof Filters) => query.get(KEYS[key]) ?? "";
  return {
    tags: read("tags"),
    segment: read("segment"),
    rfm: read("rfm"),
    churn: read("churn"),
    traitName: read("traitName"),
    traitValue: read("traitValue"),
    sort: read("sort") || "-created_at",
  };
}

export function filtersQuery(filters: Filters): string {
  const query = new URLSearchParams();
  for (const [key, name] of Object.entries(KEYS) as [keyof Filters, string][]) {
    const value = filters[key].trim();
    if (value !== "" && !(key === "sort" && value === "-created_at")) query.set(name, value);
  }
  const text = query.toString();
  return text === "" ? "" : `?${text}`;
}

/** The query of GET /v1/customers/search for `filters` (a trait as `trait.<name>`). */
export function searchQuery(filters: Filters): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = { sort: filters.sort };
  const tags = filters.tags
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
  if (tags.length > 0) query["tag"] = tags;
  if (filters.segment) query["segment"] = filters.segment;
  if (filters.rfm) query["rfm_segment"] = filters.rfm;
  if (filters.churn) query["churn_risk"] = filters.churn;
  if (filters.traitName.trim() !== "") query[`trait.${filters.traitName.trim()}`] = filters.traitValue;
  return query;
}

function Field({ id, label, children }: { id: string; label: string; children: preact.ComponentChildren }) {
  return (
    <div>
      <label for={id}>{label}</label>
      {children}
    </div>
  );
}

export function SearchForm({ initial, onSearch }: { initial: Filters; onSearch: (filters: Filters) => void }) {
  const [filters, setFilters] = useState(initial);
  const segments = useLoad((api) => api.get("/v1/segments", { params: { query: { limit: 200 } } }), []);
  const set = (key: keyof Filters) => (event: Event) =>
    setFilters({ ...filters, [key]: (event.target as HTMLInputElement | HTMLSelectElement).value });
  return (
    <form
      class="filters"
      role="search"
      aria-label="Search customers"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(filters);
      }}
    >
      <Field id="filter-segment" label="Segment">
        <select id="filter-segment" value={filters.segment} onChange={set("segment")}>
          <option value="">Any segment</option>
          {(segments.data?.items ?? []).map((segment) => (
            <option key={segment.segment_id} value={segment.segment_id}>
              {segment.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="filter-rfm" label="RFM segment">
        <select id="filter-rfm" value={filters.rfm} onChange={set("rfm")}>
          <option value="">Any RFM segment</option>
          {RFM_SEGMENTS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="filter-churn" label="Churn risk">
        <select id="filter-churn" value={filters.churn} onChange={set("churn")}>
          <option value="">Any churn risk</option>
          <option value="high">High</option>
          <option value="medium">Medium</option>
          <option value="low">Low</option>
        </select>
      </Field>
      <Field id="filter-tags" label="Tags">
        <input id="filter-tags" value={filters.tags} onInput={set("tags")} placeholder="vip, newsletter (all of them)" />
      </Field>
      <Field id="filter-trait" label="Trait">
        <input id="filter-trait" value={filters.traitName} onInput={set("traitName")} placeholder="city" />
      </Field>
      <Field id="filter-trait-value" label="Trait value">
        <input id="filter-trait-value" value={filters.traitValue} onInput={set("traitValue")} placeholder="Berlin" />
      </Field>
      <Field id="filter-sort" label="Sort">
        <select id="filter-sort" value={filters.sort} onChange={set("sort")}>
          {SORTS.map((sort) => (
            <option key={sort.value} value={sort.value}>
              {sort.label}
            </option>
          ))}
        </select>
      </Field>
      <div class="filter-actions">
        <button type="submit" class="primary">
          Search
        </button>
      </div>
    </form>
  );
}
