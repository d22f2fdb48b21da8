/**
 * `catalog update`: rebuilds the catalog from the clouds' live APIs with the user's credentials.
 *
 * - AWS (per region; the account's enabled standard regions unless regions are given): EC2
 *   DescribeInstanceTypeOfferings, DescribeInstanceTypes, DescribeSpotPriceHistory, and the Price
 *   List GetProducts (see `aws-fetch.ts`, `aws-build.ts`).
 * - GCP (the project of the default credentials or GOOGLE_CLOUD_PROJECT): Compute Engine machine and
 *   accelerator types of every zone and the Cloud Billing Catalog SKUs (`gcp-fetch.ts`, `gcp-build.ts`).
 *
 * The catalog it writes has the bundled catalog's families and rules, `built_from: "live"` and the
 * given date. It holds only what the APIs publish: no estimated prices, and no TPU slices (their
 * shapes come from the Cloud TPU API, whose client is not among the SDKs this command loads); given
 * the catalog being updated (`base`), what the live build does not cover is carried over from it
 * (`../merge.ts`), TPU slices included. The cloud SDKs are loaded here only (`sdk.ts`).
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { compareInstances, encodeCatalog } from "../file-format";
import { awsRegionKind } from "../families";
import { SUPPORTED_BACKENDS, type Backend, type Catalog, type CatalogInstance, type CatalogRegion, type CatalogSource } from "../types";
import { CatalogUpdateError, callApi, type Progress } from "./api";
import { buildAwsInstances } from "./aws-build";
import { createAwsApi, fetchAwsRecords, listAwsRegions, type AwsApi } from "./aws-fetch";
import { buildGcpInstances } from "./gcp-build";
import { createGcpApi, fetchGcpRecords, type GcpApi, type GcpSdk } from "./gcp-fetch";
import { mergeCatalogs } from "../merge";
import { loadSdks, type ModuleLoader, type Sdks } from "./sdk";

export { CatalogUpdateError } from "./api";

/** The clients of the clouds to rebuild (tests give clients with recorded answers). */
export interface LiveClients {
  aws?: AwsApi;
  gcp?: GcpApi;
}

export interface LiveCatalogOptions {
  /** The clouds to rebuild; default: every cloud with a client. */
  backends?: readonly Backend[];
  /** Regions to keep (AWS `us-east-1` and GCP `us-central1` names may be mixed); default: all standard regions. */
  regions?: readonly string[];
  /** The date of the data, `YYYY-MM-DD` (the stamp's `data_date`). */
  today: string;
  /** From when spot prices are asked (the current spot price of each zone). */
  now: Date;
  progress: Progress;
}

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d+$/;
const GCP_REGION = /^[a-z]+-[a-z]+\d+$/;

/** The backends to rebuild and, for each, its regions (undefined: all); `notes` says which were skipped and why. */
export function planBackends(backends: readonly Backend[], regions?: readonly string[]): { regions: Partial<Record<Backend, string[] | undefined>>; notes: string[] } {
  const unknown = (regions ?? []).filter((region) => !AWS_REGION.test(region) && !GCP_REGION.test(region));
  if (unknown.length > 0) throw new CatalogUpdateError(`not a region: ${unknown.join(", ")} (AWS regions look like us-east-1, GCP regions like us-central1)`);
  const plan: Partial<Record<Backend, string[] | undefined>> = {};
  const notes: string[] = [];
  for (const backend of backends) {
    const own = regions?.filter((region) => (backend === "aws" ? AWS_REGION : GCP_REGION).test(region));
    if (own && own.length === 0) notes.push(`${backend}: skipped, none of the regions ${regions!.join(", ")} is a ${backend.toUpperCase()} region`);
    else plan[backend] = own;
  }
  if (Object.keys(plan).length === 0) throw new CatalogUpdateError(`none of the regions ${regions!.join(", ")} is a region of ${backends.join(" or ")}`);
  return { regions: plan, notes };
}

