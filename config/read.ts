/**
 * The reader's entry points: YAML text -> `DevEnvironmentSpec`, or every problem with its position.
 */
import { readFileSync } from "node:fs";
import { isPlainMapping } from "./coerce";
import { suggest } from "./did-you-mean";
import { RESOURCE_FIELDS } from "./resources";
import { FIELD_NAMES } from "./fields";
import { ConfigError, formatPath, sortIssues, type ConfigIssue, type FieldPath, type IssueCode } from "./issues";
import { describeValueType } from "./py-values";
import { readDevEnvironment, type DevEnvironmentSpec, type FieldProblem } from "./schema";
import { collectWarnings } from "./warnings";
import { loadYaml, pathKey, type Span, type YamlSource } from "./yaml-source";

/** A valid file gives the spec and its warnings; an invalid one every problem. */
export type ReadResult = { ok: true; spec: DevEnvironmentSpec; warnings: ConfigIssue[] } | { ok: false; issues: ConfigIssue[] };

const MISPLACED_HINTS: Record<string, string> = {
  commands: "A dev environment has no commands: use init for commands run at start",
  gpus: 'Did you mean "resources.gpu"?',
};

/** Hint for an unknown key: the nearest allowed key, or where the key belongs. */
function unknownKeyHint(path: FieldPath, key: string, fromGrammar?: string): string | undefined {
  if (path.length === 0) {
    if ((RESOURCE_FIELDS as readonly string[]).includes(key)) return `${key} belongs under resources: write "resources:" and indent "${key}" below it`;
    return (Object.hasOwn(MISPLACED_HINTS, key) ? MISPLACED_HINTS[key] : undefined) ?? suggest(key, FIELD_NAMES);
  }
  return fromGrammar;
}

/** Where to point for an issue at `path`: the field itself, else its nearest enclosing field. */
function locate(source: YamlSource, path: FieldPath, atKey: boolean): Span {
  for (let length = path.length; length >= 0; length--) {
    const spans = source.spans.get(pathKey(path.slice(0, length)));
    if (!spans) continue;
    const emptyValue = spans.value.end <= spans.value.start;
    if (length === path.length) return (atKey || emptyValue) && spans.key ? spans.key : spans.value;
    if (spans.scalar) return spans.value;
    if (length === 0) return { start: spans.value.start, end: spans.value.start + 1 };
    return spans.key ?? spans.value;
  }
  return { start: 0, end: 1 };
}

function toIssue(source: YamlSource, file: string, span: Span, path: FieldPath, code: IssueCode, message: string, hint?: string): ConfigIssue {
  const start = source.lines.position(span.start);
  const end = source.lines.position(Math.max(span.end, span.start));
  const issue: ConfigIssue = { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, path: formatPath(path), message, code };
  if (hint) issue.hint = hint;
  return issue;
}

function fieldIssues(source: YamlSource, file: string, problems: FieldProblem[], unknownKeys: string[]): ConfigIssue[] {
  const result: ConfigIssue[] = [];
  for (const key of unknownKeys) {
    result.push(toIssue(source, file, locate(source, [key], true), [key], "unknown_field", `unknown field "${key}": not a field of a dev-environment configuration`, unknownKeyHint([], key)));
  }
  for (const problem of problems) {
    const { path } = problem;
    const code = problem.code as IssueCode;
    const hint = code === "unknown_field" ? unknownKeyHint(path.slice(0, -1), String(path[path.length - 1]), problem.hint) : problem.hint;
    result.push(toIssue(source, file, locate(source, path, code === "unknown_field"), path, code, problem.message, hint));
  }
  return result;
}

/** Reads configuration text; `file` names it in issues. Never throws for bad input. */
export function readConfigText(text: string, file = "<input>"): ReadResult {
  const source = loadYaml(text);
  const issues = source.problems.map((problem) =>
    toIssue(source, file, problem.span, problem.path, problem.code, problem.message),
  );
  if (source.problems.some((problem) => problem.code === "yaml_syntax" || problem.code === "too_many_aliases")) {
    return { ok: false, issues: sortIssues(issues) };
  }
  if (!isPlainMapping(source.value)) {
    const got = source.value === null ? "an empty document" : describeValueType(source.value);
    const hint = Array.isArray(source.value) ? 'The file is a list: remove the leading "- " and unindent the fields' : undefined;
    const start = locate(source, [], false).start;
    issues.push(toIssue(source, file, { start, end: start + 1 }, [], "not_a_mapping", `a configuration is a mapping of fields starting with "type: dev-environment", got ${got}`, hint));
    return { ok: false, issues: sortIssues(issues) };
  }
  const parsed = readDevEnvironment(source.value);
  if (!parsed.ok) issues.push(...fieldIssues(source, file, parsed.problems, parsed.unknownKeys));
  if (issues.length > 0 || !parsed.ok) return { ok: false, issues: sortIssues(issues) };
  const warnings = collectWarnings(parsed.spec, source.value).map((warning) => ({
    ...toIssue(source, file, locate(source, warning.path, warning.code === "deprecated" && warning.path.length === 1), warning.path, warning.code, warning.message),
    severity: "warning" as const,
  }));
  return { ok: true, spec: parsed.spec, warnings: sortIssues(warnings) };
}

/** Reads a configuration file; a file that cannot be read is an issue too. */
export function readConfigFile(path: string): ReadResult {
  const text = readSourceFile(path);
  return typeof text === "string" ? readConfigText(text, path) : { ok: false, issues: [text] };
}

/** A file's text, or the issue that says why it cannot be read (`-` is standard input). */
export function readSourceFile(path: string, name = path): string | ConfigIssue {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path === "-" ? 0 : path));
  } catch (error) {
    if (error instanceof TypeError) {
      return { file: name, line: 1, column: 1, endLine: 1, endColumn: 1, path: "", message: "cannot read the file: it is not UTF-8 text (save it as UTF-8)", code: "unreadable_file" };
    }
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? `it is a directory: name the configuration in it, e.g. ${path.replace(/\/$/, "")}/.dstack.yml` : (error as Error).message;
    return { file: name, line: 1, column: 1, endLine: 1, endColumn: 1, path: "", message: `cannot read the file: ${reason}`, code: "unreadable_file" };
  }
}

/** Reads configuration text, throwing `ConfigError` (with every issue) when it is not valid. */
export function parseConfig(text: string, file?: string): DevEnvironmentSpec {
  const result = readConfigText(text, file);
  if (!result.ok) throw new ConfigError(result.issues);
  return result.spec;
}
