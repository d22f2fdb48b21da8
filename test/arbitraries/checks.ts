/**
 * The checks behind the property tests: reading a valid configuration, and the well-formedness
 * of the issues the reader reports for any text. Each failure message shows the YAML and the result.
 */
import assert from "node:assert/strict";
import type { ConfigIssue, IssueCode } from "../../config/issues";
import { splitLines } from "../../config/line-index";
import { readConfigText, type ReadResult } from "../../config/read";
import type { Expected, Range, ValidConfig } from "./dev-environment";
import { toYaml, type YamlStyle } from "./yaml-writer";

/** Every member of the IssueCode union (the compiler checks that none is missing or extra). */
const ALL_CODES: Record<IssueCode, true> = {
  yaml_syntax: true, duplicate_key: true, unsupported_tag: true, not_a_mapping: true, unknown_field: true, missing_field: true,
  invalid_type: true, invalid_value: true, invalid_choice: true, invalid_range: true, conflict: true, too_many_aliases: true,
  unreadable_file: true, invalid_key: true, deprecated: true, suspicious: true,
};
const ISSUE_CODES: ReadonlySet<string> = new Set(Object.keys(ALL_CODES));
/** The codes of warnings (on accepted files), never of errors. */
const WARNING_CODES: ReadonlySet<string> = new Set(["deprecated", "suspicious"]);
/**
 * Issues that may concern the document as a whole, and then have an empty path: syntax, the
 * document's own type or tag, a key of the top-level mapping that is not a plain value, aliases.
 */
const DOCUMENT_CODES: ReadonlySet<IssueCode> = new Set<IssueCode>(["yaml_syntax", "not_a_mapping", "unreadable_file", "unsupported_tag", "invalid_key", "too_many_aliases"]);

export const FILE = "fuzz.dstack.yml";

/** The text and the reader's answer, for failure messages. */
export function report(text: string, result?: unknown): string {
  const shown = text.length > 4000 ? `${text.slice(0, 4000)}... (${text.length} characters)` : text;
  return `--- YAML (${JSON.stringify(shown)}) ---\n${shown}\n--- result ---\n${result === undefined ? "(none)" : JSON.stringify(result, null, 2)?.slice(0, 6000)}`;
}

/** Reads, turning a thrown exception into a failure that shows the input. */
export function read(text: string): ReadResult {
  try {
    return readConfigText(text, FILE);
  } catch (error) {
    throw new Error(`readConfigText threw ${(error as Error)?.stack ?? String(error)}\n${report(text)}`);
  }
}

function ranges(value: unknown, path: string, found: Array<[string, Range]> = []): Array<[string, Range]> {
  if (value === null || typeof value !== "object") return found;
  const keys = Object.keys(value);
  const bound = (x: unknown) => x === null || typeof x === "number";
  if (keys.length === 2 && "min" in value && "max" in value && bound((value as Range).min) && bound((value as Range).max)) {
    found.push([path, value as Range]);
    return found;
  }
  for (const key of keys) ranges((value as Record<string, unknown>)[key], `${path}.${key}`, found);
  return found;
}

/** Invariants of any spec the reader accepts: every range has min <= max (when both are set). */
export function checkSpecInvariants(spec: unknown): void {
  for (const [path, range] of ranges(spec, "spec")) {
    if (range.min !== null && range.max !== null) assert.ok(!(range.min > range.max), `${path}: min ${range.min} > max ${range.max}`);
    assert.ok(range.min !== null || range.max !== null, `${path}: both bounds are null`);
  }
}

