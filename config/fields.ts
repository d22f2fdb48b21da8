/**
 * The fields of a `dev-environment` configuration: for each, the parser that reads it and (built on
 * demand) the zod schema of what a user may write, from which `dstack-pulumi schema` builds the
 * JSON Schema.
 */
import type { z } from "zod";
import { parseBackendOptions } from "./backend-options";
import { parseIdleDuration, parseInactivityDuration, parseOffDuration, parseSeedMaxDuration, parseDuration } from "./duration";
import { parseEnv } from "./env";
import { parseFleets, parseInstances } from "./fleets";
import type * as InputSchemas from "./input-schemas";
import { parsePort } from "./ports";
import { parsePriority } from "./priority";
import { parseFiles, parseRepos } from "./repos";
import { parseResources } from "./resources";
import * as run from "./run-fields";
import { parseSchedule } from "./schedule";
import { parseShell } from "./shell";
import { parseTags } from "./tags";
import { parseUser } from "./user";
import { parseUtilizationPolicy } from "./utilization-policy";
import { parseVolumes } from "./volumes";
import { GrammarError, mapItems, show, toOptionalStr } from "./coerce";

/**
 * One field: how to read it, and what a user may write there (for the JSON Schema). The input
 * schema is built on demand (`schema` only), so reading a file does not load zod.
 */
export interface FieldDefinition<T> {
  parse: (value: unknown) => T;
  input: (schemas: typeof InputSchemas) => z.ZodType;
  /** The release that added the field, when it came after the seed's dstack 0.18.2x. */
  since?: string;
}

function field<T>(parse: (value: unknown) => T, inputSchema: (schemas: typeof InputSchemas) => z.ZodType, since?: string): FieldDefinition<T> {
  return { parse, input: inputSchema, since };
}


/**
 * dstack's other configuration types, each with what to do instead: this project provisions dev
 * environments only. A file of one of them gets this one problem, not follow-on field errors.
 */
const OTHER_TYPES: Record<string, string> = {
  task: "Run tasks with dstack itself (dstack apply); a dev environment takes init instead of commands",
  service: "Run services with dstack itself (dstack apply)",
  fleet: "Fleets are dstack's own capacity; here each dev environment gets its own VM",
  gateway: "Gateways serve dstack services; run them with dstack itself (dstack apply)",
  volume: 'Declare a network volume with the Volume component (README: "Volume: a network volume of its own") and mount it from a dev environment with volumes: [NAME:/path]',
};

/** The single problem of a file whose `type` is another dstack configuration type, or null. */
export function otherDstackType(value: unknown): GrammarError | null {
  if (typeof value !== "string" || !Object.hasOwn(OTHER_TYPES, value)) return null;
  const article = /^[aeiou]/.test(value) ? "an" : "a";
  return new GrammarError(`type "${value}" is ${article} dstack ${value} configuration: pulumi-dstack provisions dev environments only (type: dev-environment)`, "invalid_choice", [], OTHER_TYPES[value]);
}

function parseType(value: unknown): "dev-environment" {
  if (value === "dev-environment") return value;
  if (value === undefined) {
    throw new GrammarError('the file needs "type: dev-environment"', "missing_field", [], 'Add "type: dev-environment" as the first line');
  }
  const other = otherDstackType(value);
  if (other) throw other;
  const hint = typeof value === "string" && value.toLowerCase().replace(/[_ ]/g, "-").startsWith("dev") ? 'Did you mean "dev-environment"?' : undefined;
  throw new GrammarError(`type must be "dev-environment", got ${show(value)}`, "invalid_choice", [], hint);
}

/**
 * Every field, in the order dstack 0.18.2x serialises them, then the fields added since.
 * The typed `DevEnvironmentSpec` is derived from the parsers' return types.
 */
