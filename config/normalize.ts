/**
 * `DevEnvironmentSpec` -> the JSON dstack 0.18.2x serialises for a configuration (snake_case keys,
 * every field present, sizes in GB, ranges as {min, max}); the fields added since follow in the
 * shape recent dstack gives them. The registry password is shown as "[secret]".
 */
import type { GpuSpec } from "./gpu";
import type { ResourcesSpec } from "./resources";
import type { DevEnvironmentSpec } from "./schema";
import { FIELD_NAMES } from "./fields";
import { isInstanceMount, type VolumeMount } from "./volumes";

/** How secrets are shown wherever the configuration is printed. */
export const SECRET_MASK = "[secret]";

function gpuJson(gpu: GpuSpec | null): unknown {
  return gpu && {
    vendor: gpu.vendor,
    name: gpu.name,
    count: gpu.count,
    memory: gpu.memory,
    total_memory: gpu.total_memory,
    compute_capability: gpu.compute_capability,
  };
}

function resourcesJson(resources: ResourcesSpec): unknown {
  const cpu: Record<string, unknown> = { min: resources.cpu.count.min, max: resources.cpu.count.max };
  if (resources.cpu.arch !== null) cpu.arch = resources.cpu.arch;
  return { cpu, memory: resources.memory, shm_size: resources.shm_size, gpu: gpuJson(resources.gpu), disk: resources.disk };
}

function volumeJson(mount: VolumeMount): unknown {
  if (!isInstanceMount(mount)) return { name: mount.name, path: mount.path };
  const json: Record<string, unknown> = { instance_path: mount.instance_path, path: mount.path };
  if (mount.optional) json.optional = true;
  return json;
}

/** The normalised JSON form of a configuration, as `validate --json` prints it. */
export function toDstackJson(spec: DevEnvironmentSpec): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    switch (name) {
      case "resources":
        json.resources = resourcesJson(spec.resources);
        break;
      case "volumes":
        json.volumes = spec.volumes.map(volumeJson);
        break;
      case "registry_auth":
        json.registry_auth = spec.registry_auth && { username: spec.registry_auth.username, password: SECRET_MASK };
        break;
      case "max_duration":
        json.max_duration = typeof spec.max_duration === "number" ? String(spec.max_duration) : spec.max_duration;
        break;
      default:
        json[name] = spec[name];
    }
  }
  return json;
}
