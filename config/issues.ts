/**
 * Problems found in a configuration: where (file, line, column, field path), what, and a hint.
 */

/** What kind of problem an issue is; stable, for tools that read `validate --json`. */
export type IssueCode =
  | "yaml_syntax"
  | "duplicate_key"
  | "unsupported_tag"
  | "not_a_mapping"
  | "unknown_field"
  | "missing_field"
  | "invalid_type"
  | "invalid_value"
  | "invalid_choice"
  | "invalid_range"
  | "conflict"
  | "too_many_aliases"
  | "unreadable_file"
  | "invalid_key"
  | "deprecated"
  | "suspicious";

/** One problem in a configuration file. Lines and columns are 1-based. */
export interface ConfigIssue {
  /** The file's path as given, or `<input>` for text without a file. */
  file: string;
  line: number;
  column: number;
  /** Where the offending text ends (exclusive column), for carets and editors. */
  endLine: number;
  endColumn: number;
  /** The field path in dotted form: `resources.gpu`, `volumes[0].path`; empty for the document. */
  path: string;
  message: string;
  code: IssueCode;
  /** A nearest-match suggestion, e.g. `Did you mean "spot_policy"?` */
  hint?: string;
  /** Set for warnings (codes `deprecated` and `suspicious`), which do not make a file invalid. */
  severity?: "warning";
}

/** Thrown by the reader's throwing entry points; carries every issue in position order. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      issues.map((i) => `${i.file}:${i.line}:${i.column}  ${i.path ? i.path + ": " : ""}${i.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** A field path as a list of keys and indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** `["volumes", 0, "path"]` -> `volumes[0].path`. */
export function formatPath(path: FieldPath): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else {
      const key = part === "" || /[.[\]\s"]/.test(part) ? JSON.stringify(part) : part;
      text += text ? `.${key}` : key;
    }
  }
  return text;
}

/** Sorts issues by position, then path, then message, and drops exact repeats. */
export function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return [...issues]
    .sort(
      (a, b) =>
        a.line - b.line ||
        a.column - b.column ||
        a.path.localeCompare(b.path) ||
        a.message.localeCompare(b.message),
    )
    .filter((issue) => {
      const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
