/**
 * fast-check arbitraries that break valid configurations: edits of the YAML text (characters,
 * lines, indentation, tabs, misspelt keys, values of another type, anchors and aliases) and edits
 * of the document before it is written (so the YAML stays well-formed and the schema is hit).
 */
import fc from "fast-check";
import { mapping } from "./mapping";

// ---------------------------------------------------------------------------------------------
// Text mutations

/** YAML fragments that replace a value: other types, odd scalars, tags, anchors, aliases. */
export const VALUE_SNIPPETS = [
  "", "null", "~", "true", "no", "off", "y", "0", "-1", "1.5", "-0.0", ".nan", "-.inf", "1e400", "99999999999999999999999999999",
  "0x7FFFFFFFFFFFFFFFFF", "0b1111", "0o17", "017", "8:50", "190:20:30", "2001-01-01", "2001-12-14t21:59:43.10-05:00", "=", "<<",
  "[]", "{}", "[1, 2, [3]]", "{a: 1, b: [2]}", "{__proto__: {polluted: 1}}", "{constructor: {prototype: 1}}", "[__proto__]",
  "'single'", "\"double \\u00e9 \\x41 \\\"\"", "\"bad escape \\q\"", "'unterminated", "\"unterminated", "|\n  block\n  text", ">-\n  folded",
  "|", ">", "!!str 3.10", "!!int 12", "!!int x", "!!float 1", "!!bool yes", "!!null ''", "!!binary aGVsbG8=", "!!set {a, b}",
  "!!omap [a: 1]", "!!python/object:os.system ls", "!custom x", "!<tag:yaml.org,2002:str> x", "&anchor value", "&a [1, *a]", "*undefined",
  "*a", "&x 1", "? complex", "- item", "- a\n- b", "a: b: c", "@reserved", "`backtick", "%directive", "# only a comment",
  "ünïcödé ‮rtl", "日本語テキスト", "😀😀😀", "\u0000", "\u0007bell", "\ufeffbom", "\u2028", "x".repeat(5000), "A100:".repeat(200),
  "1..2..3", "..", "0..0", "-5..-10", "1TB..512GB", "nan", "inf", "NaN GB", "arm:arm", "nvidia:amd:tpu", "*:*", "65536", "0:0",
  "/workflow", "vol:/workflow/x", "/a/../b", "a:/b:/c", "vscode\n", "\t", "\"\\t\"",
];

/** Lines that may be inserted anywhere. */
export const LINE_SNIPPETS = [
  "__proto__: {polluted: true}", "constructor: 1", "toString: x", "hasOwnProperty: 1", "prototype: []", "<<: {name: merged}",
  "<<: [*a, *b]", "<<: 1", "<<: *nope", "? [a, b]\n: c", "? {a: 1}\n: d", "? |\n  block key\n: e", "---", "...", "--- !!map",
  "%YAML 1.1", "%YAML 1.2\n---", "%TAG ! tag:example.com,2000:", "# comment", "", "  ", "\t", "-", "- x", ":", "? ", "!!str",
  "&a", "*a", "type: task", "type: dev-environment", "ide: vscode", "python: 3.10", "image: ubuntu", "resources: null",
  "resources:\n  gpu: A100:2\n  gpus: 1", "gpu: 24GB", "commands: [ls]", "env: [A=1, A=2]", "volumes: [vol:/data, vol2:/data]",
  "ports: [8080:, 0, 65536]", "anchors: &a [1, 2, 3]", "aliases: [*a, *a]", "x: &b {k: v}", "y: *b", "z: !!binary |\n  aGVsbG8=",
  "null: 1", "~: 2", "true: 3", "1: 4", "[1]: 5", "{a: 1}: 6", "'': 7", "a\u0000b: 8", "\ufeffbom: 9",
];

const KEY_EDITS = ["swap", "drop", "double", "upper", "typo", "dash"] as const;

export type TextOp =
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "replace"; at: number; text: string }
  | { kind: "duplicateLine"; line: number }
  | { kind: "dropLine"; line: number }
  | { kind: "swapLines"; line: number; other: number }
  | { kind: "indent"; line: number; delta: number }
  | { kind: "tab"; line: number; where: "start" | "afterColon" | "end" }
  | { kind: "misspellKey"; line: number; edit: (typeof KEY_EDITS)[number]; at: number }
  | { kind: "swapValue"; line: number; value: string }
  | { kind: "insertLine"; line: number; text: string; indent: number }
  | { kind: "anchorAlias"; line: number; other: number }
  | { kind: "truncate"; at: number }
  | { kind: "crlf" }
  | { kind: "cr" }
  | { kind: "bom" }
  | { kind: "laughs"; width: number; depth: number };

