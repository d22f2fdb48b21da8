/**
 * The zod schema of a whole `dev-environment` configuration: strict (unknown keys rejected), each
 * field read by its parser, then the rules that tie fields together.
 */
import { z } from "zod";
import { grammarErrorsOf } from "./coerce";
import { checkCrossFieldRules } from "./cross-field";
import { FIELDS, FIELD_NAMES, type FieldName } from "./fields";

/** The configuration as read: every field present, with dstack's defaults applied. */
export type DevEnvironmentSpec = { [K in FieldName]: ReturnType<(typeof FIELDS)[K]["parse"]> };

/** Metadata carried on issues that come from a grammar: the issue code and a hint. */
export interface IssueParams {
  code: string;
  hint?: string;
}

/** Adds grammar problems to zod's issues; anything else is a bug and is rethrown. */
export function reportGrammarError(error: unknown, ctx: { addIssue: (issue: z.core.$ZodRawIssue) => void; value: unknown }, at: PropertyKey[] = []): void {
  for (const problem of grammarErrorsOf(error)) {
    ctx.addIssue({
      code: "custom",
      input: ctx.value,
      message: problem.message,
      path: [...at, ...problem.subpath],
      params: { code: problem.code, hint: problem.hint } satisfies IssueParams,
    });
  }
}

function fieldSchema<T>(parse: (value: unknown) => T) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T => {
      try {
        return parse(value);
      } catch (error) {
        reportGrammarError(error, ctx);
        return z.NEVER;
      }
    });
}

const shape = Object.fromEntries(FIELD_NAMES.map((name) => [name, fieldSchema(FIELDS[name].parse as (value: unknown) => unknown)])) as unknown as {
  [K in FieldName]: z.ZodType<DevEnvironmentSpec[K], unknown>;
};

/** Every field read by its parser; unknown keys rejected. */
const fieldsSchema = z.strictObject(shape);

/** Reads each field on its own, keeping those that parse (for the cross-field rules of a file with errors). */
function readableFields(raw: Record<string, unknown>): Partial<DevEnvironmentSpec> {
  const partial: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    try {
      partial[name] = FIELDS[name].parse(raw[name]);
    } catch {
      // Reported by fieldsSchema.
    }
  }
  return partial as Partial<DevEnvironmentSpec>;
}

/**
 * Validates a loaded document (a plain mapping) into a `DevEnvironmentSpec`: the fields, then the
 * rules that tie them together, which see the raw values too (dstack compares `docker` with `True`
 * before coercion) and, as in dstack 0.18.2x, run even when other fields have errors.
 */
export const devEnvironmentSchema = z.unknown().transform((raw, ctx): DevEnvironmentSpec => {
  const parsed = fieldsSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: raw } as z.core.$ZodRawIssue);
  }
  const rawFields = raw as Record<string, unknown>;
  const spec = parsed.success ? parsed.data : readableFields(rawFields);
  for (const error of checkCrossFieldRules(spec, rawFields)) reportGrammarError(error, ctx);
  return parsed.success ? parsed.data : z.NEVER;
});

/** The schema of what users may write, short forms included, for editors. */
export const devEnvironmentInputSchema = z
  .strictObject(Object.fromEntries(FIELD_NAMES.map((name) => [name, name === "type" ? FIELDS[name].input : FIELDS[name].input.optional()])))
  .meta({
    title: "dstack dev-environment configuration (.dstack.yml)",
    description: "A dstack dev-environment, as read by pulumi-dstack (dstack 0.18.2x format and the fields added since).",
  });

/** The JSON Schema of `.dstack.yml`, for yaml-language-server and other editors. */
export function jsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(devEnvironmentInputSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
