/**
 * YAML text -> a plain value as PyYAML's `safe_load` builds it, plus the source position of every
 * key and value, so that an error on `resources.gpu` can point at its line and column.
 */
import { Alias, isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { LineIndex, normalizeLineBreaks } from "./line-index";
import type { FieldPath, IssueCode } from "./issues";
import { pythonStr, PyFloat, PyDate } from "./py-values";
import { resolvePlainScalar, resolveTaggedScalar } from "./yaml-scalars";

/** A span of source text as character offsets [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** Where a field sits in the source: its key (when it is a mapping entry) and its value. */
export interface FieldSpans {
  key?: Span;
  value: Span;
  /** True when the value is a scalar: problems inside its text (short forms) point at it. */
  scalar: boolean;
}

/** A problem found while loading the YAML itself, before any schema check. */
export interface LoadProblem {
  span: Span;
  path: FieldPath;
  code: IssueCode;
  message: string;
}

/** The loaded document. */
export interface YamlSource {
  text: string;
  value: unknown;
  problems: LoadProblem[];
  lines: LineIndex;
  /** Positions of fields by path (see `pathKey`). */
  spans: Map<string, FieldSpans>;
}

/** The key of a field path in `YamlSource.spans`. */
export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

/** Stops documents that expand into huge trees through aliases ("billion laughs"). */
const MAX_EXPANDED_NODES = 100_000;

/** Ends loading once aliases expand the document past MAX_EXPANDED_NODES. */
class TooManyAliases extends Error {}

/** Plain scalars PyYAML resolves to tags `safe_load` cannot build (`=` is !!value, `<<` !!merge). */
const UNCONSTRUCTIBLE = new Set(["=", "<<"]);

class Loader {
  readonly problems: LoadProblem[] = [];
  readonly spans = new Map<string, FieldSpans>();
  private expanded = 0;
  private readonly resolving = new Set<Node>();

  constructor(
    private readonly doc: ReturnType<typeof parseDocument>,
    private readonly lines: LineIndex,
  ) {}

  private lineOf(span: Span): number {
    return this.lines.position(span.start).line;
  }

  node(node: unknown, path: FieldPath, keySpan?: Span): unknown {
    if (node === null || node === undefined) return null;
    const span = spanOf(node as Node);
    const key = pathKey(path);
    if (!this.spans.has(key)) this.spans.set(key, { key: keySpan, value: span, scalar: isScalar(node) });
    if (++this.expanded > MAX_EXPANDED_NODES) {
      this.problem(span, path, "too_many_aliases", `the document holds more than ${MAX_EXPANDED_NODES} values once its aliases are expanded; a configuration is far smaller (is an alias repeated in a loop?)`);
      throw new TooManyAliases();
    }
    if (isAlias(node)) return this.alias(node, path, keySpan);
    if (isScalar(node)) return this.scalar(node, path);
    if (isMap(node)) return this.mapping(node, path);
    if (isSeq(node)) return node.items.map((item, index) => this.node(item, [...path, index]));
    return null;
  }

  private alias(node: Alias, path: FieldPath, keySpan?: Span): unknown {
    const target = node.resolve(this.doc);
    if (!target) {
      this.problem(spanOf(node), path, "yaml_syntax", `unknown alias *${node.source}`);
      return null;
    }
    if (this.resolving.has(target)) {
      this.problem(spanOf(node), path, "yaml_syntax", `the alias *${node.source} refers to itself`);
      return null;
    }
    this.resolving.add(target);
    const value = this.node(target, path, keySpan);
    this.resolving.delete(target);
    return value;
  }

  private scalar(node: Node & { value: unknown; type?: string; tag?: string }, path: FieldPath): unknown {
    const text = String(node.value ?? "");
    if (node.tag) {
      const value = resolveTaggedScalar(node.tag, text);
      if (value && typeof value === "object" && "error" in value) {
        this.problem(spanOf(node), path, "unsupported_tag", value.error);
        return null;
      }
      return value;
    }
    if (node.type !== "PLAIN") return text;
    if (UNCONSTRUCTIBLE.has(text)) {
      this.problem(spanOf(node), path, "unsupported_tag", `a bare ${text} is not a value in YAML 1.1: quote it ("${text}")`);
      return null;
    }
    return resolvePlainScalar(text);
  }

  private mapping(node: Node & { items: Array<{ key: unknown; value: unknown }> }, path: FieldPath): unknown {
    const result: Record<string, unknown> = {};
    const explicit = new Map<string, Span>();
    const merged: Array<Record<string, unknown>> = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const keySpan = keyNode ? spanOf(keyNode) : spanOf(node);
      if (keyNode && isScalar(keyNode) && keyNode.type === "PLAIN" && !keyNode.tag && keyNode.value === "<<") {
        merged.push(...this.mergeSources(pair.value, path, keySpan));
        continue;
      }
      const key = this.keyText(keyNode, path, keySpan);
      if (key === null) continue;
      const first = explicit.get(key);
      if (first) {
        const line = this.lineOf(first);
        this.problem(keySpan, [...path, key], "duplicate_key", `duplicate key "${key}": first defined on line ${line}; each key may appear once in a mapping`);
        continue;
      }
      explicit.set(key, keySpan);
      define(result, key, this.node(pair.value, [...path, key], keySpan));
    }
    for (const source of merged) {
      for (const [key, value] of Object.entries(source)) {
        if (!Object.prototype.hasOwnProperty.call(result, key)) define(result, key, value);
      }
    }
    return result;
  }

  /** The mappings a `<<` merge key brings in, first one winning (PyYAML's order). */
  private mergeSources(valueNode: unknown, path: FieldPath, keySpan: Span): Array<Record<string, unknown>> {
    const value = this.node(valueNode, [...path, "<<"], keySpan);
    const sources = Array.isArray(value) ? value : [value];
    const mappings: Array<Record<string, unknown>> = [];
    for (const source of sources) {
      if (source && typeof source === "object" && !Array.isArray(source) && !(source instanceof PyFloat) && !(source instanceof PyDate)) {
        mappings.push(source as Record<string, unknown>);
      } else {
        this.problem(keySpan, path, "yaml_syntax", "a merge key (<<) needs a mapping or a list of mappings");
      }
    }
    return mappings;
  }

  private keyText(keyNode: Node | null, path: FieldPath, keySpan: Span): string | null {
    if (!keyNode) return "None";
    const key = this.node(keyNode, [...path, "<key>"]);
    this.spans.delete(pathKey([...path, "<key>"]));
    if (typeof key === "string") return key;
    if (key === null) return "None";
    if (typeof key === "number" || typeof key === "boolean" || key instanceof PyFloat) return pythonStr(key);
    this.problem(keySpan, path, "invalid_key", "a mapping key must be a plain value, not a list or mapping");
    return null;
  }

  private problem(span: Span, path: FieldPath, code: IssueCode, message: string): void {
    this.problems.push({ span, path, code, message });
  }
}

