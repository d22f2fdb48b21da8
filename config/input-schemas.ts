/**
 * Zod schemas of what a user may write in `.dstack.yml`, short forms included. They document the
 * accepted input for editors (`dstack-pulumi schema`); the parsers in this folder do the reading.
 */
import { z } from "zod";
import { IDES, PYTHON_VERSIONS, RETRY_EVENTS } from "./run-fields";

/** A non-negative integer (JSON Schema `integer` with `minimum: 0`). */
const count = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const port = () => z.number().int().min(1).max(65536);

const describe = <T extends z.ZodType>(schema: T, description: string, examples?: unknown[]): T =>
  schema.meta({ description, ...(examples ? { examples } : {}) }) as T;

export const text = (description: string, example?: string) =>
  describe(z.union([z.string(), z.number()]).nullable(), description, example === undefined ? undefined : [example]);

export const flag = (description: string, fallback?: boolean) =>
  describe(z.boolean().nullable(), fallback === undefined ? description : `${description} Default: ${fallback}.`);

export const integer = (description: string, min: number, max: number) =>
  describe(z.number().int().min(min).max(max).nullable(), description);

export const strings = (description: string, examples: string[]) => describe(z.array(z.string()).nullable(), description, [examples]);

export const commands = (description: string) => describe(z.array(z.string()), description, [["pip install -r requirements.txt"]]);

export const choice = (values: readonly string[], description: string) =>
  describe(z.enum(values as [string, ...string[]]).nullable(), description);

export const choices = (values: readonly string[], description: string) =>
  describe(z.array(z.enum(values as [string, ...string[]])).nullable(), description, [["aws", "gcp"]]);

const durationText = z.union([count(), z.string().regex(/^\d+ *[smhdw]$/)]);

export const duration = (description: string) => describe(durationText.nullable(), description, ["30m", "2h", 3600]);

export const offDuration = (description: string) =>
  describe(z.union([durationText, z.literal("off"), z.boolean()]).nullable(), description, ["2h", "off"]);

export const type = describe(z.literal("dev-environment"), "The configuration type.");

export const ide = describe(z.enum(IDES).nullable(), "The IDE to install: vscode (dstack 0.18), cursor, windsurf or zed; omit for SSH only.", ["vscode"]);

export const python = describe(
  z.union([z.enum(PYTHON_VERSIONS), z.number()]).nullable(),
  "The Python version of dstack's base image (exclusive with image). Quote it: \"3.10\".",
  ["3.11"],
);

export const price = describe(z.union([z.number().positive(), z.string()]).nullable(), "The most to pay per hour, in dollars.", [2.5]);

export const registryAuth = describe(
  z.strictObject({ username: z.string(), password: z.string() }).nullable(),
  "Credentials of a private registry. Use ${{ env.NAME }} to keep the password out of the file.",
);

const size = z.union([z.number(), z.string()]);
const countRange = describe(
  z.union([count(), z.string(), z.strictObject({ min: count().nullable().optional(), max: count().nullable().optional() })]),
  "A count or a range: 4, 2..8, 2.., ..8.",
  ["2..", 4],
);
const sizeRange = describe(
  z.union([size, z.strictObject({ min: size.nullable().optional(), max: size.nullable().optional() })]),
  "A size in GB or with MB/GB/TB (binary units), or a range: 24GB, 24GB..80GB, ..1TB.",
  ["24GB..", "1TB"],
);

const gpu = describe(
  z.union([
    z.string(),
    count(),
    z.strictObject({
      vendor: z.enum(["nvidia", "amd", "google", "tpu"]).nullable().optional(),
      name: z.union([z.string(), z.array(z.string())]).nullable().optional(),
      count: countRange.optional(),
      memory: sizeRange.nullable().optional(),
      total_memory: sizeRange.nullable().optional(),
      compute_capability: z.union([z.number(), z.string(), z.array(count()).length(2)]).nullable().optional(),
    }),
  ]).nullable(),
  "GPUs: vendor, names, memory per GPU and count in any order, joined by ':'. One GPU when no count is given.",
  ["A100:80GB:2", "24GB..:1..2", "nvidia", "A10G,A100", "v5litepod-8"],
);

export const resources = describe(
  z.strictObject({
    cpu: describe(z.union([count(), z.string(), z.strictObject({ arch: z.enum(["x86", "arm"]).nullable().optional(), count: countRange.optional() }), z.strictObject({ min: count().nullable().optional(), max: count().nullable().optional() })]), "CPU count (default 2..), optionally with an architecture: arm:8.", ["4..", "arm:8"]).optional(),
    memory: describe(sizeRange, "RAM (default 8GB..).").optional(),
    shm_size: describe(size.nullable(), "Shared memory of the container (/dev/shm).", ["16GB"]).optional(),
    gpu: gpu.optional(),
    disk: describe(z.union([sizeRange, z.strictObject({ size: sizeRange })]).nullable(), "Disk size (default 100GB..).", ["500GB", "200GB.."]).optional(),
  }),
  "The machine to ask for.",
);

export const env = describe(
  z.union([z.array(z.string()), z.record(z.string(), z.union([z.string(), z.number()]))]),
  "Environment variables: NAME=value, or a bare NAME to take its value from the environment at deploy time.",
  [["HF_TOKEN", "HF_HUB_ENABLE_HF_TRANSFER=1"]],
);

export const volumes = describe(
  z.array(
    z.union([
      z.string(),
      z.strictObject({ name: z.union([z.string(), z.array(z.string())]), path: z.string() }),
      z.strictObject({ instance_path: z.string(), path: z.string(), optional: z.boolean().optional() }),
    ]),
  ),
  "Volumes: network volumes (name:/path) and instance folders (/host/path:/path).",
  [["my-volume:/data", "/mnt/nvme:/cache"]],
);

export const ports = describe(
  z.array(z.union([port(), z.string(), z.strictObject({ local_port: port().nullable().optional(), container_port: port() })])),
  "Ports to forward: 8080, 80:8080 or *:8080.",
  [[8888]],
);

export const retry = describe(
  z.union([z.boolean(), z.strictObject({ on_events: z.array(z.enum(RETRY_EVENTS)), duration: durationText.nullable().optional() })]).nullable(),
  "Retry when provisioning fails: true, or {on_events, duration}.",
);

export const retryPolicy = describe(
  z.strictObject({ retry: z.boolean().optional(), duration: durationText.nullable().optional() }).nullable(),
  "Legacy form of retry.",
);

export const utilizationPolicy = describe(
  z.strictObject({ min_gpu_utilization: z.number().int().min(0).max(100), time_window: durationText }).nullable(),
  "Stop the run when GPU utilization stays below min_gpu_utilization for time_window.",
);

export const schedule = describe(z.strictObject({ cron: z.union([z.string(), z.array(z.string())]) }).nullable(), "Start the run on a cron schedule.");

const entityReference = z.union([z.string(), z.strictObject({ project: z.string().nullable().optional(), name: z.string() })]);
export const fleets = describe(z.array(entityReference).nullable(), "Fleets to run on: name or project/name.");
export const instances = describe(z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).nullable(), "Instances to run on.");
export const tags = describe(z.record(z.string(), z.string()).nullable(), "Tags for the run's resources.", [{ team: "ml" }]);
export const repos = describe(z.array(z.union([z.string(), z.record(z.string(), z.unknown())])), "The repo to clone (at most one).");
export const files = describe(z.array(z.union([z.string(), z.strictObject({ local_path: z.string(), path: z.string() })])), "Local files to copy into the container.");
export const backendOptions = describe(z.array(z.record(z.string(), z.unknown())).nullable(), "Per-backend options.");
