/**
 * `shell`: the shell that runs the commands (recent dstack, since 0.19.5): `sh`, `bash`, or an
 * absolute path such as `/usr/bin/zsh`.
 */
import { GrammarError, show, toRecentStr } from "./coerce";

/** The shells that may be named without a path. */
export const SHELL_NAMES = ["sh", "bash"] as const;

/**
 * `shell`: "sh", "bash" or an absolute POSIX path (anything starting with "/"); null when unset
 * (dstack then uses /bin/sh with an `image`, /bin/bash without). Numbers are coerced to text.
 */
export function parseShell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = toRecentStr(value);
  if ((SHELL_NAMES as readonly string[]).includes(text) || text.startsWith("/")) return text;
  throw new GrammarError(
    `${show(text)} is not a valid shell: use "sh", "bash" or an absolute path such as "/usr/bin/zsh"`,
    "invalid_value",
    [],
    shellHint(text),
  );
}

function shellHint(text: string): string | undefined {
  const lower = text.trim().toLowerCase();
  if ((SHELL_NAMES as readonly string[]).includes(lower)) return `Did you mean "${lower}"?`;
  if (text === "" || /\s/.test(text)) return undefined;
  return `Use an absolute path such as "/${text.includes("/") ? text.replace(/^(\.\/)+/, "") : `usr/bin/${text}`}"`;
}
