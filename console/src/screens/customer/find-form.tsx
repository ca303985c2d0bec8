/** Find one customer by an identifier (GET /v1/customers: email, phone, external or anonymous id) and open them. */
import { useState } from "preact/hooks";

import { useAction } from "../../api.ts";
import { navigate } from "../../router.tsx";
import { ProblemAlert } from "../../ui/problem.tsx";

const KINDS = [
  { value: "email", label: "Email" },
  { value: "phone", label: "Phone" },
  { value: "external_id", label: "External id" },
  { value: "anonymous_id", label: "Anonymous id" },
] as const;

type Kind = (typeof KINDS)[number]["value"];

export function FindForm() {
  const [kind, setKind] = useState<Kind>("email");
  const [value, setValue] = useState("");
  const find = useAction((api, by: Kind, identifier: string) =>
    api.get("/v1/customers", { params: { query: { [by]: identifier } } }),
  );
  return (
    <form
      class="filters"
      aria-label="Find a customer"
      onSubmit={async (event) => {
        event.preventDefault();
        const found = await find.run(kind, value.trim());
        if (found) navigate(`/customers/${encodeURIComponent(found.customer_id)}`);
      }}
    >
      <div class="narrow">
        <label for="find-kind">Find by</label>
        <select id="find-kind" value={kind} onChange={(event) => setKind((event.target as HTMLSelectElement).value as Kind)}>
          {KINDS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div class="wide">
        <label for="find-value">Identifier</label>
        <input
          id="find-value"
          required
          value={value}
          autoComplete="off"
          onInput={(event) => setValue((event.target as HTMLInputElement).value)}
          placeholder={kind === "email" ? "ada@example.com" : ""}
        />
      </div>
      <div class="filter-actions">
        <button type="submit" class="primary" disabled={find.busy}>
          Find
        </button>
      </div>
      <div class="full">
        <ProblemAlert error={find.error} />
      </div>
    </form>
  );
}
