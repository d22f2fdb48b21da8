/**
 * fast-check arbitraries of VALID `type: dev-environment` configurations, built from the grammar in
 * shared/reference/dstack-config-spec.md §2–§3 as the reader implements it (dstack 0.18.2x plus the
 * fields added since), each with what the reader should make of it.
 *
 * The parts live beside this file: text.ts (free text, booleans), resources.ts (cpu, memory, gpu,
 * disk), mounts.ts (volumes, env, ports), durations.ts, mapping.ts (mappings with ordinary
 * `__proto__` keys); yaml-writer.ts writes the documents as YAML.
 */
import fc from "fast-check";
import { durationArb, inactivityArb, maxDurationArb, offDurationArb } from "./durations";
import { mapping } from "./mapping";
import { envArb, portArb, volumesArb } from "./mounts";
import { DEFAULT_CPU, resourcesArb } from "./resources";
import { boolArb, nonEmptyTextArb, textArb } from "./text";

export interface Range {
  min: number | null;
  max: number | null;
}

/** What the reader should return for the parts of a generated configuration worth checking. */
export interface Expected {
  ide: string | null;
  version: string | null;
  python: string | null;
  image: string | null;
  nvcc: boolean | null;
  envNames: string[];
  volumes: Array<Record<string, unknown>>;
  ports: Array<{ local_port: number | null; container_port: number }>;
  cpu: { arch: string | null; count: Range };
  memory: Range;
  shmSize: number | null;
  gpu: { vendor: string | null; name: string[] | null; count: Range; memory: Range | null } | null;
  disk: { size: Range } | null;
  maxDuration: number | "off" | null;
  inactivityDuration: number | null;
  spotPolicy: string | null;
  backends: string[] | null;
  maxPrice: number | null;
  init: string[];
}

/** A generated configuration: the document to serialise and what reading it should give. */
export interface ValidConfig {
  doc: Record<string, unknown>;
  expected: Expected;
}

// ---------------------------------------------------------------------------------------------
// The whole configuration

const PYTHON: ReadonlyArray<readonly [unknown, string]> = [
  ["3.8", "3.8"], ["3.9", "3.9"], ["3.10", "3.10"], ["3.11", "3.11"], ["3.12", "3.12"], ["3.13", "3.13"],
  // Unquoted floats: YAML 3.10 is the float 3.1, which dstack maps back to "3.10".
  [3.8, "3.8"], [3.9, "3.9"], [3.1, "3.10"], [3.11, "3.11"], [3.12, "3.12"], [3.13, "3.13"],
];

const IMAGES = ["ubuntu", "ubuntu:22.04", "ghcr.io/huggingface/text-generation-inference:latest", "nvcr.io/nvidia/pytorch:24.01-py3", "rocm/pytorch:latest"];
const imageArb = fc.oneof(fc.constantFrom(...IMAGES), nonEmptyTextArb);

/** `ide` and `version`: a version only with an IDE; windsurf's is `version@commit`. */
type IdeChoice = { entries: Array<[string, unknown]>; ide: string | null; version: string | null };
const ideArb: fc.Arbitrary<IdeChoice> = fc.oneof(
  fc.constant<IdeChoice>({ entries: [], ide: null, version: null }),
  fc.constant({ entries: [["ide", null]] as Array<[string, unknown]>, ide: null, version: null }),
  fc.tuple(fc.constantFrom("vscode", "cursor", "zed"), fc.option(fc.oneof(fc.constantFrom("1.90.0", "0.42.3", "1.1"), nonEmptyTextArb), { nil: undefined })).map(([ide, version]) => ({
    entries: [["ide", ide], ...(version === undefined ? [] : [["version", version] as [string, unknown]])] as Array<[string, unknown]>,
    ide,
    version: version ?? null,
  })),
  fc.tuple(fc.option(fc.tuple(fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/), fc.stringMatching(/^[a-f0-9]{7,40}$/)), { nil: undefined })).map(([version]) => ({
    entries: [["ide", "windsurf"], ...(version === undefined ? [] : [["version", `${version[0]}@${version[1]}`] as [string, unknown]])] as Array<[string, unknown]>,
    ide: "windsurf",
    version: version ? `${version[0]}@${version[1]}` : null,
  })),
);

