/**
 * pulumi-dstack: read dstack dev-environment configurations (`.dstack.yml`).
 */
export { readConfigText, readConfigFile, parseConfig, type ReadResult } from "./config/read";
export { ConfigError, type ConfigIssue, type IssueCode } from "./config/issues";
export { toDstackJson, SECRET_MASK } from "./config/normalize";
export { jsonSchema, type DevEnvironmentSpec } from "./config/schema";
export type { GpuSpec, GpuVendor } from "./config/gpu";
export type { CpuSpec, ResourcesSpec } from "./config/resources";
export type { Range } from "./config/range";
export type { VolumeMount, NetworkVolumeMount, InstanceVolumeMount } from "./config/volumes";
export type { EnvValue, EnvPlaceholder } from "./config/env";
export type { PortMapping } from "./config/ports";
export { inferGpuVendor } from "./config/gpu-vendor";
