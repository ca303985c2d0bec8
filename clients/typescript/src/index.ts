/**
 * The Flywheel API client: `createFlywheel({ baseUrl, apiKey })`.
 *
 * Every path, parameter, body and answer is typed from contracts/openapi.json (src/generated/schema.ts, made by
 * openapi-typescript; `python -m clients.generate`). Calls go through openapi-fetch; this wrapper adds the API key
 * and turns every answer other than 2xx into a `FlywheelError` carrying the problem's title, detail and errors, so
 * a call returns the answer's data or throws.
 *
 *     const flywheel = createFlywheel({ baseUrl: "http://localhost:8080", apiKey });
 *     const customer = await flywheel.get("/v1/customers", { params: { query: { email: "ada@example.com" } } });
 */
import createClient, { type Client, type ClientOptions, type FetchResponse, type MaybeOptionalInit } from "openapi-fetch";
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";

import { FlywheelError } from "./errors.js";
import type { paths } from "./generated/schema.js";

export { FlywheelError, type FieldError, type Problem } from "./errors.js";
export type * from "./generated/schema.js";

/** The media types whose bodies openapi-fetch reads as the answer's data. */
type Media = `${string}/${string}`;

/** openapi-fetch's own rule for the init argument: optional exactly when nothing in it is required. */
type InitArgument<Init> = RequiredKeysOf<Init> extends never
  ? [(Init & { [key: string]: unknown })?]
  : [Init & { [key: string]: unknown }];

/** The data of a successful answer of `Operation` (2xx), as openapi-fetch types it. */
export type Answer<Operation extends Record<string | number, unknown>, Init> = NonNullable<
  Extract<FetchResponse<Operation, Init, Media>, { error?: never }>["data"]
>;

/** A call of one HTTP method: a path of the API, its typed init (params, body); resolves to the 2xx data. */
export type Call<Method extends HttpMethod> = <
  Path extends PathsWithMethod<paths, Method>,
  Init extends MaybeOptionalInit<paths[Path], Method>,
>(
  path: Path,
  ...init: InitArgument<Init>
) => Promise<Answer<paths[Path][Method] & Record<string | number, unknown>, Init>>;

export interface FlywheelOptions {
  /** The gateway's URL, e.g. `http://localhost:8080` (no trailing `/v1`). */
  baseUrl: string;
  /** An API key of the workspace (`flywheel keys create`, or POST /v1/keys). */
  apiKey: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: ClientOptions["fetch"];
}

export interface Flywheel {
  get: Call<"get">;
  post: Call<"post">;
  put: Call<"put">;
  patch: Call<"patch">;
  delete: Call<"delete">;
  /** The underlying openapi-fetch client (API key included), answering `{ data, error, response }` without
   * throwing: for callers that read headers or handle statuses themselves. */
  raw: Client<paths, Media>;
}

export function createFlywheel(options: FlywheelOptions): Flywheel {
  const raw = createClient<paths, Media>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    get: unwrapped(raw.GET),
    post: unwrapped(raw.POST),
    put: unwrapped(raw.PUT),
    patch: unwrapped(raw.PATCH),
    delete: unwrapped(raw.DELETE),
    raw,
  };
}

/** `method`, answering the data of a 2xx or throwing a `FlywheelError` for anything else. */
function unwrapped<Method extends HttpMethod>(method: (...args: never[]) => Promise<unknown>): Call<Method> {
  // openapi-fetch's generic signature is kept in `Call`; inside, the answer is only taken apart.
  const call = async (...args: never[]): Promise<unknown> => {
    const { data, error, response } = (await method(...args)) as {
      data?: unknown;
      error?: unknown;
      response: Response;
    };
    if (error !== undefined || !response.ok) {
      throw FlywheelError.fromAnswer(response, error);
    }
    return data;
  };
  return call as Call<Method>;
}
