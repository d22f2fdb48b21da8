/**
 * Args that are Pulumi inputs but must be known when the program runs (a volume's zone places the
 * VM; sizes and tags are checked before anything is declared): a plain value, a config value or
 * secret, a stack reference's output, or an output of a resource that already exists. Only in a
 * preview can such an output be unknown (a resource not created yet); that is refused with the
 * arg's name, so that the preview never shows something the update would not do.
 */
import * as pulumi from "@pulumi/pulumi";
import { knownResult } from "./volume-reference";

/** True for a value that is no output or promise (it can be checked when the component is declared). */
export function isPlainValue(value: unknown): boolean {
  return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/** True for a record whose values are all plain (or no record at all). */
export function isPlainRecord(value: unknown): boolean {
  if (!isPlainValue(value)) return false;
  if (value === null || typeof value !== "object") return true;
  return Object.values(value).every(isPlainValue);
}

/** Where a value came from, for errors: `got` for a plain value, else what the output resolved to. */
export function origin(fromOutput: boolean): string {
  return fromOutput ? "the output given resolved to" : "got";
}

/** The error for an output not known in a preview. */
export function unknownInPreview(component: string, arg: string): Error {
  return new Error(
    `${component}: ${arg} is not known in this preview (it comes from a resource not created yet); ` +
      `${arg} must be known when the program runs: give a value, a config value or secret, or a stack reference's output`,
  );
}

/** The value of an input arg (deeply resolved), or the `unknownInPreview` error. */
export async function resolvedInput(component: string, arg: string, input: unknown): Promise<unknown> {
  if (isPlainRecord(input)) return input;
  const result = await knownResult(pulumi.output(input as pulumi.Input<unknown>));
  if (result === undefined) throw unknownInPreview(component, arg);
  return result.value;
}

/** A tags map checked: string keys and string values (`fromOutput` for the error's wording). */
export function checkedTags(component: string, arg: string, value: unknown, fromOutput: boolean): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`${component}: ${arg} must be a map of names to strings; ${origin(fromOutput)} ${Array.isArray(value) ? "a list" : `a ${typeof value}`}`);
  }
  const bad = Object.entries(value).filter(([, item]) => typeof item !== "string");
  if (bad.length > 0) {
    throw new Error(`${component}: ${arg} values must be strings; ${bad.map(([key, item]) => `${key}: ${JSON.stringify(item) ?? String(item)}`).join(", ")}`);
  }
  return value as Record<string, string>;
}
