/**
 * A whole `dev-environment` configuration: strict (unknown keys rejected), each field read by its
 * parser, then the rules that tie fields together. Every problem is collected, with its path.
 * (Plain code rather than a zod schema: reading a file then loads no schema library; zod builds
 * the editors' JSON Schema, `json-schema.ts`.)
 */
import { grammarErrorsOf, GrammarError } from "./coerce";
import { checkCrossFieldRules } from "./cross-field";
import { FIELDS, FIELD_NAMES, otherDstackType, type FieldName } from "./fields";

/** The configuration as read: every field present, with dstack's defaults applied. */
export type DevEnvironmentSpec = { [K in FieldName]: ReturnType<(typeof FIELDS)[K]["parse"]> };

/** A problem found while reading the fields: where, what, and the issue code and hint. */
export interface FieldProblem {
  path: (string | number)[];
  message: string;
  code: string;
  hint?: string;
}

export type SpecResult = { ok: true; spec: DevEnvironmentSpec } | { ok: false; problems: FieldProblem[]; unknownKeys: string[] };

function problemsOf(error: unknown, at: (string | number)[]): FieldProblem[] {
  return grammarErrorsOf(error).map((problem: GrammarError) => ({ path: [...at, ...problem.subpath], message: problem.message, code: problem.code, hint: problem.hint }));
}

/**
 * Reads a loaded document (a plain mapping) into a `DevEnvironmentSpec`: each field, the unknown
 * keys, then the rules that tie fields together, which see the raw values too (dstack compares
 * `docker` with `True` before coercion) and, as in dstack 0.18.2x, run even when other fields
 * have errors (on the fields that could be read).
 */
export function readDevEnvironment(raw: Record<string, unknown>): SpecResult {
  // Another dstack type (task, service, volume...): its fields are not ours to judge.
  const other = otherDstackType(raw.type);
  if (other) return { ok: false, problems: problemsOf(other, ["type"]), unknownKeys: [] };
  const spec: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const name of FIELD_NAMES) {
    try {
      spec[name] = FIELDS[name].parse(raw[name]);
    } catch (error) {
      problems.push(...problemsOf(error, [name]));
    }
  }
  const known = new Set<string>(FIELD_NAMES);
  const unknownKeys = Object.keys(raw).filter((key) => !known.has(key));
  for (const error of checkCrossFieldRules(spec as Partial<DevEnvironmentSpec>, raw)) problems.push(...problemsOf(error, []));
  if (problems.length > 0 || unknownKeys.length > 0) return { ok: false, problems, unknownKeys };
  return { ok: true, spec: spec as DevEnvironmentSpec };
}
