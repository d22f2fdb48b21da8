/**
 * Every field of the configuration does something at deploy time or says so. The fields that
 * belong to dstack's server (run queue, pools and fleets, scheduling) have no effect on a
 * VM that Pulumi declares: each one that is set gives a warning naming it and why, shown by
 * `plan`, `pulumi preview` and the component's `warnings`. (`retry` has an effect: launch-mode.ts.) A `working_dir` outside the repository
 * is refused, as dstack does ("Working directory is outside of the repo").
 */
import path from "node:path";
import type { DevEnvironmentSpec } from "../config/schema";

type Field = keyof DevEnvironmentSpec;

const NO_VM_POOL = "the environment creates its own VM: there is no pool or fleet of instances to reuse";
const OWN_VM = "the VM is the environment's own and goes with it (pulumi destroy); inactivity_duration and max_duration power it off";

/** Why each server-side field has no effect here. */
const NO_EFFECT: Partial<Record<Field, string>> = {
  creation_policy: NO_VM_POOL,
  pool_name: NO_VM_POOL,
  instance_name: NO_VM_POOL,
  fleets: NO_VM_POOL,
  instances: NO_VM_POOL,
  termination_policy: OWN_VM,
  termination_idle_time: OWN_VM,
  idle_duration: OWN_VM,
  stop_duration: "the container stops when the VM powers off or is destroyed, without a grace period",
  utilization_policy: "GPU utilization is not watched here: use inactivity_duration to power an idle VM off",
  schedule: "runs are not scheduled here: the VM runs from pulumi up until it powers off or is destroyed",
  priority: "there is no run queue here: pulumi up declares the VM at once",
  dstack: "there is no dstack server here for the run to reach",
  entrypoint: "a dev environment runs no command of its own; the container's entrypoint is set as dstack's shim sets it",
  startup_order: "a dev environment is one node",
  stop_criteria: "a dev environment is one node",
  backend_options: "its options are for backends this tool does not deploy to (vastai)",
};

/** True when `value` is set (not the field's absent value). */
function isSet(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value as object).length > 0;
  return true;
}

/** A warning for each set field that has no effect here, in field order. */
export function noEffectWarnings(spec: DevEnvironmentSpec): string[] {
  return (Object.keys(NO_EFFECT) as Field[]).filter((field) => isSet(spec[field])).map((field) => `${field} has no effect here: ${NO_EFFECT[field]}`);
}

/** Refuses a `working_dir` that is absolute or climbs out of /workflow, as dstack does. */
export function checkWorkingDir(component: string, spec: DevEnvironmentSpec): void {
  const dir = spec.working_dir;
  if (dir === null) return;
  const normal = path.posix.normalize(dir);
  if (path.posix.isAbsolute(dir) || normal === ".." || normal.startsWith("../")) {
    throw new Error(`${component}: working_dir ${JSON.stringify(dir)}: Working directory is outside of the repo: give a path relative to /workflow (the repository), such as "src"`);
  }
}
