/**
 * The inputs a component gets through construct, made what its TypeScript args expect. An input
 * the schema marks `secret` arrives from Python, Go, .NET or YAML as a secret output, whole (the
 * SDKs wrap the value); so may any input built from another resource's output. The components read
 * their plain args (the configuration, the offer's filters, a map's keys) when they are declared,
 * so such an output is resolved first: known (a config value, a secret, a stack reference's output,
 * an output of a resource that exists) it is used, its values kept secret where the arg's values are
 * inputs (`env`); unknown (a preview of a resource not created yet) it is an error naming the arg.
 */
import * as pulumi from "@pulumi/pulumi";
import { unknownInPreview } from "../components/known-inputs";
import { knownResult } from "../components/volume-reference";

interface InputProperty {
  plain?: boolean;
  $ref?: string;
  type?: string;
  additionalProperties?: { plain?: boolean };
}

/** How a property's value must reach the component: `plain`, a map of inputs (`map`), or as it came (`input`). */
export type InputShape = "plain" | "map" | "input";

/** The shape of each input property of a resource, from the schema. */
export function inputShapes(properties: Record<string, InputProperty>): Record<string, InputShape> {
  return Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      if (property.$ref === "pulumi.json#/Any") return [name, "plain"];
      if (property.plain !== true) return [name, "input"];
      return [name, property.type === "object" && property.additionalProperties?.plain !== true ? "map" : "plain"];
    }),
  );
}

/** The inputs with every output of a plain arg resolved (see the module's comment). */
export async function plainInputs(component: string, inputs: pulumi.Inputs, shapes: Record<string, InputShape>): Promise<pulumi.Inputs> {
  const result: pulumi.Inputs = { ...inputs };
  for (const [name, value] of Object.entries(inputs)) {
    const shape = shapes[name] ?? "input";
    if (shape === "input" || !pulumi.Output.isInstance(value)) continue;
    const secret = await pulumi.isSecret(value);
    const known = await knownResult(value);
    if (known === undefined) throw unknownInPreview(component, name);
    const plain = known.value;
    result[name] = shape === "map" && secret && plain !== null && typeof plain === "object"
      ? Object.fromEntries(Object.entries(plain as Record<string, unknown>).map(([key, item]) => [key, pulumi.secret(item)]))
      : plain;
  }
  return result;
}
