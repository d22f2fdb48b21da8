/**
 * The GCP calls of `catalog update`, through Google's official clients given to it (tests point them
 * at a local server with recorded answers), over REST (`fallback`), every page followed, answers
 * turned into plain records: Compute Engine machineTypes.aggregatedList and
 * acceleratorTypes.aggregatedList (every zone of the project), and the Cloud Billing Catalog SKUs of
 * Compute Engine (`services/6F81-5844-456A`, USD).
 */
import type * as Billing from "@google-cloud/billing";
import type * as Compute from "@google-cloud/compute";
import { callApi, type Progress } from "./api";
import type { GcpAcceleratorType, GcpMachineType, GcpRecords } from "./gcp-build";
import type { GcpSku } from "./gcp-skus";

/** The SDK modules, loaded only by `catalog update`. */
export interface GcpSdk {
  compute: typeof Compute;
  billing: typeof Billing;
}

/** Client options: the default credentials in real use; a local endpoint and a fixed token in tests. */
export type GcpClientOptions = NonNullable<ConstructorParameters<typeof Compute.MachineTypesClient>[0]>;

export interface GcpApi {
  project: string;
  machineTypes: Compute.MachineTypesClient;
  acceleratorTypes: Compute.AcceleratorTypesClient;
  catalog: Billing.CloudCatalogClient;
}

/** Compute Engine's service in the Cloud Billing Catalog. */
export const COMPUTE_BILLING_SERVICE = "services/6F81-5844-456A";

const DEPRECATED_STATES = ["DEPRECATED", "OBSOLETE", "DELETED"];

/** The three clients, all over REST (the billing client too, so no gRPC is loaded). */
export function createGcpApi(sdk: GcpSdk, project: string, options: GcpClientOptions = {}): GcpApi {
  // The clients change the options object they are given: each gets its own copy.
  const settings = () => ({ ...options, fallback: true });
  return {
    project,
    machineTypes: new sdk.compute.MachineTypesClient(settings()),
    acceleratorTypes: new sdk.compute.AcceleratorTypesClient(settings()),
    catalog: new sdk.billing.CloudCatalogClient(settings()),
  };
}

/** `zones/us-central1-a` -> `us-central1-a`. */
function scopeZone(scope: string): string {
  return scope.replace(/^zones\//, "");
}

// `autoPaginate: false` asks the clients for pages as they come (and keeps gax from warning that
// async iteration ignores auto-pagination).
const PAGED = { autoPaginate: false };

export async function fetchGcpMachineTypes(api: GcpApi): Promise<GcpMachineType[]> {
  return callApi("GCP Compute machineTypes.aggregatedList", `for project ${api.project}`, async () => {
    const records: GcpMachineType[] = [];
    for await (const [scope, list] of api.machineTypes.aggregatedListAsync({ project: api.project, maxResults: 500 }, PAGED)) {
      for (const machine of list.machineTypes ?? []) {
        records.push({
          name: machine.name ?? "",
          zone: scopeZone(scope),
          cpus: Number(machine.guestCpus ?? 0),
          memory_mb: Number(machine.memoryMb ?? 0),
          accelerators: (machine.accelerators ?? []).map((accelerator) => ({ type: accelerator.guestAcceleratorType ?? "", count: Number(accelerator.guestAcceleratorCount ?? 0) })),
          local_ssd_partitions: Number(machine.bundledLocalSsds?.partitionCount ?? 0),
          architecture: machine.architecture && machine.architecture !== "UNDEFINED_ARCHITECTURE" ? String(machine.architecture) : "",
          deprecated: DEPRECATED_STATES.includes(String(machine.deprecated?.state ?? "")),
        });
      }
    }
    return records;
  });
}

export async function fetchGcpAcceleratorTypes(api: GcpApi): Promise<GcpAcceleratorType[]> {
  return callApi("GCP Compute acceleratorTypes.aggregatedList", `for project ${api.project}`, async () => {
    const records: GcpAcceleratorType[] = [];
    for await (const [scope, list] of api.acceleratorTypes.aggregatedListAsync({ project: api.project, maxResults: 500 }, PAGED)) {
      for (const accelerator of list.acceleratorTypes ?? []) {
        if (DEPRECATED_STATES.includes(String(accelerator.deprecated?.state ?? ""))) continue;
        records.push({ name: accelerator.name ?? "", zone: scopeZone(scope), max_per_instance: Number(accelerator.maximumCardsPerInstance ?? 0) });
      }
    }
    return records;
  });
}

export async function fetchGcpSkus(api: GcpApi): Promise<GcpSku[]> {
  return callApi("GCP Cloud Billing services.skus.list", `for ${COMPUTE_BILLING_SERVICE}`, async () => {
    const records: GcpSku[] = [];
    for await (const sku of api.catalog.listSkusAsync({ parent: COMPUTE_BILLING_SERVICE, currencyCode: "USD", pageSize: 5000 }, PAGED)) {
      const expression = sku.pricingInfo?.[0]?.pricingExpression;
      const rate = expression?.tieredRates?.[0]?.unitPrice;
      records.push({
        description: sku.description ?? "",
        resource_family: sku.category?.resourceFamily ?? "",
        usage_type: sku.category?.usageType ?? "",
        regions: sku.serviceRegions ?? [],
        unit: expression?.usageUnit ?? "",
        price: Number(rate?.units ?? 0) + Number(rate?.nanos ?? 0) / 1e9,
      });
    }
    return records;
  });
}

/** Everything the GCP build needs, with a progress line per call. */
export async function fetchGcpRecords(api: GcpApi, progress: Progress): Promise<GcpRecords> {
  progress(`gcp: listing machine types of every zone (project ${api.project})`);
  const machineTypes = await fetchGcpMachineTypes(api);
  progress(`gcp: ${machineTypes.length} machine types in ${new Set(machineTypes.map((machine) => machine.zone)).size} zones`);
  const acceleratorTypes = await fetchGcpAcceleratorTypes(api);
  progress(`gcp: ${acceleratorTypes.length} accelerator types in ${new Set(acceleratorTypes.map((accelerator) => accelerator.zone)).size} zones`);
  const skus = await fetchGcpSkus(api);
  progress(`gcp: ${skus.length} Compute Engine SKUs from the Cloud Billing Catalog`);
  return { machine_types: machineTypes, accelerator_types: acceleratorTypes, skus };
}
