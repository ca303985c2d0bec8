/** Every error from the API shown as its problem: title, detail and the fields it names. */
import { FlywheelError } from "../api.ts";

export function ProblemAlert({ error }: { error: unknown }) {
  if (error === undefined || error === null) {
    return null;
  }
  if (error instanceof FlywheelError) {
    return (
      <div role="alert" class="problem" data-status={error.status}>
        <strong>{error.title}</strong>
        {error.detail ? <p>{error.detail}</p> : null}
        {error.errors.length > 0 ? (
          <ul>
            {error.errors.map((field) => (
              <li key={field.field}>
                <code>{field.field}</code>: {field.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" class="problem">
      <strong>The gateway could not be reached</strong>
      <p>{message}</p>
    </div>
  );
}
