/**
 * Offsets -> 1-based line and column, with the line breaks PyYAML knows: `\n`, `\r\n`, a lone
 * `\r`, NEL (`\x85`) and the Unicode line and paragraph separators.
 */

const LINE_BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/g;

/** Splits text into lines at every line break PyYAML knows. */
export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

/**
 * The same text with every line break other than `\n` and `\r\n` turned into `\n`. Each is one
 * UTF-16 unit, so offsets into the result are offsets into the original.
 */
export function normalizeLineBreaks(text: string): string {
  return text.replace(/\r(?!\n)|[\u0085\u2028\u2029]/g, "\n");
}

/** Finds the line and column of an offset by binary search over line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (const match of text.matchAll(LINE_BREAK)) this.starts.push(match.index + match[0].length);
  }

  /** 1-based line and column of `offset` (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: Math.max(0, offset - this.starts[low]) + 1 };
  }
}