export const FIELDS = {
  ide: field(run.parseIde, (input) => input.ide),
  version: field(toOptionalStr, (input) => input.text("The IDE version (e.g. 1.90.0); detected from the local IDE when omitted.")),
  init: field(run.parseStrings, (input) => input.commands("Commands run in the container once it starts, before the IDE is ready.")),
  type: field(parseType, (input) => input.type),
  name: field(toOptionalStr, (input) => input.text("The run name; generated when omitted.", "vscode")),
  image: field(toOptionalStr, (input) => input.text("A Docker image to run instead of dstack's base image.", "ghcr.io/huggingface/text-generation-inference:latest")),
  privileged: field(run.parseBoolWithDefault(false), (input) => input.flag("Run the container in privileged mode.", false)),
  entrypoint: field(toOptionalStr, (input) => input.text("The container's entrypoint.")),
  working_dir: field(toOptionalStr, (input) => input.text("The working directory, relative to /workflow (the project folder).")),
  home_dir: field(run.parseStrWithDefault("/root"), (input) => input.text("The home directory in the container (deprecated by dstack).", "/root")),
  registry_auth: field(run.parseRegistryAuth, (input) => input.registryAuth),
  python: field(run.parsePython, (input) => input.python),
  nvcc: field(run.parseOptionalBool, (input) => input.flag("Use the base image flavour with nvcc (CUDA compiler).")),
  env: field((value) => (value === undefined ? {} : parseEnv(value)), (input) => input.env),
  setup: field(run.parseStrings, (input) => input.commands("Deprecated by dstack: commands run before init.")),
  resources: field(parseResources, (input) => input.resources),
  volumes: field((value) => (value === undefined ? [] : parseVolumes(value)), (input) => input.volumes),
  ports: field((value) => (value === undefined ? [] : mapItems(value, parsePort, "a list of ports")), (input) => input.ports),
  backends: field(run.parseOptionalChoices(run.BACKENDS, "backend"), (input) => input.choices(run.BACKENDS, "Backends to provision in (default: all).")),
  regions: field(run.parseOptionalStrings, (input) => input.strings("Regions to provision in (default: all).", ["eu-west-1", "us-central1"])),
  instance_types: field(run.parseOptionalStrings, (input) => input.strings("Instance types to pick from.", ["g5.xlarge"])),
  spot_policy: field(run.parseOptionalChoice(run.SPOT_POLICIES, "spot policy"), (input) => input.choice(run.SPOT_POLICIES, "spot, on-demand (the default for dev environments) or auto (cheapest of both).")),
  retry: field(run.parseRetry, (input) => input.retry),
  retry_policy: field(run.parseRetryPolicy, (input) => input.retryPolicy),
  max_duration: field(parseSeedMaxDuration, (input) => input.offDuration("The longest the run may last (default 6h for dev environments), or off.")),
  max_price: field(run.parseMaxPrice, (input) => input.price),
  pool_name: field(toOptionalStr, (input) => input.text("Legacy: the pool to take instances from.")),
  instance_name: field(toOptionalStr, (input) => input.text("Legacy: the instance name in the pool.")),
  creation_policy: field(run.parseOptionalChoice(["reuse", "reuse-or-create"] as const, "creation policy"), (input) => input.choice(["reuse", "reuse-or-create"], "Reuse an idle instance, or also create one.")),
  termination_policy: field(run.parseOptionalChoice(["dont-destroy", "destroy-after-idle"] as const, "termination policy"), (input) => input.choice(["dont-destroy", "destroy-after-idle"], "Legacy: what happens to an idle instance.")),
  termination_idle_time: field((value) => (value == null ? null : parseDuration(value)), (input) => input.duration("Legacy: idle time before termination.")),
  // Added after dstack 0.18.2x, accepted in the shape recent dstack serialises them.
  inactivity_duration: field(parseInactivityDuration, (input) => input.offDuration("Stop the dev environment after this long without an SSH/IDE connection, or off."), "0.18.41"),
  user: field(parseUser, (input) => input.text("The user (and group) to run as: name-or-uid[:group-or-gid].", "1000:1000"), "0.18.30"),
  single_branch: field(run.parseOptionalBool, (input) => input.flag("Clone only the current branch."), "0.18.40"),
  shell: field(parseShell, (input) => input.text("sh, bash or an absolute path to a shell.", "bash"), "0.19.5"),
  priority: field(parsePriority, (input) => input.integer("Scheduling priority, 0..100.", 0, 100), "0.19.10"),
  docker: field(run.parseOptionalBool, (input) => input.flag("Run Docker inside the run (exclusive with image, python, nvcc)."), "0.19.16"),
  repos: field(parseRepos, (input) => input.repos, "0.19.26"),
  files: field(parseFiles, (input) => input.files, "0.19.17"),
  dstack: field(run.parseBoolWithDefault(false), (input) => input.flag("Make the dstack server reachable from the run.", false), "0.20.28"),
  availability_zones: field(run.parseOptionalStrings, (input) => input.strings("Availability zones to provision in.", ["us-east-1a"]), "0.18.41"),
  reservation: field(toOptionalStr, (input) => input.text("A capacity reservation to use.", "cr-0123456789abcdef0"), "0.18.30"),
  stop_duration: field(parseOffDuration, (input) => input.offDuration("How long to wait for a graceful stop, or off."), "0.18.38"),
  idle_duration: field(parseIdleDuration, (input) => input.offDuration("How long an idle instance is kept, or off."), "0.18.34"),
  utilization_policy: field(parseUtilizationPolicy, (input) => input.utilizationPolicy, "0.18.44"),
  startup_order: field(run.parseOptionalChoice(["any", "master-first", "workers-first"] as const, "startup order"), (input) => input.choice(["any", "master-first", "workers-first"], "Multi-node start order."), "0.19.12"),
  stop_criteria: field(run.parseOptionalChoice(["all-done", "master-done"] as const, "stop criteria"), (input) => input.choice(["all-done", "master-done"], "Multi-node stop criteria."), "0.19.12"),
  schedule: field(parseSchedule, (input) => input.schedule, "0.19.21"),
  fleets: field(parseFleets, (input) => input.fleets, "0.19.3"),
  instances: field(parseInstances, (input) => input.instances, "0.20.25"),
  tags: field(parseTags, (input) => input.tags, "0.19.5"),
  backend_options: field(parseBackendOptions, (input) => input.backendOptions, "0.20.22"),
};

export type FieldName = keyof typeof FIELDS;
export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];
