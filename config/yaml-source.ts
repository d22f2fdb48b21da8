/**
 * YAML text -> a plain value as PyYAML's `safe_load` builds it, plus the source position of every
 * key and value, so that an error on `resources.gpu` can point at its line and column. The text is
 * held to PyYAML's rules first: printable characters only, no tabs outside quotes, block scalars
 * and comments.
 */
import { CST, Lexer, parseDocument } from "yaml";
import type { FieldPath } from "./issues";
import { LineIndex, normalizeLineBreaks } from "./line-index";
import { LoadLimitReached, Loader, type FieldSpans, type LoadProblem } from "./yaml-loader";

export { pathKey, type FieldSpans, type LoadProblem, type Span } from "./yaml-loader";

/** The loaded document. */
export interface YamlSource {
  text: string;
  value: unknown;
  problems: LoadProblem[];
  lines: LineIndex;
  /** Positions of fields by path (see `pathKey`). */
  spans: Map<string, FieldSpans>;
}

/** Characters PyYAML's reader refuses (it accepts tab, line breaks and printable Unicode). */
const NON_PRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function syntaxProblem(start: number, end: number, message: string): LoadProblem {
  return { span: { start, end: Math.max(end, start + 1) }, path: [] as FieldPath, code: "yaml_syntax", message: `YAML syntax error: ${message}` };
}

function nonPrintable(text: string): LoadProblem | null {
  const match = NON_PRINTABLE.exec(text);
  if (!match) return null;
  const code = match[0].codePointAt(0) ?? 0;
  return syntaxProblem(match.index, match.index + match[0].length, `unacceptable character #x${code.toString(16).padStart(4, "0")}: control characters are not allowed; write it escaped in double quotes ("\\x${code.toString(16).padStart(2, "0")}")`);
}

/** Lexer tokens that stand for structure and take up no source text. */
const VIRTUAL_TOKENS = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

/** Tabs PyYAML refuses: in whitespace between tokens and inside plain scalars (one per line). */
function tabProblems(text: string, lines: LineIndex): LoadProblem[] {
  if (!text.includes("\t")) return [];
  const problems: LoadProblem[] = [];
  const seenLines = new Set<number>();
  let offset = 0;
  let previous = "";
  let header = "";
  for (const token of new Lexer().lex(text)) {
    if (VIRTUAL_TOKENS.has(token)) {
      previous = token;
      continue;
    }
    const type = CST.tokenType(token);
    const scalarSource = previous === CST.SCALAR;
    const allowed = scalarSource ? header === "block-scalar-header" : type === "comment" || type === "single-quoted-scalar" || type === "double-quoted-scalar";
    const tab = token.indexOf("\t");
    if (!allowed && tab >= 0) {
      const line = lines.position(offset + tab).line;
      if (!seenLines.has(line)) {
        seenLines.add(line);
        problems.push(syntaxProblem(offset + tab, offset + tab + 1, "a tab character here: YAML as dstack reads it (PyYAML) allows tabs only inside quotes, block scalars and comments; use spaces"));
      }
    }
    if (type !== "space" && type !== "newline") header = scalarSource ? "" : (type ?? "");
    previous = token;
    offset += token.length;
  }
  return problems;
}

/** Parses YAML text the way dstack loads `.dstack.yml` (PyYAML `safe_load`, YAML 1.1). */
export function loadYaml(text: string): YamlSource {
  const lines = new LineIndex(text);
  const source = (problems: LoadProblem[], value: unknown = null, loader?: Loader): YamlSource => ({
    text,
    value,
    problems,
    lines,
    spans: loader?.spans ?? new Map(),
  });
  const refused = nonPrintable(text);
  if (refused) return source([refused]);
  const tabs = tabProblems(text, lines);
  if (tabs.length > 0) return source(tabs);
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(normalizeLineBreaks(text), { version: "1.1", schema: "failsafe", uniqueKeys: false, merge: false, prettyErrors: false });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return source([syntaxProblem(0, 1, "the document is nested too deeply to read; a configuration needs a few levels")]);
  }
  const problems: LoadProblem[] = [];
  const linesWithProblems = new Set<number>();
  for (const error of doc.errors) {
    // One syntax error a line: the parser's follow-on errors only repeat the first one.
    const line = lines.position(error.pos[0]).line;
    if (linesWithProblems.has(line)) continue;
    linesWithProblems.add(line);
    problems.push(syntaxProblem(error.pos[0], error.pos[1], describeSyntaxError(error.code, error.message)));
  }
  if (problems.length > 0) return source(problems);
  const loader = new Loader(doc, lines);
  let value: unknown = null;
  try {
    value = loader.node(doc.contents, []);
  } catch (error) {
    if (!(error instanceof LoadLimitReached)) throw error;
    value = null;
  }
  return source(loader.problems, value, loader);
}

/** The parser's message in the user's terms, with what usually causes it. */
function describeSyntaxError(code: string, message: string): string {
  if (/multiple documents/.test(message)) {
    return 'a configuration file holds one YAML document; remove the second "---" and what follows, or merge the two';
  }
  const line = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  const text = line.charAt(0).toLowerCase() + line.slice(1);
  if (/^flow (sequence|mapping) in block collection must be sufficiently indented/.test(text)) {
    return `${text} (indent every line of the [...] or {...} further than its key, or close it)`;
  }
  if (/^missing closing .?quote/.test(text)) return `${text} (a quoted text that goes on over lines indents them; or close the quote)`;
  return text + (SYNTAX_ADVICE[code] ?? "");
}

const SYNTAX_ADVICE: Partial<Record<string, string>> = {
  TAB_AS_INDENT: " (indent with spaces; YAML does not allow tabs for indentation)",
  MULTILINE_IMPLICIT_KEY: " (check the indentation of this line and the next: keys of one mapping line up)",
  BAD_INDENT: " (keys of one mapping must line up at the same column)",
  BLOCK_AS_IMPLICIT_KEY: " (check the indentation: a nested mapping goes on its own lines, indented under its key)",
};
