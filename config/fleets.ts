/**
 * `fleets` (recent dstack, since 0.19.3) and `instances` (since 0.20.25): which existing fleets,
 * and which of their instances, a run may reuse.
 */
import { checkKeys, ErrorSink, GrammarError, mapItems, show, toRecentInt, toMapping, toOptionalStr, toRecentStr, typeError, within } from "./coerce";

/** A fleet of the current project (`project: null`) or of another project. */
export interface FleetReference {
  project: string | null;
  name: string;
}

/** An instance picked by name, by hostname or IP, or by its number in a fleet. */
export type InstanceSelector = { name: string } | { hostname: string } | { fleet: FleetReference; instance: number };

const REFERENCE_FORMS = '"<name>" or "<project>/<name>"';

/**
 * One fleet: `"name"`, `"project/name"`, or `{project?, name}`. In the string form, a third part
 * or an empty part (`"a/b/c"`, `"/a"`, `"a/"`) is rejected; the object form is taken as written
 * (dstack does not check it). Numbers are coerced to names.
 */
export function parseFleetReference(value: unknown): FleetReference {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const mapping = toMapping(value, `a fleet: ${REFERENCE_FORMS}, or a mapping with "name" and "project"`);
    const sink = new ErrorSink();
    sink.run(null, () => checkKeys(mapping, ["project", "name"], "a fleet reference"));
    const project = sink.run("project", () => toOptionalStr(mapping.project));
    const name = sink.run("name", () => {
      if (mapping.name === undefined) throw new GrammarError('a fleet reference needs "name"', "missing_field");
      return toRecentStr(mapping.name);
    });
    sink.done(); // throws unless both parsed
    return { project: project ?? null, name: name! };
  }
  if (value === null || value === undefined || Array.isArray(value)) {
    throw typeError(`a fleet: ${REFERENCE_FORMS}, or a mapping with "name" and "project"`, value);
  }
  const text = toRecentStr(value);
  const parts = text.split("/");
  if (parts.length > 2 || parts.some((part) => part === "")) {
    throw new GrammarError(`invalid fleet reference ${show(text)}: only ${REFERENCE_FORMS} are allowed`, "invalid_value");
  }
  return parts.length === 1 ? { project: null, name: parts[0] } : { project: parts[0], name: parts[1] };
}

/** `fleets`: a list of fleet references (see `parseFleetReference`); null when unset. */
export function parseFleets(value: unknown): FleetReference[] | null {
  if (value === null || value === undefined) return null;
  return mapItems(value, parseFleetReference, "a list of fleets");
}

const SELECTOR_KINDS = [["name"], ["hostname"], ["fleet", "instance"]] as const;
const SELECTOR_KEYS = SELECTOR_KINDS.flat();
const SELECTOR_FORMS = 'an instance name, or a mapping with "name", "hostname", or "fleet" and "instance"';

/**
 * One instance selector: a string `s` is `{name: s}`; a mapping is exactly one of `{name}`,
 * `{hostname}` or `{fleet, instance}` (instance an int >= 0; fleet as in `parseFleetReference`).
 * Names and hostnames must not be empty.
 */
export function parseInstanceSelector(value: unknown): InstanceSelector {
  if (typeof value === "string") return { name: nonEmpty(value, "instance name") };
  const mapping = toMapping(value, SELECTOR_FORMS);
  checkKeys(mapping, SELECTOR_KEYS, "an instance selector");
  const kinds = SELECTOR_KINDS.filter((keys) => keys.some((key) => mapping[key] !== undefined));
  if (kinds.length === 0) throw new GrammarError('an instance selector needs "name", "hostname", or "fleet" and "instance"', "missing_field", []);
  if (kinds.length > 1) {
    const present = SELECTOR_KEYS.filter((key) => mapping[key] !== undefined).map((key) => `"${key}"`);
    throw new GrammarError(
      `an instance selector takes only one of "name", "hostname", or "fleet" with "instance"; this one has ${present.join(" and ")}`,
      "conflict",
      [kinds[1][0]],
    );
  }
  const [kind] = kinds;
  if (kind[0] === "name") return { name: within("name", () => nonEmpty(toRecentStr(mapping.name), "instance name")) };
  if (kind[0] === "hostname") return { hostname: within("hostname", () => nonEmpty(toRecentStr(mapping.hostname), "hostname")) };
  if (mapping.instance === undefined) {
    throw new GrammarError('an instance selector with "fleet" also needs "instance", the number of the instance in the fleet', "missing_field", ["instance"]);
  }
  if (mapping.fleet === undefined) throw new GrammarError('an instance selector with "instance" also needs "fleet"', "missing_field", ["fleet"]);
  const sink = new ErrorSink();
  const fleet = sink.run("fleet", () => parseFleetReference(mapping.fleet));
  const instance = sink.run("instance", () => {
    const number = toRecentInt(mapping.instance);
    if (number < 0) throw new GrammarError(`the instance number cannot be negative, got ${show(mapping.instance)}`, "invalid_range");
    return number;
  });
  sink.done(); // throws unless both parsed
  return { fleet: fleet!, instance: instance! };
}

function nonEmpty(text: string, what: string): string {
  if (text === "") throw new GrammarError(`the ${what} cannot be empty`, "invalid_value");
  return text;
}

/** `instances`: a non-empty list of instance selectors; null when unset. */
export function parseInstances(value: unknown): InstanceSelector[] | null {
  if (value === null || value === undefined) return null;
  const selectors = mapItems(value, parseInstanceSelector, "a list of instances");
  if (selectors.length === 0) {
    throw new GrammarError("instances cannot be empty: list at least one instance, or leave instances out", "invalid_value");
  }
  return selectors;
}
