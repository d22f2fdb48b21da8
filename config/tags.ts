/**
 * `tags` (recent dstack, since 0.19.5): free-form `key: value` labels that dstack also puts on the
 * cloud resources it creates.
 */
import { ErrorSink, GrammarError, show, toMapping, setOwn } from "./coerce";
import { describeValueType, isPyNumber, pythonStr } from "./py-values";

/** dstack's rule for a tag key: 1 to 60 letters, digits, `_` or `-`. */
export const TAG_KEY_PATTERN = /^[_\-a-zA-Z0-9]{1,60}$/;
/** dstack's rule for a tag value: up to 256 letters, digits, spaces or `. : / = _ - + @`. */
export const TAG_VALUE_PATTERN = /^[a-zA-Z0-9 .:/=_\-+@]{0,256}$/;

/** Quotes a key or value for a message, cut short when it is long. */
function quote(text: string): string {
  return text.length > 80 ? `${show(text.slice(0, 60))}... (${text.length} characters)` : show(text);
}

/**
 * `tags`: a mapping of string keys to string values, each matching dstack's patterns; null when
 * unset. A value that is not a string (`a: 1`, `a: true`) is rejected: dstack checks the pattern
 * before coercion and crashes on it. The result is a plain object whose keys are own data
 * properties, so a key such as `__proto__` is stored as a tag and changes no prototype.
 */
export function parseTags(value: unknown): Record<string, string> | null {
  if (value === null || value === undefined) return null;
  const mapping = toMapping(value, "a mapping of tag names to values");
  const tags: Record<string, string> = {};
  const sink = new ErrorSink();
  for (const key of Object.keys(mapping)) {
    const tag = sink.run(null, () => checkTag(key, mapping[key]));
    if (tag !== undefined) setOwn(tags, key, tag);
  }
  sink.done();
  return tags;
}

/** One `key: value` entry, checked as dstack does: the key first, then the value. */
function checkTag(key: string, tag: unknown): string {
  if (!TAG_KEY_PATTERN.test(key)) {
    const why = key.length === 0 ? "it is empty" : key.length > 60 ? `it has ${key.length} characters` : "it has a character other than those";
    throw new GrammarError(`invalid tag key ${quote(key)}: a key has 1 to 60 letters, digits, _ or -, and ${why}`, "invalid_value", [key]);
  }
  if (typeof tag !== "string") {
    const text = typeof tag === "boolean" ? String(tag) : isPyNumber(tag) ? pythonStr(tag) : undefined;
    const hint = text === undefined ? undefined : `Quote the value: ${key}: "${text}"`;
    throw new GrammarError(`the value of tag ${quote(key)} must be a string, got ${describeValueType(tag)}${hint ? ` (${show(tag)})` : ""}`, "invalid_type", [key], hint);
  }
  if (!TAG_VALUE_PATTERN.test(tag)) {
    const why = tag.length > 256 ? `it has ${tag.length} characters` : "it has a character other than those";
    throw new GrammarError(`invalid value ${quote(tag)} for tag ${quote(key)}: a value has up to 256 letters, digits, spaces or . : / = _ - + @, and ${why}`, "invalid_value", [key]);
  }
  return tag;
}
