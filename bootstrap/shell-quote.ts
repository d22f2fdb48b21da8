/**
 * Shell text from values: single-quoted words and here-documents whose delimiter cannot occur in
 * the content. Everything the configuration gives goes through these.
 */

/** A single-quoted shell word: `it's` -> `'it'\''s'`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A delimiter for a quoted here-document that no line of `content` equals. */
export function heredocDelimiter(content: string, base = "DSTACK_EOF"): string {
  const lines = new Set(content.split("\n"));
  let delimiter = base;
  for (let n = 1; lines.has(delimiter); n++) delimiter = `${base}_${n}`;
  return delimiter;
}

/** `COMMAND <<'DELIM' REST` + content + `DELIM`: content passed verbatim (no expansion); `rest` ends the command line (`|| true`). */
export function heredoc(command: string, content: string, rest = ""): string {
  const body = content.endsWith("\n") ? content : `${content}\n`;
  const delimiter = heredocDelimiter(body);
  return `${command} <<'${delimiter}'${rest ? ` ${rest}` : ""}\n${body}${delimiter}`;
}
