/**
 * Things that are valid but probably not what the user means, or that dstack has deprecated.
 * They do not make a file invalid; `validate` prints them.
 */
import type { FieldPath } from "./issues";
import type { DevEnvironmentSpec } from "./schema";

/** A warning about a field. */
export interface ConfigWarning {
  path: FieldPath;
  message: string;
  code: "deprecated" | "suspicious";
}

const LEGACY_FIELDS: Record<string, string> = {
  home_dir: "home_dir is deprecated by dstack (0.18.31) and has no effect in later releases",
  setup: "setup is deprecated by dstack (0.18.31): put these commands in init",
  retry_policy: "retry_policy is a legacy field, removed in dstack 0.20: use retry",
  pool_name: "pool_name is a legacy field, removed in dstack 0.20",
  instance_name: "instance_name is a legacy field, removed in dstack 0.20",
  termination_policy: "termination_policy is a legacy field, removed in dstack 0.20: use idle_duration",
  termination_idle_time: "termination_idle_time is a legacy field, removed in dstack 0.20: use idle_duration",
};

/** The first port of the range dstack reserves for itself; such container ports are dropped. */
const RESERVED_PORTS = { first: 10000, last: 10999 };

function gpuNames(raw: unknown): string[] {
  if (typeof raw === "string") return raw.replace(/ /g, "").split(":").flatMap((token) => token.split(","));
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    const name = (raw as Record<string, unknown>).name;
    return Array.isArray(name) ? name.filter((n): n is string => typeof n === "string") : typeof name === "string" ? [name] : [];
  }
  return [];
}

/** Every warning for a configuration that was read without errors. */
export function collectWarnings(spec: DevEnvironmentSpec, raw: Record<string, unknown>): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const [field, message] of Object.entries(LEGACY_FIELDS)) {
    if (Object.prototype.hasOwnProperty.call(raw, field)) warnings.push({ path: [field], message, code: "deprecated" });
  }
  if (spec.entrypoint !== null) {
    warnings.push({ path: ["entrypoint"], message: "a dev environment runs no commands of its own, so entrypoint has no use here (later dstack releases reject it)", code: "suspicious" });
  }
  if (spec.python === "3.8") {
    warnings.push({ path: ["python"], message: 'python "3.8" is dropped by dstack 0.18.43 and later: prefer "3.9" or newer', code: "deprecated" });
  }
  if (raw.max_duration === true) {
    warnings.push({ path: ["max_duration"], message: "true means one second in dstack 0.18.2x: give a duration such as 6h, or off", code: "suspicious" });
  }
  const resources = raw.resources as Record<string, unknown> | undefined;
  const rawGpu = resources && typeof resources === "object" ? resources.gpu : undefined;
  if (gpuNames(rawGpu).some((name) => name.startsWith("tpu-"))) {
    warnings.push({ path: ["resources", "gpu"], message: 'the "tpu-" prefix of TPU names is deprecated by dstack: write v2-8 rather than tpu-v2-8', code: "deprecated" });
  }
  spec.ports.forEach((port, index) => {
    if (port.container_port >= RESERVED_PORTS.first && port.container_port <= RESERVED_PORTS.last) {
      warnings.push({ path: ["ports", index], message: `container port ${port.container_port} is in the range dstack reserves (10000..10999) and is not forwarded`, code: "suspicious" });
    }
    if (port.container_port > 65535 || (port.local_port ?? 0) > 65535) {
      warnings.push({ path: ["ports", index], message: "65536 is not a TCP port: the highest is 65535", code: "suspicious" });
    }
  });
  return warnings;
}
