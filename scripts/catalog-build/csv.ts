/**
 * Reading the source tables: CSV text to rows of strings, and the numbers in them.
 */
import { parse } from "csv-parse/sync";

/** One CSV record, keyed by the header's column names. */
export type Row = Record<string, string>;

export function parseCsv(text: string): Row[] {
  return parse(text, { columns: true, skip_empty_lines: true }) as Row[];
}

/** The number in a cell, or null for an empty cell; anything else is an error in the source. */
export function optionalNumber(row: Row, column: string): number | null {
  const text = (row[column] ?? "").trim();
  if (text === "") return null;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`column ${column}: not a number: ${JSON.stringify(text)} in ${JSON.stringify(row)}`);
  return value;
}

export function requiredNumber(row: Row, column: string): number {
  const value = optionalNumber(row, column);
  if (value === null) throw new Error(`column ${column}: empty in ${JSON.stringify(row)}`);
  return value;
}

/** Rows grouped by a key, in input order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
