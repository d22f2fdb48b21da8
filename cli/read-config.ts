/**
 * Reading the one configuration a command works on (`offers`, `plan`, `lock`): errors and warnings
 * are printed as `validate` prints them (with `--json`, the errors as an `invalid_config` error
 * object); the caller gets the spec or null.
 */
import { readConfigText, readSourceFile } from "../config/read";
import type { DevEnvironmentSpec } from "../config/schema";
import type { ConfigIssue } from "../config/issues";
import { fail, issueJson, type Failure } from "./failure";
import { formatIssueList, formatIssues } from "./format-issues";
import type { Output } from "./validate";

/** A configuration read for a command. */
export interface CommandConfig {
  spec: DevEnvironmentSpec;
  /** The file as named in messages (`<stdin>` for `-`). */
  name: string;
  text: string;
}

/**
 * Reads `file` (`-` for standard input); on an error reports it (exit 1: `unreadable_file` when
 * the file cannot be read, else `invalid_config`) and returns null.
 */
export function readConfigForCommand(file: string, output: Output, json?: boolean): CommandConfig | null {
  const name = file === "-" ? "<stdin>" : file;
  const read = configFromText(readSourceFile(file, name), name, output);
  if ("code" in read) {
    fail(output, json, read);
    return null;
  }
  return read;
}

/**
 * A configuration from its text (or the issue of reading it), named `name` in messages: its
 * warnings are printed on stderr; an invalid one gives the `invalid_config` failure.
 */
export function configFromText(text: string | ConfigIssue, name: string, output: Output): CommandConfig | Failure {
  const result = typeof text === "string" ? readConfigText(text, name) : { ok: false as const, issues: [text] };
  if (!result.ok) {
    const count = `${result.issues.length} ${result.issues.length === 1 ? "error" : "errors"}`;
    return {
      code: typeof text === "string" ? "invalid_config" : "unreadable_file",
      message: typeof text === "string" ? `${name}: ${count}` : `${name}: ${text.message}`,
      details: { file: name, issues: result.issues.map(issueJson) },
      text: formatIssues(result.issues, typeof text === "string" ? text : null, output.palette),
    };
  }
  if (result.warnings.length > 0) output.stderr(formatIssueList(result.warnings, text as string, output.palette) + "\n");
  return { spec: result.spec, name, text: text as string };
}
