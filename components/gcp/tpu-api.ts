/**
 * A small client of the Cloud TPU v2 REST API (`https://tpu.googleapis.com/v2/...`): JSON in and
 * out, a bearer token from a `TokenSource` per request (tpu-token.ts; asked again once after a
 * 401), GETs retried on 429, 5xx and network errors (a queued request is polled for an hour; one
 * lost answer must not end it), and long-running operations waited for. The base URL can be
 * changed (`DSTACK_PULUMI_TPU_API`: tests point it at a local fake). Errors name the method and
 * path and carry the API's own message, never the token.
 */
import type { TokenSource } from "./tpu-token";

/** The API's address unless `DSTACK_PULUMI_TPU_API` says otherwise. */
export const TPU_API = "https://tpu.googleapis.com";

/** An answer of the API other than 2xx. */
export class TpuApiError extends Error {
  override readonly name = "TpuApiError";
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly apiMessage: string,
  ) {
    super(`Cloud TPU API ${method} ${path}: ${status} ${apiMessage}`);
  }
}

/** A long-running operation (`projects/<p>/locations/<zone>/operations/<id>`). */
export interface Operation {
  name: string;
  done?: boolean;
  error?: { code?: number; message?: string };
  response?: Record<string, unknown>;
}

/** How often and how patiently to ask. */
export interface Pace {
  /** Between two polls. */
  pollMs: number;
  sleep(ms: number): Promise<void>;
}

const RETRIES = 3;

export class TpuApi {
  constructor(
    readonly baseUrl: string,
    private readonly tokens: TokenSource,
    private readonly pace: Pace,
  ) {}

  /** `method` on `/v2/<path>` with `query` and a JSON `body`; resolves to the JSON answer. */
  async call(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, query: Record<string, string> = {}, body?: unknown): Promise<Record<string, unknown>> {
    const search = new URLSearchParams(query).toString();
    const url = `${this.baseUrl.replace(/\/+$/, "")}/v2/${path}${search ? `?${search}` : ""}`;
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      try {
        const answer = await this.send(method, url, body);
        status = answer.status;
        text = answer.text;
      } catch (error) {
        if (method === "GET" && attempt < RETRIES) {
          await this.pace.sleep(this.pace.pollMs);
          continue;
        }
        throw new TpuApiError(0, method, path, `no answer (${(error as Error).message})`);
      }
      const json = parseJson(text);
      if (status >= 200 && status < 300) return json;
      const retriable = method === "GET" && (status === 429 || status >= 500) && attempt < RETRIES;
      if (retriable) {
        await this.pace.sleep(this.pace.pollMs);
        continue;
      }
      const error = (json.error ?? {}) as { message?: string; status?: string };
      throw new TpuApiError(status, method, path, error.message ?? (text.slice(0, 300) || "no message"));
    }
  }

  /** One request with the current token; after a 401, once more with a fresh one. */
  private async send(method: string, url: string, body: unknown): Promise<{ status: number; text: string }> {
    for (let tries = 0; ; tries++) {
      const token = await this.tokens.token();
      const response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status === 401 && tries === 0) {
        this.tokens.invalidate();
        continue;
      }
      return { status: response.status, text };
    }
  }

  /** Polls `operation` until it is done; rejects with the operation's error. */
  async waitOperation(operation: Operation, what: string): Promise<Operation> {
    let current = operation;
    while (current.done !== true) {
      await this.pace.sleep(this.pace.pollMs);
      current = (await this.call("GET", current.name)) as unknown as Operation;
    }
    if (current.error !== undefined) throw new Error(`${what}: ${current.error.message ?? `operation ${current.name} failed`}`);
    return current;
  }
}

function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
