/**
 * pulumi-dstack: read dstack dev-environment configurations (`.dstack.yml`) and resolve them into offers.
 */
export { readConfigText, readConfigFile, parseConfig, type ReadResult } from "./config/read";
export { ConfigError, type ConfigIssue, type IssueCode } from "./config/issues";
export { toDstackJson, SECRET_MASK } from "./config/normalize";
export type { DevEnvironmentSpec } from "./config/schema";
export { jsonSchema } from "./config/json-schema";
export type { GpuSpec, GpuVendor } from "./config/gpu";
export type { CpuSpec, ResourcesSpec } from "./config/resources";
export type { Range } from "./config/range";
export type { VolumeMount, NetworkVolumeMount, InstanceVolumeMount } from "./config/volumes";
export type { EnvValue, EnvPlaceholder } from "./config/env";
export type { PortMapping } from "./config/ports";
export { inferGpuVendor } from "./config/gpu-vendor";

// The catalog and offer resolution.
export { loadCatalog, loadCatalogFile, loadBundledCatalog, bundledCatalogPath, CatalogError } from "./catalog/load";
export { encodeCatalog, decodeCatalog } from "./catalog/file-format";
export type { Catalog, CatalogInstance, CatalogPrice, CatalogRegion, CatalogStamp, CatalogGpu, CatalogTpu, Backend, RegionKind } from "./catalog/types";
export { SUPPORTED_BACKENDS } from "./catalog/types";
export { OfferIndex } from "./offers/offer-index";
export { resolveOffers, resolveRequirements, type Resolution, type ResolveOptions } from "./offers/resolve";
export { toRequirements, type Requirements, type RequirementOverrides } from "./offers/requirements";
export { offerJson, groupOffers, type Offer } from "./offers/offer";
export type { NoOffers, NearOffer } from "./offers/explain";
export { BACKEND_DISK_RANGES } from "./offers/constraints";

// The boot script of a VM.
export { renderBootPayload, type BootPayload } from "./bootstrap/render";
export { renderBootstrapScript } from "./bootstrap/render-script";
export { BootstrapError, type BootstrapInput, type BootstrapTarget, type AttachedVolume, type SecretRef, type VolumeDevice } from "./bootstrap/types";

// The Pulumi component (loads @pulumi/pulumi; the cloud SDKs load only when an offer needs them).
export { DevEnvironment, DEV_ENVIRONMENT_TYPE, toRunName } from "./components/dev-environment";
export { AwsLaunch, CloudBackend, SpotPolicy, TpuLaunch, type DevEnvironmentArgs, type DevEnvironmentOptions, type AwsPlacement, type VolumeReference } from "./components/args";
export type { GcpPlacement } from "./components/cloud-plan";
export type { OfferSummary, OfferGpu, OfferTpu } from "./components/offer-summary";
export { Volume, VOLUME_TYPE } from "./components/volume";
export type { VolumeArgs } from "./components/volume-args";
export { chooseOffer, NoOffersError, type OfferChoice } from "./offers/choose";
export { lockFileFor, readLock, writeLock, makeLock, type OfferLock } from "./offers/lock";
