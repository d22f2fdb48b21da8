/**
 * The OAuth access token of the Cloud TPU REST calls, obtained when a call is made and kept only in
 * this process's memory: never in a resource's inputs, outputs or state.
 *
 * Where it comes from, in order: `GOOGLE_OAUTH_ACCESS_TOKEN` (as the Google provider takes it), then
 * `gcloud auth print-access-token` (the user's gcloud login), then `gcloud auth
 * application-default print-access-token` (Application Default Credentials: a key file in
 * `GOOGLE_APPLICATION_CREDENTIALS`, or `gcloud auth application-default login`). A token from
 * gcloud is asked for again after `GCLOUD_TOKEN_SECONDS` (gcloud refreshes it; a token lives an
 * hour), or at once after the API refused it (`invalidate`). None working is an error that says
 * what was tried and how to log in.
 */
import { execFile } from "node:child_process";

/** Gives a bearer token for each request. */
export interface TokenSource {
  token(): Promise<string>;
  /** The API refused the last token (401): the next `token()` asks again. */
  invalidate(): void;
}

/** How long a token from gcloud is reused. */
export const GCLOUD_TOKEN_SECONDS = 300;

/** The longest a gcloud call may take. */
const GCLOUD_TIMEOUT_MS = 30_000;

/** Runs `gcloud <args>` and resolves to its trimmed output; rejects with what it said. */
function gcloud(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("gcloud", args, { env, timeout: GCLOUD_TIMEOUT_MS, encoding: "utf8" }, (error, stdout, stderr) => {
      const token = String(stdout ?? "").trim();
      if (error === null && token !== "") resolve(token);
      else reject(new Error(`gcloud ${args.join(" ")}: ${(String(stderr ?? "").trim().split("\n").pop() || error?.message) ?? "no token"}`));
    });
  });
}

/** `GOOGLE_OAUTH_ACCESS_TOKEN` when set, else gcloud (user login, then application default). */
export function defaultTokenSource(env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): TokenSource {
  const fixed = env.GOOGLE_OAUTH_ACCESS_TOKEN?.trim();
  if (fixed) return { token: async () => fixed, invalidate: () => undefined };
  let cached: { token: string; until: number } | undefined;
  return {
    async token(): Promise<string> {
      if (cached !== undefined && now() < cached.until) return cached.token;
      const failures: string[] = [];
      for (const args of [["auth", "print-access-token"], ["auth", "application-default", "print-access-token"]]) {
        try {
          const token = await gcloud(args, env);
          cached = { token, until: now() + GCLOUD_TOKEN_SECONDS * 1000 };
          return token;
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
      throw new Error(
        "no Google credentials for the Cloud TPU API (queued TPUs call it directly): set GOOGLE_OAUTH_ACCESS_TOKEN, " +
          `or log in with gcloud auth login (or gcloud auth application-default login). Tried: ${failures.join("; ")}`,
      );
    },
    invalidate(): void {
      cached = undefined;
    },
  };
}
