/**
 * Runs a Pulumi YAML program's resources through a component provider, as the YAML language host
 * would: resources in order, `${config}` and `${resource.output[.field]}` references, and
 * `fn::readFile`. Only what the examples use; anything else is an error, so that an example
 * cannot use a form this runner silently skips.
 */
import fs from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

export interface YamlProgram {
  name: string;
  runtime: string;
  packages?: Record<string, string>;
  config?: Record<string, { type: string; secret?: boolean }>;
  resources: Record<string, { type: string; properties: Record<string, unknown> }>;
  outputs?: Record<string, string>;
}

export function readYamlProgram(file: string): YamlProgram {
  return parse(fs.readFileSync(file, "utf8")) as YamlProgram;
}

/** The references `${a.b.c}` of a YAML value, as paths. */
export function referencesOf(value: unknown): string[][] {
  if (typeof value === "string") return [...value.matchAll(/\$\{([^}]+)\}/g)].map((match) => match[1].split("."));
  if (Array.isArray(value)) return value.flatMap(referencesOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(referencesOf);
  return [];
}

type Construct = (name: string, type: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Every resource constructed, then the program's outputs (Outputs). */
export async function runYamlProgram(program: YamlProgram, folder: string, config: Record<string, unknown>, construct: Construct): Promise<Record<string, pulumi.Output<unknown>>> {
  const states: Record<string, Record<string, unknown>> = {};
  const resolveReference = (reference: string): unknown => {
    const [head, ...rest] = reference.split(".");
    if (rest.length === 0) {
      if (!(head in config)) throw new Error(`no config ${head}`);
      return program.config?.[head]?.secret ? pulumi.secret(config[head] as string) : config[head];
    }
    const state = states[head];
    if (!state) throw new Error(`\${${reference}}: no resource ${head} declared before`);
    const [property, ...fields] = rest;
    if (!(property in state)) throw new Error(`\${${reference}}: ${head} has no output ${property}`);
    const output: pulumi.Output<unknown> = pulumi.output(state[property] as pulumi.Input<unknown>);
    return output.apply((value) => fields.reduce((inner: unknown, field) => (inner as Record<string, unknown>)[field], value));
  };
  const evaluate = (value: unknown): unknown => {
    if (typeof value === "string") {
      const whole = /^\$\{([^}]+)\}$/.exec(value);
      if (whole) return resolveReference(whole[1]);
      if (value.includes("${")) throw new Error(`interpolation inside text is not supported here: ${value}`);
      return value;
    }
    if (Array.isArray(value)) return value.map(evaluate);
    if (value && typeof value === "object") {
      const entries = Object.entries(value);
      if (entries.length === 1 && entries[0][0].startsWith("fn::")) {
        const [fn, argument] = entries[0];
        if (fn !== "fn::readFile") throw new Error(`${fn} is not supported here`);
        return fs.readFileSync(path.resolve(folder, String(argument)), "utf8");
      }
      return Object.fromEntries(entries.map(([key, inner]) => [key, evaluate(inner)]));
    }
    return value;
  };
  for (const [name, resource] of Object.entries(program.resources)) {
    states[name] = await construct(name, resource.type, evaluate(resource.properties) as Record<string, unknown>);
  }
  return Object.fromEntries(Object.entries(program.outputs ?? {}).map(([key, value]) => [key, pulumi.output(evaluate(value))]));
}
