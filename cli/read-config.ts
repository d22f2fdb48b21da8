/**
 * Reading the one configuration a command works on (`offers`, `plan`, `lock`): errors and warnings
 * are printed as `validate` prints them (with `--json`, the errors as an `invalid_config` error
 * object); the caller gets the spec or null.
 */
import { readConfigText, readSourceFile } from "../config/read";
import type { DevEnvironmentSpec } from "../config/schema";
import { fail, issueJson } from "./failure";
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
  const text = readSourceFile(file, name);
  const result = typeof text === "string" ? readConfigText(text, name) : { ok: false as const, issues: [text] };
  if (!result.ok) {
    const count = `${result.issues.length} ${result.issues.length === 1 ? "error" : "errors"}`;
    fail(output, json, {
      code: typeof text === "string" ? "invalid_config" : "unreadable_file",
      message: typeof text === "string" ? `${name}: ${count}` : `${name}: ${text.message}`,
      details: { file: name, issues: result.issues.map(issueJson) },
      text: formatIssues(result.issues, typeof text === "string" ? text : null, output.palette),
    });
    return null;
  }
  if (result.warnings.length > 0) output.stderr(formatIssueList(result.warnings, text as string, output.palette) + "\n");
  return { spec: result.spec, name, text: text as string };
}