function liveSources(backends: readonly Backend[], today: string, awsRegions: readonly string[]): CatalogSource[] {
  const source = (id: string, description: string, origin: string): CatalogSource => ({ id, description, data_date: today, origin, license: "cloud provider API data, read with the user's credentials" });
  const sources: CatalogSource[] = [];
  if (backends.includes("aws")) {
    sources.push(
      source(
        "aws-ec2-api",
        "instance types, hardware and zones (DescribeInstanceTypes, DescribeInstanceTypeOfferings); current Linux/UNIX spot price per zone, the lowest zone's kept (DescribeSpotPriceHistory)",
        `AWS EC2 API, regions ${awsRegions.join(", ")}`,
      ),
      source("aws-price-list-api", "on-demand prices: Linux, shared tenancy, no pre-installed software (GetProducts, AmazonEC2)", "AWS Price List API (api.pricing.us-east-1.amazonaws.com)"),
    );
  }
  if (backends.includes("gcp")) {
    sources.push(
      source("gcp-compute-api", "machine types and accelerator types of every zone (machineTypes.aggregatedList, acceleratorTypes.aggregatedList)", "Compute Engine API (compute.googleapis.com)"),
      source(
        "gcp-cloud-billing-catalog",
        "on-demand and spot (Preemptible) unit prices per region: vCPU and RAM per machine family, GPU, local SSD",
        "Cloud Billing Catalog API (cloudbilling.googleapis.com), services/6F81-5844-456A/skus",
      ),
    );
  }
  return sources;
}

function catalogRegions(instances: readonly CatalogInstance[]): CatalogRegion[] {
  const regions = new Map<string, CatalogRegion>();
  for (const instance of instances) {
    for (const { region } of instance.prices) {
      regions.set(`${instance.backend} ${region}`, { backend: instance.backend, name: region, kind: instance.backend === "aws" ? awsRegionKind(region) : "standard" });
    }
  }
  return [...regions.values()].sort((a, b) => (a.backend + " " + a.name < b.backend + " " + b.name ? -1 : 1));
}

/** Builds the catalog from the clients' answers, in the order the catalog file keeps. */
export async function buildLiveCatalog(clients: LiveClients, options: LiveCatalogOptions): Promise<Catalog> {
  const { progress } = options;
  const plan = planBackends(options.backends ?? SUPPORTED_BACKENDS.filter((backend) => clients[backend]), options.regions);
  plan.notes.forEach((note) => progress(note));
  const built = Object.keys(plan.regions) as Backend[];
  const warn = (message: string) => progress(message);
  const instances: CatalogInstance[] = [];
  let awsRegions: string[] = [];
  if (built.includes("aws")) {
    const api = clients.aws;
    if (!api) throw new CatalogUpdateError("aws: no client");
    awsRegions = plan.regions.aws ?? (await listAwsRegions(api));
    progress(`aws: ${awsRegions.length} regions: ${awsRegions.join(", ")}`);
    const awsInstances = buildAwsInstances(await fetchAwsRecords(api, awsRegions, options.now, progress), warn);
    progress(`aws: ${awsInstances.length} instance types`);
    instances.push(...awsInstances);
  }
  if (built.includes("gcp")) {
    const api = clients.gcp;
    if (!api) throw new CatalogUpdateError("gcp: no client");
    const gcpInstances = buildGcpInstances(await fetchGcpRecords(api, progress), plan.regions.gcp, warn);
    progress(`gcp: ${gcpInstances.length} instance types (TPU slices are not rebuilt: the catalog has none)`);
    instances.push(...gcpInstances);
  }
  if (instances.length === 0) throw new CatalogUpdateError(`the APIs gave no instance type of the catalog's families${options.regions ? " in " + options.regions.join(", ") : ""}; no catalog written`);
  instances.sort(compareInstances);
  return {
    stamp: { format: 1, built_from: "live", data_date: options.today, oldest_data_date: options.today, sources: liveSources(built, options.today, awsRegions) },
    regions: catalogRegions(instances),
    instances,
  };
}

/** Writes the catalog file whole or not at all (a temporary file renamed over it). */
export async function writeCatalogFile(file: string, catalog: Catalog): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, encodeCatalog(catalog), "utf8");
  await rename(temporary, file);
}

