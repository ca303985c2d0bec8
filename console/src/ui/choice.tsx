/** A labelled choice among a few fixed options (a list's "Show: open / done / all"). */
export function ChoiceFilter<V extends string>({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
}) {
  return (
    <div class="filters">
      <div>
        <label for={id}>{label}</label>
        <select id={id} value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value as V)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
