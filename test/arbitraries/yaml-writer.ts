/**
 * Writing generated documents as YAML 1.1 in many styles, and checking that a text reads back as
 * the document it was written from.
 */
import { normalizeLineBreaks } from "../../config/line-index";
import fc from "fast-check";
import YAML from "yaml";

/** How a document is written: indentation, quoting, flow or block collections, line folding. */
export type YamlStyle = YAML.ToStringOptions & { collectionStyle?: "any" | "block" | "flow" };

export const styleArb: fc.Arbitrary<YamlStyle> = fc.record({
  indent: fc.constantFrom(2, 2, 3, 4),
  indentSeq: fc.boolean(),
  collectionStyle: fc.constantFrom<"any" | "block" | "flow">("any", "any", "any", "block", "flow"),
  defaultStringType: fc.constantFrom<YAML.Scalar.Type>("PLAIN", "PLAIN", "PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE", "BLOCK_LITERAL", "BLOCK_FOLDED"),
  defaultKeyType: fc.constantFrom<YAML.Scalar.Type | null>(null, "PLAIN"),
  lineWidth: fc.constantFrom(0, 20, 80),
  minContentWidth: fc.constantFrom(0, 20),
  flowCollectionPadding: fc.boolean(),
});

/** True when `text` holds the same strings, keys and structure as `doc` (scalar types not compared). */
export function roundTrips(doc: unknown, text: string): boolean {
  // Read with PyYAML's line breaks, as the reader does.
  const parsed = YAML.parseDocument(normalizeLineBreaks(text), { version: "1.1", schema: "failsafe", uniqueKeys: false });
  if (parsed.errors.length > 0) return false;
  const same = (value: unknown, read: unknown): boolean => {
    if (Array.isArray(value)) return Array.isArray(read) && read.length === value.length && value.every((item, index) => same(item, read[index]));
    if (value !== null && typeof value === "object") {
      if (!(read instanceof Map)) return false;
      const keys = Object.keys(value);
      return keys.length === read.size && keys.every((key) => read.has(key) && same((value as Record<string, unknown>)[key], read.get(key)));
    }
    return typeof value !== "string" || value === read;
  };
  return same(doc, parsed.toJS({ mapAsMap: true, maxAliasCount: -1 }));
}

/**
 * Writes a document as YAML 1.1, so strings that PyYAML would read as booleans, numbers, dates or
 * null (`on`, `yes`, `3.10`, `8:50`) are quoted.
 *
 * Some styles make `yaml` write text that does not read back as the same strings (folded lines
 * with the literal text "undefined", whitespace-only block scalars read back empty, an empty list
 * at the key's own indentation): those are bugs of the writer, not of the reader under test, so a
 * text that does not read back (as `yaml` itself reads it) is written again in the default style.
 */
export function toYaml(doc: unknown, style: YamlStyle = {}): string {
  const text = toYamlUnchecked(doc, style);
  if (roundTrips(doc, text)) return text;
  const plain = YAML.stringify(doc, { version: "1.1", lineWidth: 0 });
  if (roundTrips(doc, plain)) return plain;
  // PyYAML's extra line breaks (NEL, U+2028, U+2029) survive only escaped in double quotes.
  const quoted = YAML.stringify(doc, { version: "1.1", lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "QUOTE_DOUBLE" })
    .replace(/\u0085/g, "\\N")
    .replace(/\u2028/g, "\\L")
    .replace(/\u2029/g, "\\P");
  if (!roundTrips(doc, quoted)) throw new Error(`yaml cannot write this document so that it reads back:\n${quoted}`);
  return quoted;
}

/** Writes any document (mutated ones too, which need not read back) in the given style. */
export function toYamlUnchecked(doc: unknown, style: YamlStyle = {}): string {
  // Keys cannot be block scalars.
  const keyType = style.defaultStringType === "BLOCK_LITERAL" || style.defaultStringType === "BLOCK_FOLDED" ? "PLAIN" : style.defaultKeyType;
  // Block style with indentSeq: false writes an empty list as "key:\n[]", which no parser reads.
  const indentSeq = style.collectionStyle === "block" ? true : style.indentSeq;
  return YAML.stringify(doc, { ...style, defaultKeyType: keyType, indentSeq, version: "1.1" });
}
