/** Customers: find one by an identifier, or list them by segment, RFM segment, churn risk, tags and traits. */
import { usePaged } from "../api.ts";
import { Link, navigate, useRoute } from "../router.tsx";
import { formatDate, formatInteger, formatMoney } from "../ui/format.ts";
import { type Column, PagedTable } from "../ui/table.tsx";
import { EmptyState, PageHeader, Section } from "../ui/states.tsx";
import { FindForm } from "./customer/find-form.tsx";
import { type CustomerView, displayName, firstEmail } from "./customer/people.ts";
import { type Filters, filtersFrom, filtersQuery, SearchForm, searchQuery } from "./customer/search-form.tsx";

const COLUMNS: Column<CustomerView>[] = [
  {
    title: "Customer",
    cell: (customer) => (
      <Link href={`/customers/${encodeURIComponent(customer.customer_id)}`}>{displayName(customer)}</Link>
    ),
  },
  { title: "Email", cell: (customer) => firstEmail(customer) ?? "–" },
  { title: "Tags", cell: (customer) => (customer.tags ?? []).join(", ") || "–" },
  { title: "Orders", numeric: true, cell: (customer) => formatInteger(customer.stats?.orders) },
  { title: "Revenue", numeric: true, cell: (customer) => formatMoney(customer.stats?.revenue) },
  { title: "Last purchase", cell: (customer) => formatDate(customer.stats?.last_purchase_at) },
];

export function Customers() {
  const { query } = useRoute();
  const filters = filtersFrom(query);
  const key = filtersQuery(filters);
  const list = usePaged(
    (api, cursor) =>
      api.get("/v1/customers/search", {
        // trait.<name> filters are open-ended: the typed query names only the example (`trait.city`)
        params: { query: { ...searchQuery(filters), limit: 50, ...(cursor ? { cursor } : {}) } as never },
      }),
    [key],
  );
  const search = (next: Filters) => navigate(`/customers${filtersQuery(next)}`, true);
  const erased = query.get("erased");
  return (
    <>
      <PageHeader title="Customers" lead="Find a customer by an identifier, or list them by what they are and do." />
      {erased ? (
        <div role="status" class="note" data-testid="erased-note">
          Customer <code>{erased}</code> was erased; the services delete what they held on them.
        </div>
      ) : null}
      <Section title="Find a customer" id="find">
        <FindForm />
      </Section>
      <Section title="Search" id="search">
        <SearchForm key={key} initial={filters} onSearch={search} />
        <PagedTable
          list={list}
          columns={COLUMNS}
          rowKey={(customer) => customer.customer_id}
          caption="Customers matching the filters"
          testId="customer-results"
          empty={
            <EmptyState title="No customer matches these filters">
              Loosen a filter, or send events (POST /v1/events) to bring customers in.
            </EmptyState>
          }
        />
      </Section>
    </>
  );
}