/** Checks that a valid configuration is accepted and read as expected. */
export function checkValid(config: ValidConfig, style: YamlStyle): void {
  const text = toYaml(config.doc, style);
  const result = read(text);
  if (!result.ok) throw new Error(`a valid configuration was rejected\n${report(text, result.issues)}`);
  const { spec } = result;
  const expected: Expected = config.expected;
  try {
    assert.equal(spec.type, "dev-environment");
    assert.equal(spec.ide, expected.ide);
    assert.equal(spec.version, expected.version);
    assert.equal(spec.python, expected.python);
    assert.equal(spec.image, expected.image);
    assert.equal(spec.nvcc, expected.nvcc);
    assert.deepEqual(Object.keys(spec.env), expected.envNames, "env names");
    assert.equal(spec.volumes.length, expected.volumes.length, "volume count");
    assert.deepEqual(spec.volumes, expected.volumes, "volumes");
    assert.deepEqual(spec.ports, expected.ports, "ports");
    assert.deepEqual(spec.resources.cpu, expected.cpu, "resources.cpu");
    assert.deepEqual(spec.resources.memory, expected.memory, "resources.memory");
    assert.equal(spec.resources.shm_size, expected.shmSize, "resources.shm_size");
    assert.deepEqual(spec.resources.disk, expected.disk, "resources.disk");
    if (expected.gpu === null) assert.equal(spec.resources.gpu, null, "resources.gpu");
    else {
      const gpu = spec.resources.gpu;
      assert.ok(gpu, "resources.gpu");
      assert.deepEqual({ vendor: gpu.vendor, name: gpu.name, count: gpu.count, memory: gpu.memory }, expected.gpu, "resources.gpu");
    }
    assert.deepEqual(spec.max_duration, expected.maxDuration, "max_duration");
    assert.deepEqual(spec.inactivity_duration, expected.inactivityDuration, "inactivity_duration");
    assert.equal(spec.spot_policy, expected.spotPolicy, "spot_policy");
    assert.deepEqual(spec.backends, expected.backends, "backends");
    assert.equal(spec.max_price, expected.maxPrice, "max_price");
    assert.deepEqual(spec.init, expected.init, "init");
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${report(text, spec)}`);
  }
  // The range invariants, and the warnings of a valid file are well-formed too.
  checkIssues(text, result);
}

/**
 * Checks what the reader says about any text: a spec it accepts keeps the range invariants; every
 * issue of a rejected text, and every warning of an accepted one, is well-formed (fields, codes,
 * paths), positioned inside the text, and the list is sorted by (line, column).
 */
export function checkIssues(text: string, result: ReadResult): void {
  if (result.ok) {
    try {
      checkSpecInvariants(result.spec);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${report(text, result.spec)}`);
    }
    checkIssueList(text, result.warnings ?? [], "warning");
    return;
  }
  if (!Array.isArray(result.issues) || result.issues.length === 0) {
    throw new Error(`ok: false without issues\n${report(text, result)}`);
  }
  checkIssueList(text, result.issues, "error");
}

function checkIssueList(text: string, issues: readonly ConfigIssue[], kind: "error" | "warning"): void {
  const lines = splitLines(text);
  const fail = (why: string, issue?: ConfigIssue): never => {
    throw new Error(`${kind}: ${why}${issue ? `: ${JSON.stringify(issue)}` : ""}\n${report(text, issues)}`);
  };
  if (!Array.isArray(issues)) fail("not a list");
  let previous: ConfigIssue | undefined;
  for (const issue of issues) {
    if (issue.file !== FILE) fail("wrong file", issue);
    for (const key of ["line", "column", "endLine", "endColumn"] as const) {
      if (!Number.isInteger(issue[key]) || issue[key] < 1) fail(`${key} is not an integer >= 1`, issue);
    }
    if (issue.endLine < issue.line) fail("endLine < line", issue);
    if (issue.endLine === issue.line && issue.endColumn < issue.column) fail("the issue ends before it starts", issue);
    // lines.length is the line count plus one after a final newline: the end-of-file position.
    if (issue.line > lines.length || issue.endLine > lines.length) fail(`line beyond the text's ${lines.length} lines`, issue);
    if (issue.column > lines[issue.line - 1].length + 1) {
      fail(`column beyond the end of line ${issue.line} (${lines[issue.line - 1].length} characters)`, issue);
    }
    if (typeof issue.message !== "string" || issue.message.trim() === "") fail("empty message", issue);
    if (!ISSUE_CODES.has(issue.code)) fail("unknown code", issue);
    if (WARNING_CODES.has(issue.code) !== (kind === "warning")) fail(`a ${issue.code} code on ${kind === "error" ? "an error" : "a warning"}`, issue);
    if (typeof issue.path !== "string") fail("path is not a string", issue);
    if (issue.path === "" && !DOCUMENT_CODES.has(issue.code)) fail(`empty path for a ${issue.code} issue`, issue);
    if (issue.hint !== undefined && (typeof issue.hint !== "string" || issue.hint.trim() === "")) fail("a hint that is not a non-empty string", issue);
    if (previous && (issue.line < previous.line || (issue.line === previous.line && issue.column < previous.column))) {
      fail("issues are not sorted by (line, column)", issue);
    }
    previous = issue;
  }
}