const INSERT_CHARS = [
  ":", "-", " ", "  ", "\t", "\n", "\r", "\r\n", '"', "'", "[", "]", "{", "}", "&", "*", "!", "#", "|", ">", "%", "@", "`", ",",
  "?", ".", "..", "=", "\\", "\u0000", "\u0085", "\u2028", "\ufeff", "é", "😀", "\udc00", "---\n", "...\n", ": ", "- ", "<<: ",
];

const charsArb = fc.oneof(fc.constantFrom(...INSERT_CHARS), fc.string({ minLength: 1, maxLength: 4 }), fc.string({ unit: "binary", minLength: 1, maxLength: 3 }));

export const textOpArb: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: charsArb }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), text: charsArb }),
  fc.record({ kind: fc.constant("duplicateLine" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("dropLine" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("swapLines" as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant("indent" as const), line: fc.nat(), delta: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant("tab" as const), line: fc.nat(), where: fc.constantFrom("start" as const, "afterColon" as const, "end" as const) }),
  fc.record({ kind: fc.constant("misspellKey" as const), line: fc.nat(), edit: fc.constantFrom(...KEY_EDITS), at: fc.nat() }),
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("swapValue" as const), line: fc.nat(), value: fc.oneof(fc.constantFrom(...VALUE_SNIPPETS), fc.string({ maxLength: 12 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("insertLine" as const), line: fc.nat(), text: fc.constantFrom(...LINE_SNIPPETS), indent: fc.constantFrom(0, 0, 2, 4) }) },
  fc.record({ kind: fc.constant("anchorAlias" as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.constant({ kind: "crlf" as const }),
  fc.constant({ kind: "cr" as const }),
  fc.constant({ kind: "bom" as const }),
  // Small alias chains only (a few thousand nodes): the expansion limit has a property of its own.
  fc.record({ kind: fc.constant("laughs" as const), width: fc.integer({ min: 2, max: 6 }), depth: fc.integer({ min: 1, max: 4 }) }),
);

/** Up to 6 mutations, applied in order. */
export const textOpsArb = fc.array(textOpArb, { minLength: 1, maxLength: 6 });

const KEY_LINE = /^(\s*(?:- )?)([^\s:#'"][^:#]*?)(\s*:(?:\s|$))/;

function misspell(key: string, edit: (typeof KEY_EDITS)[number], at: number): string {
  if (key.length === 0) return "x";
  const i = at % key.length;
  switch (edit) {
    case "swap":
      return key.length < 2 ? key + key : key.slice(0, i) + (key[i + 1] ?? key[0]) + key[i] + key.slice(i + 2);
    case "drop":
      return key.length < 2 ? `${key}_` : key.slice(0, i) + key.slice(i + 1);
    case "double":
      return key.slice(0, i) + key[i] + key.slice(i);
    case "upper":
      return key.toUpperCase() === key ? key.toLowerCase() + "X" : key.toUpperCase();
    case "typo":
      return key.slice(0, i) + String.fromCharCode(((key.charCodeAt(i) - 97 + 1) % 26) + 97) + key.slice(i + 1);
    case "dash":
      return key.includes("_") ? key.replace("_", "-") : key.replace("-", "_") + (key.includes("-") ? "" : "s");
  }
}

/** Applies one mutation to the text. Positions are taken modulo the text's length or line count. */
export function applyTextOp(text: string, op: TextOp): string {
  const lines = text.split("\n");
  const lineIndex = (n: number) => n % lines.length;
  switch (op.kind) {
    case "delete": {
      const at = op.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + op.length);
    }
    case "insert": {
      const at = op.at % (text.length + 1);
      return text.slice(0, at) + op.text + text.slice(at);
    }
    case "replace": {
      const at = op.at % (text.length + 1);
      return text.slice(0, at) + op.text + text.slice(at + op.text.length);
    }
    case "duplicateLine": {
      const i = lineIndex(op.line);
      lines.splice(i, 0, lines[i]);
      return lines.join("\n");
    }
    case "dropLine":
      lines.splice(lineIndex(op.line), 1);
      return lines.join("\n");
    case "swapLines": {
      const [i, j] = [lineIndex(op.line), lineIndex(op.other)];
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join("\n");
    }
    case "indent": {
      const i = lineIndex(op.line);
      lines[i] = op.delta >= 0 ? " ".repeat(op.delta) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-op.delta}}`), "");
      return lines.join("\n");
    }
    case "tab": {
      const i = lineIndex(op.line);
      if (op.where === "start") lines[i] = `\t${lines[i]}`;
      else if (op.where === "end") lines[i] = `${lines[i]}\t`;
      else lines[i] = lines[i].replace(/:( |$)/, ":\t$1");
      return lines.join("\n");
    }
    case "misspellKey": {
      // The op's line is a starting point: misspell the first key line from there.
      for (let k = 0; k < lines.length; k++) {
        const i = (op.line + k) % lines.length;
        const match = KEY_LINE.exec(lines[i]);
        if (!match) continue;
        lines[i] = match[1] + misspell(match[2], op.edit, op.at) + lines[i].slice(match[1].length + match[2].length);
        return lines.join("\n");
      }
      return text;
    }
    case "swapValue": {
      for (let k = 0; k < lines.length; k++) {
        const i = (op.line + k) % lines.length;
        const match = /^(\s*(?:- )?[^:]*?:)( .*)?$/.exec(lines[i]) ?? /^(\s*-)( .*)$/.exec(lines[i]);
        if (!match) continue;
        const indent = /^\s*/.exec(lines[i])![0];
        // Multi-line snippets are indented under the key.
        lines[i] = `${match[1]} ${op.value.replace(/\n/g, `\n${indent}  `)}`;
        return lines.join("\n");
      }
      return `${text}\n${op.value}`;
    }
    case "insertLine": {
      const i = op.line % (lines.length + 1);
      lines.splice(i, 0, ...op.text.split("\n").map((line) => " ".repeat(op.indent) + line));
      return lines.join("\n");
    }
    case "anchorAlias": {
      // Anchor a value on one line and refer to it from another (possibly the same, or inside it).
      const [i, j] = [lineIndex(op.line), lineIndex(op.other)];
      lines[i] = lines[i].replace(/:( |$)/, ": &anc ");
      lines[j] = lines[j].replace(/:( .*)?$/, ": *anc");
      return lines.join("\n");
    }
    case "truncate":
      return text.slice(0, op.at % (text.length + 1));
    case "crlf":
      return text.replace(/\n/g, "\r\n");
    case "cr":
      return text.replace(/\n/g, "\r");
    case "bom":
      return `\ufeff${text}`;
    case "laughs": {
      // A "billion laughs" chain of aliases, each level `width` times the one below.
      const chain = [`l0: &l0 [${Array(op.width).fill("lol").join(", ")}]`];
      for (let level = 1; level <= op.depth; level++) {
        chain.push(`l${level}: &l${level} [${Array(op.width).fill(`*l${level - 1}`).join(", ")}]`);
      }
      return `${chain.join("\n")}\n${text}`;
    }
  }
}

export function applyTextOps(text: string, ops: readonly TextOp[]): string {
  return ops.reduce(applyTextOp, text);
}

// ---------------------------------------------------------------------------------------------
// Document mutations (before the YAML is written)

/** Values of every type, for swapping in where another type belongs. */
export const weirdValueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<unknown>(
      null, true, false, 0, -1, 1.5, -0.5, NaN, Infinity, -Infinity, 1e300, Number.MAX_SAFE_INTEGER + 2, 10n ** 30n, -(10n ** 25n),
      "", " ", "x".repeat(5000), "ünïcödé", "😀", "\u0000", "\ufeff", "__proto__", "on", "y", "3.10", "8:50", "=", "<<", "*alias", "&anchor",
      "!!str", "- item", "a: b", "#", "1..2..3", "..", "-5..-10", "1TB..512GB", "nan", "/workflow", "vol:/workflow", "A100:A100",
      "nvidia:tpu", "arm:", "8080:", "*:*", "65536", new Date(0),
    ),
    fc.string({ maxLength: 10 }),
    fc.string({ unit: "binary", maxLength: 6 }),
    fc.integer(),
    fc.double(),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom("__proto__", "constructor", "toString", "min", "max", "name", "path", "key", "<<", ""), fc.string({ maxLength: 6 })), tie("value")), { maxLength: 3 }).map((entries) => mapping(entries)),
  ),
})).value;

/** Keys to add: misspelt fields, object-prototype names, the merge key, empty and odd keys. */
const weirdKeyArb = fc.oneof(
  fc.constantFrom(
    "__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype", "<<", "", " ", "?", "- x", "a:b", "#", "null", "~", "true",
    "1", "3.10", "tpye", "Type", "ide ", "resorces", "gpus", "gpu", "commands", "spot-policy", "max_prices", "volume", "port", "enviroment",
    "cpu", "memory", "disk", "shm_size", "min", "max", "size", "name", "path", "instance_path", "optional", "vendor", "count", "arch", "key",
  ),
  fc.string({ maxLength: 8 }),
);

export type DocOp =
  | { kind: "replace"; target: number; value: unknown }
  | { kind: "addKey"; target: number; key: string; value: unknown }
  | { kind: "removeKey"; target: number; which: number }
  | { kind: "renameKey"; target: number; which: number; key: string }
  | { kind: "alias"; target: number; source: number }
  | { kind: "wrap"; target: number; how: "list" | "mapping" };

export const docOpArb: fc.Arbitrary<DocOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("replace" as const), target: fc.nat(), value: weirdValueArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("addKey" as const), target: fc.nat(), key: weirdKeyArb, value: weirdValueArb }) },
  fc.record({ kind: fc.constant("removeKey" as const), target: fc.nat(), which: fc.nat() }),
  fc.record({ kind: fc.constant("renameKey" as const), target: fc.nat(), which: fc.nat(), key: weirdKeyArb }),
  fc.record({ kind: fc.constant("alias" as const), target: fc.nat(), source: fc.nat() }),
  fc.record({ kind: fc.constant("wrap" as const), target: fc.nat(), how: fc.constantFrom("list" as const, "mapping" as const) }),
);

export const docOpsArb = fc.array(docOpArb, { minLength: 1, maxLength: 4 });

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || (value !== null && typeof value === "object" && !(value instanceof Date));
}

/** A deep copy of a document of plain objects and arrays (keys copied as own properties). */
export function cloneDoc(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneDoc);
  if (isContainer(value)) return mapping(Object.keys(value).map((key) => [key, cloneDoc((value as Record<string, unknown>)[key])]));
  return value;
}

/** Every slot of the document: its container and key (the root is the slot ["root"] of a holder). */
function slots(holder: Record<string, unknown>): Array<{ parent: Container; key: string | number }> {
  const found: Array<{ parent: Container; key: string | number }> = [];
  const seen = new Set<unknown>();
  const visit = (parent: Container, key: string | number) => {
    found.push({ parent, key });
    const value = (parent as Record<string | number, unknown>)[key];
    if (!isContainer(value) || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) value.forEach((_, index) => visit(value, index));
    else for (const child of Object.keys(value)) visit(value, child);
  };
  visit(holder, "root");
  return found;
}

function setOwn(target: Container, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies document mutations to a copy of `doc`. Targets are taken modulo the number of slots. */
export function applyDocOps(doc: unknown, ops: readonly DocOp[]): unknown {
  const holder = mapping([["root", cloneDoc(doc)]]);
  for (const op of ops) {
    const all = slots(holder);
    const slot = all[op.target % all.length];
    const current = (slot.parent as Record<string | number, unknown>)[slot.key];
    switch (op.kind) {
      case "replace":
        setOwn(slot.parent, slot.key, cloneDoc(op.value));
        break;
      case "wrap":
        setOwn(slot.parent, slot.key, op.how === "list" ? [current] : mapping([["value", current]]));
        break;
      case "alias": {
        // The same object in two places: written as an anchor and an alias (possibly recursive).
        const source = all[op.source % all.length];
        const value = (source.parent as Record<string | number, unknown>)[source.key];
        if (isContainer(value)) setOwn(slot.parent, slot.key, value);
        break;
      }
      case "addKey":
      case "removeKey":
      case "renameKey": {
        if (!isContainer(current) || Array.isArray(current)) break;
        const keys = Object.keys(current);
        if (op.kind === "addKey") {
          setOwn(current, op.key, cloneDoc(op.value));
          break;
        }
        if (keys.length === 0) break;
        const key = keys[op.which % keys.length];
        const entries = keys.filter((other) => other !== key || op.kind === "renameKey").map((other): [string, unknown] => [other === key && op.kind === "renameKey" ? op.key : other, current[other]]);
        setOwn(slot.parent, slot.key, mapping(entries));
        break;
      }
    }
  }
  return holder.root;
}
