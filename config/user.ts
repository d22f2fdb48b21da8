/**
 * `user`: the user inside the container, `user[:group]` as Docker reads it (recent dstack, since
 * 0.18.30). Each part is a name or a numeric id; the field keeps the text as written.
 */
import { GrammarError, show, toRecentStr } from "./coerce";
import { parsePythonInt } from "./py-values";

/** The allowed forms, for messages. */
export const USER_FORMS = '"user" or "user:group", each a name or a numeric id (e.g. "ubuntu", "1000:1000")';

/**
 * `user`: `user[:group]`. Numbers are coerced (`1000` -> "1000"). At most two parts; the user part
 * must not be empty, nor the group part when there is a `:`. A part that Python's `int()` reads
 * (" 1000", "+5", "1_000") is an id and must not be negative. Returns the original text, or null.
 */
export function parseUser(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = toRecentStr(value);
  const parts = text.split(":");
  if (parts.length > 2) {
    throw new GrammarError(`invalid user ${show(text)}: too many parts (${parts.length}); use ${USER_FORMS}`, "invalid_value");
  }
  checkPart(text, parts[0], "user", parts.length === 2 ? ' before ":"' : "");
  if (parts.length === 2) checkPart(text, parts[1], "group", ' after ":"');
  return text;
}

function checkPart(text: string, part: string, what: "user" | "group", where: string): void {
  if (part === "") {
    throw new GrammarError(`invalid user ${show(text)}: the ${what} name or id${where} is empty; use ${USER_FORMS}`, "invalid_value");
  }
  const id = parsePythonInt(part);
  if (id !== null && id < 0) {
    const kind = what === "user" ? "uid" : "gid";
    throw new GrammarError(`invalid user ${show(text)}: the ${kind} cannot be negative (${id})`, "invalid_range");
  }
}