const optionalArb = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

/** registry_auth text: `${{ ... }}` must be a valid reference, so free text leaves it out. */
const registryTextArb = fc.oneof(textArb.filter((text) => !text.includes("${{")), fc.constantFrom("${{ secrets.GHCR_TOKEN }}", "$${{ not a reference }}", "user$$name"));

const backendsArb = fc.subarray(["aws", "gcp"]);
const regionsArb = fc.array(fc.oneof(fc.constantFrom("us-east-1", "eu-west-1", "us-central1", "europe-west4"), textArb), { maxLength: 3 });
const commandsArb = fc.array(textArb, { maxLength: 4 });
const priceArb: fc.Arbitrary<{ value: unknown; price: number }> = fc.oneof(
  fc.integer({ min: 1, max: 100 }).map((n) => ({ value: n, price: n })),
  fc.integer({ min: 1, max: 100_000 }).map((n) => ({ value: n / 100, price: n / 100 })),
  fc.constantFrom({ value: "0.5", price: 0.5 }, { value: "1.25", price: 1.25 }, { value: "2", price: 2 }),
);
const retryArb: fc.Arbitrary<unknown> = fc.oneof(
  boolArb.map((b) => b.value),
  fc
    .tuple(fc.array(fc.constantFrom("no-capacity", "interruption", "error"), { minLength: 1, maxLength: 3 }), fc.option(durationArb, { nil: undefined }))
    .map(([events, duration]) => mapping([["on_events", events], ...(duration ? [["duration", duration.value] as [string, unknown]] : [])])),
);
const userArb = fc.oneof(fc.constantFrom("ubuntu", "root", "1000", "1000:1000", "dev:staff", "0:0"), fc.integer({ min: 0, max: 65535 }));
const tagKeyArb = fc.stringMatching(/^[_\-a-zA-Z0-9]{1,20}$/);
// A bare "=" is not a value for PyYAML (it resolves to !!value), and yaml's writer leaves it bare.
const tagValueArb = fc.stringMatching(/^[a-zA-Z0-9 .:/=_\-+@]{0,20}$/).filter((value) => value !== "=");
const fleetArb = fc.oneof(
  fc.constantFrom("my-fleet", "team/gpu-fleet", "f1"),
  fc.tuple(fc.constantFrom("my-fleet", "other"), fc.option(fc.constantFrom("main", "research"), { nil: null })).map(([name, project]) => mapping([["name", name], ["project", project]])),
);
const instanceArb = fc.oneof(
  fc.constantFrom("instance-0", "worker-3"),
  fc.constantFrom("10.0.0.1", "host.internal").map((hostname) => mapping([["hostname", hostname]])),
  fc.tuple(fleetArb, fc.integer({ min: 0, max: 7 })).map(([fleet, instance]) => mapping([["fleet", fleet], ["instance", instance]])),
);
const cronArb = fc.constantFrom("0 8 * * *", "*/15 * * * *", "0 0 1 jan-mar mon-fri", "30 2 * * 0");