/** GCP clients on the default credentials, checked before any call; the project from GOOGLE_CLOUD_PROJECT or the credentials. */
async function connectGcp(sdk: GcpSdk): Promise<GcpApi> {
  const auth = new sdk.compute.MachineTypesClient({ fallback: true }).auth;
  await callApi("GCP authentication", "(application default credentials)", () => auth.getClient());
  const project = process.env.GOOGLE_CLOUD_PROJECT || process.env.GCLOUD_PROJECT || (await callApi("GCP project lookup", "(application default credentials)", () => auth.getProjectId()));
  return createGcpApi(sdk, project, { auth });
}

export interface CatalogUpdateOptions {
  /** The catalog file to write. */
  out: string;
  /** Default: both clouds. */
  backends?: ("aws" | "gcp")[];
  regions?: string[];
  /** Today's date, `YYYY-MM-DD`. */
  today: string;
  progress: (message: string) => void;
  /** How the SDKs are loaded (tests give one that fails). */
  loadModule?: ModuleLoader;
  /**
   * The catalog being updated: what the live build does not cover (clouds not rebuilt, other
   * regions, TPU slices) is carried over from it. Without one, the file holds the live build only.
   */
  base?: Catalog;
  /** Makes the clients from the loaded SDKs; default: the default credential chains (tests give recorded transports). */
  connect?: (sdks: Sdks) => Promise<LiveClients>;
}

/**
 * Clients on the default credential chains (AWS's, with the region list asked in AWS_REGION or
 * us-east-1; GCP's application default credentials), both checked before any long run of calls.
 */
async function connectDefault(sdks: Sdks): Promise<LiveClients> {
  const clients: LiveClients = {};
  if (sdks.aws) {
    const api = createAwsApi(sdks.aws, {}, process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1");
    await callApi("AWS credentials", "(default credential chain)", () => api.ec2(api.homeRegion).config.credentials());
    clients.aws = api;
  }
  if (sdks.gcp) clients.gcp = await connectGcp(sdks.gcp);
  return clients;
}

/**
 * `dstack-pulumi catalog update`: loads the SDKs, makes clients from the default credential chains,
 * rebuilds and writes the catalog. Every failure the user can act on is a `CatalogUpdateError`,
 * whose message is the whole story (print it without a stack trace).
 */
export async function runCatalogUpdate(options: CatalogUpdateOptions): Promise<{ instances: number; prices: number }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.today)) throw new CatalogUpdateError(`today must be YYYY-MM-DD, not ${options.today}`);
  const backends = options.backends ?? [...SUPPORTED_BACKENDS];
  const planned = Object.keys(planBackends(backends, options.regions).regions) as Backend[];
  const sdks = await loadSdks(planned, options.loadModule);
  let catalog: Catalog;
  try {
    const clients = await (options.connect ?? connectDefault)(sdks);
    catalog = await buildLiveCatalog(clients, { backends, regions: options.regions, today: options.today, now: new Date(), progress: options.progress });
  } catch (error) {
    // A cloud the user did not name failed: say how to rebuild the other one alone.
    const failed = error instanceof CatalogUpdateError && options.backends === undefined && planned.length > 1 ? /^(AWS|GCP) /.exec(error.message)?.[1] : undefined;
    if (failed) {
      const other = failed === "AWS" ? "gcp" : "aws";
      throw new CatalogUpdateError(`${(error as Error).message} (to rebuild only ${other.toUpperCase()}: --backend ${other})`);
    }
    throw error;
  }
  if (options.base) {
    catalog = mergeCatalogs(options.base, catalog, { backends: planned, regions: options.regions, tpu: false });
    options.progress("kept from the catalog being updated: what was not rebuilt (other clouds and regions, TPU slices)");
  }
  await writeCatalogFile(options.out, catalog);
  const prices = catalog.instances.reduce((sum, instance) => sum + instance.prices.length, 0);
  options.progress(`wrote ${options.out}: ${catalog.instances.length} instance types, ${prices} prices (${planned.join(", ")}, data of ${options.today})`);
  return { instances: catalog.instances.length, prices };
}
