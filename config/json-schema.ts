/**
 * The JSON Schema of `.dstack.yml` for editors (`dstack-pulumi schema`), built with zod from the
 * input schema of each field (what users may write, short forms included).
 */
import { z } from "zod";
import { FIELDS, FIELD_NAMES } from "./fields";
import * as schemas from "./input-schemas";

/** The schema of what users may write, short forms included, for editors. */
export function devEnvironmentInputSchema(): z.ZodType {
  return z
    .strictObject(Object.fromEntries(FIELD_NAMES.map((name) => [name, name === "type" ? FIELDS[name].input(schemas) : FIELDS[name].input(schemas).optional()])))
    .meta({
      title: "dstack dev-environment configuration (.dstack.yml)",
      description: "A dstack dev-environment, as read by pulumi-dstack (dstack 0.18.2x format and the fields added since).",
    });
}

/** The JSON Schema of `.dstack.yml`, for yaml-language-server and other editors. */
export function jsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(devEnvironmentInputSchema(), { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
