/**
 * `${{ env.NAME }}` references in `registry_auth` (dstack's CLI fills them from the resolved `env`;
 * `secrets.*` is left for the server). `$$` is an escaped `$`.
 */
import { GrammarError } from "./coerce";

/** A reference such as `${{ env.GHCR_TOKEN }}`. */
export interface Reference {
  namespace: string;
  name: string;
}

/** Literal text and references, in order. */
export type Template = Array<string | Reference>;

const NAME = /^([a-zA-Z_][a-zA-Z0-9_-]*)\.([a-zA-Z_][a-zA-Z0-9_-]*)$/;
export const NAMESPACES = ["env", "secrets"] as const;

/** Splits text into literals and references; a reference that does not parse is an error. */
export function parseTemplate(text: string): Template {
  const parts: Template = [];
  let literal = "";
  let index = 0;
  while (index < text.length) {
    if (text.startsWith("$$", index)) {
      literal += "$";
      index += 2;
    } else if (text.startsWith("${{", index)) {
      const end = text.indexOf("}}", index + 3);
      if (end < 0) throw new GrammarError(`unclosed reference in ${JSON.stringify(text)}: a "\${{" needs a closing "}}"`, "invalid_value");
      const inner = text.slice(index + 3, end).trim();
      const match = NAME.exec(inner);
      if (!match) {
        throw new GrammarError(`invalid reference "\${{ ${inner} }}": expected \${{ env.NAME }} or \${{ secrets.NAME }}`, "invalid_value");
      }
      if (!(NAMESPACES as readonly string[]).includes(match[1])) {
        throw new GrammarError(`unknown namespace "${match[1]}" in "\${{ ${inner} }}": use env or secrets`, "invalid_value");
      }
      if (literal) parts.push(literal);
      literal = "";
      parts.push({ namespace: match[1], name: match[2] });
      index = end + 2;
    } else {
      literal += text[index];
      index += 1;
    }
  }
  if (literal) parts.push(literal);
  return parts;
}

/** The `env.*` names a text refers to. */
export function envReferences(text: string): string[] {
  return parseTemplate(text)
    .filter((part): part is Reference => typeof part !== "string" && part.namespace === "env")
    .map((part) => part.name);
}
