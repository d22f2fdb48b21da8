/**
 * A parsed YAML document -> the plain value PyYAML's `safe_load` builds, with the source position of
 * every key and value. Merge keys follow PyYAML's order; aliases are expanded with limits on size
 * and depth, and what an alias brings in is positioned at the alias.
 */
import { Alias, isAlias, isMap, isScalar, isSeq, type Document, type Node } from "yaml";
import { setOwn } from "./coerce";
import type { FieldPath, IssueCode } from "./issues";
import type { LineIndex } from "./line-index";
import { PyDate, PyFloat, pythonStr } from "./py-values";
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

/** The key of a field path in the span map. */
export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

/** Most values a document may hold once aliases are expanded ("billion laughs" stop here). */
export const MAX_VALUES = 100_000;
/** Deepest nesting of lists and mappings; a configuration needs fewer than ten levels. */
export const MAX_DEPTH = 64;

/** Ends loading when a limit is reached; the problem is already recorded. */
export class LoadLimitReached extends Error {}

/** Plain scalars PyYAML resolves to tags `safe_load` cannot build (`=` is !!value, `<<` !!merge). */
const UNCONSTRUCTIBLE = new Set(["=", "<<"]);

type Pair = { key: unknown; value: unknown };

function isMergeKey(node: Node | null): boolean {
  return node !== null && isScalar(node) && node.type === "PLAIN" && !node.tag && node.value === "<<";
}

export function spanOf(node: Node): Span {
  const range = node.range ?? [0, 0, 0];
  return { start: range[0], end: Math.max(range[1], range[0]) };
}

