/**
 * Reading the one configuration a command works on (`offers`, `plan`, `lock`): errors and warnings
 * are printed as `validate` prints them; the caller gets the spec or null.
 */
import { readConfigText, readSourceFile } from "../config/read";
import type { DevEnvironmentSpec } from "../config/schema";
import { formatIssueList, formatIssues } from "./format-issues";
import type { Output } from "./validate";

export function readConfigForCommand(file: string, output: Output): { spec: DevEnvironmentSpec; name: string; text: string } | null {
  const name = file === "-" ? "<stdin>" : file;
  const text = readSourceFile(file, name);
  if (typeof text !== "string") {
    output.stderr(formatIssues([text], null, output.palette) + "\n");
    return null;
  }
  const result = readConfigText(text, name);
  if (!result.ok) {
    output.stderr(formatIssues(result.issues, text, output.palette) + "\n");
    return null;
  }
  if (result.warnings.length > 0) output.stderr(formatIssueList(result.warnings, text, output.palette) + "\n");
  return { spec: result.spec, name, text };
}
