/**
 * Compiler-style rendering of configuration issues:
 *
 *     .dstack.yml:4:1  spot_polcy: unknown field "spot_polcy": not a field of a dev-environment configuration
 *       4 | spot_polcy: auto
 *         | ^^^^^^^^^^
 *         = hint: Did you mean "spot_policy"?
 */
import type { ConfigIssue } from "../config/issues";
import { splitLines } from "../config/line-index";

/** Colour functions; identity functions when output is not a terminal. */
export interface Palette {
  red: (text: string) => string;
  bold: (text: string) => string;
  dim: (text: string) => string;
  cyan: (text: string) => string;
}

export const PLAIN: Palette = { red: (t) => t, bold: (t) => t, dim: (t) => t, cyan: (t) => t };

/** The caret under the offending text, within its first line. */
function caret(issue: ConfigIssue, sourceLine: string): string {
  const start = issue.column - 1;
  const lineEnd = sourceLine.replace(/\s+$/, "").length;
  const end = issue.endLine === issue.line && issue.endColumn > issue.column ? issue.endColumn - 1 : lineEnd;
  const width = Math.max(1, Math.min(end, Math.max(lineEnd, start + 1)) - start);
  return " ".repeat(start) + "^".repeat(width);
}

/** One issue with its source line, caret and hint. `lines` is the file's text split into lines. */
export function formatIssue(issue: ConfigIssue, lines: readonly string[] | null, palette: Palette = PLAIN): string {
  const label = issue.severity === "warning" ? "warning: " : "";
  const out = [palette.bold(`${issue.file}:${issue.line}:${issue.column}`) + `  ${label}${issue.path ? palette.cyan(issue.path) + ": " : ""}${palette.red(issue.message)}`];
  const sourceLine = lines?.[issue.line - 1];
  const gutter = String(issue.line);
  const pad = " ".repeat(gutter.length);
  if (sourceLine !== undefined) {
    const shown = sourceLine.replace(/\t/g, " ");
    out.push(`  ${palette.dim(`${gutter} |`)} ${shown}`);
    out.push(`  ${palette.dim(`${pad} |`)} ${palette.red(caret(issue, shown))}`);
  }
  if (issue.hint) out.push(`  ${pad} = hint: ${issue.hint}`);
  return out.join("\n");
}

/** Issues (or warnings, which are marked `warning:`) of one file, each with its source line and caret. */
export function formatIssueList(issues: readonly ConfigIssue[], text: string | null, palette: Palette = PLAIN): string {
  const lines = text === null ? null : splitLines(text);
  return issues.map((issue) => formatIssue(issue, lines, palette)).join("\n\n");
}

/** Every issue of one file, then a count. */
export function formatIssues(issues: readonly ConfigIssue[], text: string | null, palette: Palette = PLAIN): string {
  const body = formatIssueList(issues, text, palette);
  const file = issues[0]?.file ?? "";
  return `${body}\n\n${file}: ${issues.length} ${issues.length === 1 ? "error" : "errors"}`;
}
