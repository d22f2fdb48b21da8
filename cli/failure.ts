/**
 * How every command fails: one exit code per kind of failure, and one shape. Without `--json` a
 * failure is text on stderr; with `--json` it is one object on stdout,
 * `{"error": {"code": CODE, "message": MESSAGE, ...details}}`, and nothing on stderr.
 *
 * | exit | meaning | codes |
 * |---|---|---|
 * | 0 | done | |
 * | 1 | invalid input, or refused | `invalid_config`, `unreadable_file`, `invalid_catalog`, `invalid_lock`, `refused`, `catalog_update_failed` |
 * | 2 | usage (unknown command or option, missing or invalid argument) | `usage` |
 * | 3 | no offer matches | `no_offers` |
 * | 4 | `diff`: a `--fail-on` gate tripped (the diff is printed in full; `--json` lists the gates in `fail_on`) | |
 * | 5 | no capacity (`up`: without retry, or none within `retry.duration`) | `no_capacity` |
 * | 6 | a quota stops the update (`up`; not retried) | `quota_exceeded` |
 * | 70 | internal error (a bug) | `internal` |
 *
 * `up` also fails with 1 / `update_failed` when the update fails for another reason.
 */
import type { ConfigIssue } from "../config/issues";
import type { Output } from "./validate";

/** The exit codes of every command. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, noOffer: 3, gate: 4, noCapacity: 5, quota: 6, internal: 70 } as const;

export type FailureCode =
  | "usage"
  | "invalid_config"
  | "unreadable_file"
  | "invalid_catalog"
  | "invalid_lock"
  | "refused"
  | "catalog_update_failed"
  | "no_offers"
  | "no_capacity"
  | "quota_exceeded"
  | "update_failed"
  | "internal";

const EXIT_OF: Record<FailureCode, number> = {
  usage: EXIT.usage,
  invalid_config: EXIT.invalid,
  unreadable_file: EXIT.invalid,
  invalid_catalog: EXIT.invalid,
  invalid_lock: EXIT.invalid,
  refused: EXIT.invalid,
  catalog_update_failed: EXIT.invalid,
  no_offers: EXIT.noOffer,
  no_capacity: EXIT.noCapacity,
  quota_exceeded: EXIT.quota,
  update_failed: EXIT.invalid,
  internal: EXIT.internal,
};

export interface Failure {
  code: FailureCode;
  /** One line, without the program's name. */
  message: string;
  /** Extra keys of the JSON error object, after `code` and `message`. */
  details?: Record<string, unknown>;
  /** What stderr shows without `--json` (default: `dstack-pulumi: MESSAGE`). */
  text?: string;
}

/** The exit code of a kind of failure. */
export function exitCodeOf(code: FailureCode): number {
  return EXIT_OF[code];
}

/** The JSON error object of a failure. */
export function errorJson(failure: Failure): { error: Record<string, unknown> } {
  return { error: { code: failure.code, message: failure.message, ...failure.details } };
}

/**
 * Reports a failure (JSON on stdout with `json`, else text on stderr) and returns its exit code.
 */
export function fail(output: Output, json: boolean | undefined, failure: Failure): number {
  if (json) output.stdout(`${JSON.stringify(errorJson(failure), null, 2)}\n`);
  else output.stderr(`${failure.text ?? `dstack-pulumi: ${failure.message}`}\n`);
  return exitCodeOf(failure.code);
}

/** An issue as `validate --json` and the `invalid_config` error show it. */
export function issueJson(issue: ConfigIssue): Record<string, unknown> {
  const json: Record<string, unknown> = { line: issue.line, column: issue.column, path: issue.path, message: issue.message, code: issue.code };
  if (issue.hint) json.hint = issue.hint;
  return json;
}