/** Sets a key on a plain object without touching prototypes (`__proto__` is just a key here). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function spanOf(node: Node): Span {
  const range = node.range ?? [0, 0, 0];
  return { start: range[0], end: Math.max(range[1], range[0]) };
}

/** Parses YAML text the way dstack loads `.dstack.yml` (PyYAML `safe_load`, YAML 1.1). */
export function loadYaml(text: string): YamlSource {
  const lines = new LineIndex(text);
  const doc = parseDocument(normalizeLineBreaks(text), {
    version: "1.1",
    schema: "failsafe",
    uniqueKeys: false,
    merge: false,
    prettyErrors: false,
    keepSourceTokens: false,
  });
  const loader = new Loader(doc, lines);
  const problems: LoadProblem[] = [];
  const linesWithProblems = new Set<number>();
  for (const error of doc.errors) {
    // One syntax error a line: the parser's follow-on errors only repeat the first one.
    const line = lines.position(error.pos[0]).line;
    if (linesWithProblems.has(line)) continue;
    linesWithProblems.add(line);
    problems.push({
      span: { start: error.pos[0], end: Math.max(error.pos[1], error.pos[0] + 1) },
      path: [],
      code: "yaml_syntax",
      message: firstLine(error.message) + syntaxAdvice(error.code, error.message),
    });
  }
  let value: unknown = null;
  if (problems.length === 0) {
    try {
      value = loader.node(doc.contents, []);
    } catch (error) {
      if (!(error instanceof TooManyAliases)) throw error;
    }
  }
  problems.push(...loader.problems);
  return { text, value, problems, lines, spans: loader.spans };
}

/** What usually causes the parser's errors, said in the user's terms. */
const SYNTAX_ADVICE: Partial<Record<string, string>> = {
  TAB_AS_INDENT: " (indent with spaces; YAML does not allow tabs for indentation)",
  MULTILINE_IMPLICIT_KEY: " (check the indentation of this line and the next: keys of one mapping line up)",
  BAD_INDENT: " (keys of one mapping must line up at the same column)",
  BLOCK_AS_IMPLICIT_KEY: " (check the indentation: a nested mapping goes on its own lines, indented under its key)",
  MISSING_CHAR: " (a [ or { opened earlier is not closed)",
};

function syntaxAdvice(code: string, message: string): string {
  if (/multiple documents/.test(message)) return "";
  const unclosed = /end with an? ([\]}])/.exec(message);
  if (unclosed) return ` (the ${unclosed[1] === "]" ? "[" : "{"} opened before this line is never closed)`;
  return SYNTAX_ADVICE[code] ?? "";
}

function firstLine(message: string): string {
  if (/multiple documents/.test(message)) return 'YAML syntax error: a configuration file holds one YAML document; remove the second "---" and what follows, or merge the two';
  const line = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  return `YAML syntax error: ${line.charAt(0).toLowerCase()}${line.slice(1)}`;
}