export class Loader {
  readonly problems: LoadProblem[] = [];
  readonly spans = new Map<string, FieldSpans>();
  private values = 0;
  private aliasesExpanded = 0;
  private readonly resolving = new Set<Node>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineIndex,
  ) {}

  /**
   * The value of `node` at `path`. `at`, inside an alias expansion, is the alias: what it brings
   * in is positioned there rather than at the anchor, which may belong to another field.
   */
  node(node: unknown, path: FieldPath, depth = 0, keySpan?: Span, at?: Span): unknown {
    if (node === null || node === undefined) return null;
    const span = at ?? spanOf(node as Node);
    const key = pathKey(path);
    if (!this.spans.has(key)) this.spans.set(key, { key: keySpan, value: span, scalar: isScalar(node) });
    if (++this.values > MAX_VALUES) {
      const aliases = this.aliasesExpanded > 0 ? " once its aliases are expanded (is an alias repeated many times over?)" : "";
      this.limit(span, path, `the document holds more than ${MAX_VALUES} values${aliases}; a configuration is far smaller`);
    }
    if (depth > MAX_DEPTH) this.limit(span, path, `lists and mappings are nested more than ${MAX_DEPTH} levels deep; a configuration needs a few`);
    if (isAlias(node)) return this.alias(node, path, depth, keySpan, at);
    if (isScalar(node)) return this.scalar(node, path, span);
    if (isMap(node)) return this.mapping(node as Node & { items: Pair[] }, path, depth, at);
    if (isSeq(node)) return node.items.map((item, index) => this.node(item, [...path, index], depth + 1, undefined, at));
    return null;
  }

  private limit(span: Span, path: FieldPath, message: string): never {
    this.problem(span, path, "too_many_aliases", message);
    throw new LoadLimitReached();
  }

  private alias(node: Alias, path: FieldPath, depth: number, keySpan?: Span, at?: Span): unknown {
    const target = node.resolve(this.doc);
    if (!target) {
      this.problem(spanOf(node), path, "yaml_syntax", `unknown alias *${node.source}: no anchor &${node.source} comes before it`);
      return null;
    }
    if (this.resolving.has(target)) {
      this.problem(spanOf(node), path, "yaml_syntax", `the alias *${node.source} refers to itself`);
      return null;
    }
    this.aliasesExpanded++;
    this.resolving.add(target);
    const value = this.node(target, path, depth, keySpan, at ?? spanOf(node));
    this.resolving.delete(target);
    return value;
  }

  private scalar(node: Node & { value: unknown; type?: string; tag?: string }, path: FieldPath, span: Span): unknown {
    const text = String(node.value ?? "");
    const plain = node.type === "PLAIN";
    if (plain && UNCONSTRUCTIBLE.has(text) && node.tag !== "tag:yaml.org,2002:str") {
      this.problem(span, path, "unsupported_tag", `a bare ${text} is not a value in YAML 1.1: quote it ("${text}")`);
      return null;
    }
    // The non-specific tag "!" leaves a plain scalar to the resolver, a quoted one a string.
    const value = node.tag && node.tag !== "!" ? resolveTaggedScalar(node.tag, text) : plain ? resolvePlainScalar(text) : text;
    if (value && typeof value === "object" && "error" in value) {
      this.problem(span, path, node.tag ? "unsupported_tag" : "invalid_value", value.error);
      return null;
    }
    return value;
  }

  /**
   * A mapping as PyYAML builds it: the pairs merged in by `<<` come first (a later source in a
   * `<<` list giving way to an earlier one), then the explicit pairs, which win over merged ones.
   */
  private mapping(node: Node & { items: Pair[] }, path: FieldPath, depth: number, at?: Span): unknown {
    const explicit: Array<[string, unknown]> = [];
    const firstSpans = new Map<string, Span>();
    const merges: Pair[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (isMergeKey(keyNode)) {
        merges.push(pair);
        continue;
      }
      const keySpan = at ?? (keyNode ? spanOf(keyNode) : spanOf(node));
      const key = this.keyText(keyNode, path, depth, keySpan, pair.value as Node | null);
      if (key === null) continue;
      const first = firstSpans.get(key);
      if (first) {
        const line = this.lines.position(first.start).line;
        this.problem(keySpan, [...path, key], "duplicate_key", `duplicate key "${key}": first defined on line ${line}; each key may appear once in a mapping`);
        continue;
      }
      firstSpans.set(key, keySpan);
      explicit.push([key, this.node(pair.value, [...path, key], depth + 1, keySpan, at)]);
    }
    const merged = merges.flatMap((pair) => this.mergedPairs(pair, path, depth, at));
    const result: Record<string, unknown> = {};
    for (const [key, value] of [...merged, ...explicit]) setOwn(result, key, value);
    return result;
  }

  /** The pairs one `<<` brings in, in PyYAML's order; loaded at the mapping's own path. */
  private mergedPairs(pair: Pair, path: FieldPath, depth: number, at?: Span): Array<[string, unknown]> {
    const keySpan = at ?? spanOf(pair.key as Node);
    const valueNode = pair.value as Node | null;
    const viaAlias = valueNode !== null && isAlias(valueNode);
    const target = viaAlias ? (valueNode as Alias).resolve(this.doc) : valueNode;
    const aliasSpan = at ?? (viaAlias ? spanOf(valueNode as Node) : undefined);
    const sources = target && isSeq(target) ? [...target.items].reverse() : [valueNode];
    const pairs: Array<[string, unknown]> = [];
    for (const source of sources) {
      const value = this.node(source, path, depth, undefined, aliasSpan);
      if (value && typeof value === "object" && !Array.isArray(value) && !(value instanceof PyFloat) && !(value instanceof PyDate)) {
        pairs.push(...Object.entries(value as Record<string, unknown>));
      } else {
        this.problem(keySpan, path, "yaml_syntax", "a merge key (<<) needs a mapping or a list of mappings");
      }
    }
    return pairs;
  }

  private keyText(keyNode: Node | null, path: FieldPath, depth: number, keySpan: Span, valueNode: Node | null): string | null {
    // The parser gives a pair with an empty key for text such as `[a]: b`; PyYAML refuses it.
    const emptyKey = keyNode !== null && isScalar(keyNode) && keyNode.type === "PLAIN" && !keyNode.tag && spanOf(keyNode).end === spanOf(keyNode).start;
    if (!keyNode || emptyKey) {
      this.problem(valueNode ? spanOf(valueNode) : keySpan, path, "yaml_syntax", "YAML syntax error: a value without a key (a mapping entry is key: value)");
      return null;
    }
    const keyPath = [...path, "<key>"];
    const key = this.node(keyNode, keyPath, depth + 1);
    this.spans.delete(pathKey(keyPath));
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
