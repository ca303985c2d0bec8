/** Sign in with an API key: checked with the API (GET /v1/keys/current) before it is kept in sessionStorage. */
import { useState } from "preact/hooks";

import { currentKey } from "../api.ts";
import { navigate } from "../router.tsx";
import { signIn } from "../session.ts";
import { ProblemAlert } from "../ui/problem.tsx";

export function SignIn() {
  const [apiKey, setApiKey] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const identity = await currentKey(apiKey.trim());
      signIn({ apiKey: apiKey.trim(), identity });
      navigate("/", true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in" aria-busy={busy ? "true" : "false"}>
      <form onSubmit={submit} class="card">
        <h1>Sign in to Flywheel</h1>
        <p class="lead">
          Use an API key of your workspace. It stays in this browser tab only and is sent to this gateway alone.
        </p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={apiKey}
          onInput={(event) => setApiKey((event.target as HTMLInputElement).value)}
        />
        <ProblemAlert error={error} />
        <button type="submit" class="primary" disabled={busy || apiKey.trim() === ""}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p class="hint">
          No key yet? <code>flywheel keys create</code> makes one; <a href="/docs">the API docs</a> say what each
          scope allows.
        </p>
      </form>
    </main>
  );
}