/** A valid dev-environment configuration, its keys in a random order, and its expected reading. */
export const validConfigArb: fc.Arbitrary<ValidConfig> = fc
  .record({
    ide: ideArb,
    base: fc.oneof(
      fc.constant({ kind: "none" as const }),
      imageArb.map((image) => ({ kind: "image" as const, image })),
      fc.constantFrom(...PYTHON).map(([value, python]) => ({ kind: "python" as const, value, python })),
    ),
    explicitNullBase: fc.boolean(),
    name: optionalArb(fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{1,40}$/), textArb)),
    nvcc: optionalArb(boolArb),
    env: optionalArb(envArb),
    volumes: optionalArb(volumesArb),
    ports: optionalArb(fc.array(portArb, { maxLength: 5 })),
    spot_policy: optionalArb(fc.constantFrom("spot", "on-demand", "auto")),
    backends: optionalArb(backendsArb),
    regions: optionalArb(regionsArb),
    availability_zones: optionalArb(fc.array(fc.constantFrom("us-east-1a", "us-central1-b"), { maxLength: 2 })),
    instance_types: optionalArb(fc.array(fc.constantFrom("g5.xlarge", "p4d.24xlarge", "n1-standard-4"), { maxLength: 2 })),
    max_price: optionalArb(priceArb),
    max_duration: optionalArb(maxDurationArb),
    inactivity_duration: optionalArb(inactivityArb),
    stop_duration: optionalArb(offDurationArb),
    idle_duration: optionalArb(offDurationArb),
    retry: optionalArb(retryArb),
    retry_policy: optionalArb(fc.tuple(fc.option(boolArb, { nil: undefined }), fc.option(durationArb, { nil: undefined }))),
    init: optionalArb(commandsArb),
    setup: optionalArb(commandsArb),
    privileged: optionalArb(boolArb),
    single_branch: optionalArb(boolArb),
    dstack: optionalArb(boolArb),
    working_dir: optionalArb(fc.oneof(fc.constantFrom(".", "/workflow", "src", "/home/user"), textArb)),
    home_dir: optionalArb(fc.constantFrom("/root", "/home/user")),
    entrypoint: optionalArb(fc.constantFrom("/bin/bash", "bash -c")),
    registry_auth: optionalArb(fc.tuple(registryTextArb, registryTextArb)),
    creation_policy: optionalArb(fc.constantFrom("reuse", "reuse-or-create")),
    termination_policy: optionalArb(fc.constantFrom("dont-destroy", "destroy-after-idle")),
    termination_idle_time: optionalArb(durationArb),
    pool_name: optionalArb(fc.constantFrom("default-pool", "gpu")),
    instance_name: optionalArb(fc.constantFrom("my-instance")),
    reservation: optionalArb(fc.constantFrom("cr-0123456789abcdef0")),
    user: optionalArb(userArb),
    shell: optionalArb(fc.constantFrom("sh", "bash", "/usr/bin/zsh", "/bin/fish")),
    priority: optionalArb(fc.integer({ min: 0, max: 100 })),
    utilization_policy: optionalArb(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.oneof(fc.constantFrom("5m", "30m", "1h"), fc.integer({ min: 300, max: 3600 })))),
    startup_order: optionalArb(fc.constantFrom("any", "master-first", "workers-first")),
    stop_criteria: optionalArb(fc.constantFrom("all-done", "master-done")),
    schedule: optionalArb(fc.oneof(cronArb, fc.array(cronArb, { minLength: 1, maxLength: 3 }))),
    fleets: optionalArb(fc.array(fleetArb, { maxLength: 3 })),
    instances: optionalArb(fc.array(instanceArb, { minLength: 1, maxLength: 3 })),
    tags: optionalArb(fc.uniqueArray(fc.tuple(tagKeyArb, tagValueArb), { maxLength: 3, selector: ([key]) => key })),
    backend_options: optionalArb(
      fc.record({ offer_order: fc.constantFrom("score", "price"), min_reliability: fc.integer({ min: 0, max: 100 }).map((n) => n / 100), min_score: fc.integer({ min: 0, max: 1000 }) }, { requiredKeys: [] }),
    ),
    withImageResources: fc.boolean(),
    docker: fc.boolean(),
    order: fc.array(fc.nat({ max: 1000 }), { minLength: 64, maxLength: 64 }),
  })
  .chain((parts) => {
    const withImage = parts.base.kind === "image";
    return fc.tuple(fc.constant(parts), resourcesArb(withImage));
  })
  .map(([parts, resources]) => {
    const entries: Array<[string, unknown]> = [["type", "dev-environment"], ...parts.ide.entries];
    const put = (key: string, value: unknown) => entries.push([key, value]);
    let image: string | null = null;
    let python: string | null = null;
    if (parts.base.kind === "image") {
      image = parts.base.image;
      put("image", image);
      if (parts.explicitNullBase) put("python", null);
    } else if (parts.base.kind === "python") {
      python = parts.base.python;
      put("python", parts.base.value);
      if (parts.explicitNullBase) put("image", null);
    }
    if (parts.name !== undefined) put("name", parts.name);
    const nvcc = parts.nvcc ? parts.nvcc.bool : null;
    if (parts.nvcc) put("nvcc", parts.nvcc.value);
    if (parts.env) put("env", parts.env.value);
    if (resources) put("resources", resources.value);
    if (parts.volumes) put("volumes", parts.volumes.map((volume) => volume.value));
    if (parts.ports) put("ports", parts.ports.map((port) => port.value));
    for (const key of ["spot_policy", "backends", "regions", "availability_zones", "instance_types", "init", "setup", "working_dir", "home_dir",
      "entrypoint", "creation_policy", "termination_policy", "pool_name", "instance_name", "reservation", "user", "shell", "priority",
      "startup_order", "stop_criteria", "fleets", "instances", "stop_duration", "idle_duration", "retry"] as const) {
      if (parts[key] !== undefined) put(key, parts[key]);
    }
    if (parts.max_price) put("max_price", parts.max_price.value);
    if (parts.max_duration) put("max_duration", parts.max_duration.value);
    if (parts.inactivity_duration) put("inactivity_duration", parts.inactivity_duration.value);
    if (parts.termination_idle_time) put("termination_idle_time", parts.termination_idle_time.value);
    if (parts.retry_policy) {
      const [retry, duration] = parts.retry_policy;
      put("retry_policy", mapping([...(retry ? [["retry", retry.value] as [string, unknown]] : []), ...(duration ? [["duration", duration.value] as [string, unknown]] : [])]));
    }
    if (parts.privileged) put("privileged", parts.privileged.value);
    if (parts.single_branch) put("single_branch", parts.single_branch.value);
    // dstack: true cannot be combined with an inactivity_duration.
    const inactivity = parts.inactivity_duration ? parts.inactivity_duration.expected : null;
    if (parts.dstack && (!parts.dstack.bool || inactivity === null)) put("dstack", parts.dstack.value);
    // docker: true conflicts with image, python and a truthy nvcc.
    if (parts.docker && !image && !python && !nvcc) put("docker", true);
    if (parts.registry_auth) put("registry_auth", mapping([["username", parts.registry_auth[0]], ["password", parts.registry_auth[1]]]));
    if (parts.utilization_policy) put("utilization_policy", mapping([["min_gpu_utilization", parts.utilization_policy[0]], ["time_window", parts.utilization_policy[1]]]));
    if (parts.schedule) put("schedule", mapping([["cron", parts.schedule]]));
    if (parts.tags) put("tags", mapping(parts.tags));
    if (parts.backend_options) put("backend_options", [mapping([["type", "vastai"], ...Object.entries(parts.backend_options)])]);

    // Keys in a random order.
    const keyed = entries.map((entry, index) => ({ entry, rank: parts.order[index % parts.order.length], index }));
    keyed.sort((a, b) => a.rank - b.rank || a.index - b.index);
    const doc = mapping(keyed.map(({ entry }) => entry));
    const expected: Expected = {
      ide: parts.ide.ide,
      version: parts.ide.version,
      python,
      image,
      nvcc,
      envNames: parts.env ? parts.env.names : [],
      volumes: parts.volumes ? parts.volumes.map((volume) => volume.expected) : [],
      ports: parts.ports ? parts.ports.map((port) => port.port) : [],
      cpu: resources ? resources.expected.cpu : { arch: null, count: DEFAULT_CPU },
      memory: resources ? resources.expected.memory : { min: 8, max: null },
      shmSize: resources ? resources.expected.shmSize : null,
      gpu: resources ? resources.expected.gpu : null,
      disk: resources ? resources.expected.disk : { size: { min: 100, max: null } },
      maxDuration: parts.max_duration ? parts.max_duration.expected : null,
      inactivityDuration: inactivity,
      spotPolicy: parts.spot_policy ?? null,
      backends: parts.backends ?? null,
      maxPrice: parts.max_price ? parts.max_price.price : null,
      init: parts.init ?? [],
    };
    return { doc, expected };
  });
