/**
 * `dstack-pulumi validate [--json] FILE...`: checks configurations; exit code 0 when all are valid.
 */
import { toDstackJson } from "../config/normalize";
import { readConfigText, readSourceFile, type ReadResult } from "../config/read";
import { issueJson } from "./failure";
import { formatIssues, formatIssueList, type Palette } from "./format-issues";

/** Where the command writes; injectable for tests. */
export interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  palette: Palette;
}

/** Runs `validate`; returns the process exit code. */
export function runValidate(files: readonly string[], options: { json?: boolean }, output: Output): number {
  let failures = 0;
  for (const file of files) {
    const name = file === "-" ? "<stdin>" : file;
    const text = readSourceFile(file, name);
    const result: ReadResult = typeof text === "string" ? readConfigText(text, name) : { ok: false, issues: [text] };
    if (!result.ok) failures++;
    if (options.json) {
      const line = result.ok
        ? { file: name, ok: true, config: toDstackJson(result.spec), ...(result.warnings.length ? { warnings: result.warnings.map(issueJson) } : {}) }
        : { file: name, ok: false, errors: result.issues.map(issueJson) };
      output.stdout(JSON.stringify(line) + "\n");
    } else if (result.ok) {
      if (result.warnings.length > 0) output.stderr(formatIssueList(result.warnings, text as string, output.palette) + "\n");
      output.stdout(`${name}: ok${result.warnings.length ? ` (${result.warnings.length} ${result.warnings.length === 1 ? "warning" : "warnings"})` : ""}\n`);
    } else {
      output.stderr(formatIssues(result.issues, typeof text === "string" ? text : null, output.palette) + "\n");
    }
  }
  return failures === 0 ? 0 : 1;
}
