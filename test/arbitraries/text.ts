/**
 * fast-check arbitraries of free text and of booleans as users write them, for the `str` and
 * `bool` fields of generated dev-environment configurations.
 */
import fc from "fast-check";

/** Strings that YAML 1.1 would read as something else, or that need quoting. */
const TRICKY_TEXT = [
  "yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "null", "~", "3.10", "8:50", "190:20:30", "017", "0x1F",
  "0b101", "1_000", "1e3", "1.0e+3", "+12", "2001-01-01", ".inf", ".nan", "#not a comment", "- dash", "a: b", "key:value",
  "[x]", "{y}", "*star", "&amp", "!bang", "%pct", "@at", "`tick", "'", '"', "\\", "\t", "line1\nline2", " lead", "trail ",
  "", "---", "...", "?", "|", ">", "ünïcödé", "日本語", "😀", "\u00a0nbsp", "a\u2028b", "$${{ env.X }}", "${{ env.HF_TOKEN }}",
  "__proto__", "constructor",
];

/** Any string a `str` field accepts. */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.constantFrom(...TRICKY_TEXT),
);

export const nonEmptyTextArb = textArb.filter((text) => text.trim() !== "");

/** A `bool` field as the user may write it, and its value. */
export const boolArb: fc.Arbitrary<{ value: unknown; bool: boolean }> = fc.oneof(
  { weight: 4, arbitrary: fc.boolean().map((bool) => ({ value: bool, bool })) },
  fc.constantFrom(
    { value: "yes", bool: true }, { value: "no", bool: false }, { value: "on", bool: true }, { value: "off", bool: false },
    { value: "y", bool: true }, { value: "n", bool: false }, { value: "True", bool: true }, { value: "f", bool: false },
    { value: 1, bool: true }, { value: 0, bool: false }, { value: "1", bool: true }, { value: "0", bool: false },
  ),
);
