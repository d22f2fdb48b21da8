/**
 * The Cloud TPU v2 REST requests of a queued TPU (`projects.locations.queuedResources`), built from
 * the queued TPU resource's inputs: pure data in, data out, no Pulumi and no network.
 *
 * The node carries what a `tpu.V2Vm` gets (tpu.ts): accelerator type, runtime, description, the
 * boot metadata, labels, network tags, network, service account and data disks, in the REST
 * API's field names (`serviceAccount.scope`, not the provider's `scopes`). The queued resource
 * adds the tier (`spot: {}`; a reservation: `guaranteed: {}` with the reservation's name) and how
 * long the request waits for capacity (`queueingPolicy.validUntilDuration`, `retry.duration`).
 */

/** The Pulumi type of a queued TPU (a dynamic resource: module `dstack`, type `TpuQueuedResource`). */
export const QUEUED_TPU_TYPE = "pulumi-nodejs:dynamic/dstack:TpuQueuedResource";

/**
 * The type of the same resource served by the `dstack` plugin's own CRUD (provider/tpu-resource.ts):
 * what a component constructed by the plugin (Python, Go, .NET, YAML programs) declares. Same
 * inputs, outputs and rules (force-new.json's entry for `QUEUED_TPU_TYPE`).
 */
export const PLUGIN_QUEUED_TPU_TYPE = "dstack:index:TpuQueuedResource";

/** A data disk of the TPU VM: an existing disk (full path or Pulumi id), attached read-write. */
export interface QueuedTpuDisk {
  sourceDisk: string;
  mode: "READ_WRITE" | "READ_ONLY";
}

/** The inputs of a queued TPU resource (tpu-queued-resource.ts), as its provider receives them. */
export interface QueuedTpuInputs {
  project: string;
  zone: string;
  /** The queued resource's id, which is also its TPU VM's (`gcloud compute tpus tpu-vm ssh <nodeId>`). */
  nodeId: string;
  acceleratorType: string;
  runtimeVersion: string;
  description: string;
  metadata: Record<string, string>;
  labels: Record<string, string>;
  tags: string[];
  networkConfig: { enableExternalIps: boolean; network: string; subnetwork?: string };
  serviceAccount: { email: string; scopes: string[] };
  /** In the order the boot script numbers them (`persistent-disk-<n>`); absent without volumes. */
  dataDisks?: QueuedTpuDisk[];
  /** The spot tier (absent: on demand). */
  spot?: boolean;
  /** `projects/<p>/locations/<zone>/reservations/<name>`: the guaranteed tier in that reservation. */
  reservationName?: string;
  /** How long the request waits in the queue for capacity, seconds (`retry.duration`). */
  validUntilSeconds: number;
}

/** The fields of the node a `nodes.patch` may change (the rest replaces the TPU VM). */
export const PATCHABLE_NODE_FIELDS = ["description", "labels", "metadata", "tags"] as const;
export type PatchableNodeField = (typeof PATCHABLE_NODE_FIELDS)[number];

/** `projects/<p>/locations/<zone>`: the parent of queued resources, nodes and operations. */
export function locationPath(inputs: Pick<QueuedTpuInputs, "project" | "zone">): string {
  return `projects/${inputs.project}/locations/${inputs.zone}`;
}

/** `projects/<p>/locations/<zone>/queuedResources/<id>`. */
export function queuedResourcePath(inputs: Pick<QueuedTpuInputs, "project" | "zone">, id: string): string {
  return `${locationPath(inputs)}/queuedResources/${id}`;
}

/** `projects/<p>/locations/<zone>/nodes/<id>`. */
export function nodePath(inputs: Pick<QueuedTpuInputs, "project" | "zone">, id: string): string {
  return `${locationPath(inputs)}/nodes/${id}`;
}

/** A full reservation name: a bare name is the plan's project and zone's; a full one is kept. */
export function reservationPath(reservation: string, project: string, zone: string): string {
  return reservation.startsWith("projects/") ? reservation : `projects/${project}/locations/${zone}/reservations/${reservation}`;
}

/** The node as the REST API takes it (field order fixed, absent fields left out). */
export function nodeBody(inputs: QueuedTpuInputs): Record<string, unknown> {
  const network: Record<string, unknown> = { enableExternalIps: inputs.networkConfig.enableExternalIps, network: inputs.networkConfig.network };
  if (inputs.networkConfig.subnetwork !== undefined) network.subnetwork = inputs.networkConfig.subnetwork;
  const node: Record<string, unknown> = {
    acceleratorType: inputs.acceleratorType,
    runtimeVersion: inputs.runtimeVersion,
    description: inputs.description,
    networkConfig: network,
    serviceAccount: { email: inputs.serviceAccount.email, scope: [...inputs.serviceAccount.scopes] },
    metadata: { ...inputs.metadata },
    labels: { ...inputs.labels },
    tags: [...inputs.tags],
  };
  if (inputs.dataDisks !== undefined && inputs.dataDisks.length > 0) node.dataDisks = inputs.dataDisks.map((disk) => ({ sourceDisk: disk.sourceDisk, mode: disk.mode }));
  return node;
}

/**
 * The body of `POST .../queuedResources?queuedResourceId=<nodeId>`: one node spec, the tier, and
 * the queueing policy. Spot and a reservation exclude each other (one tier per request).
 */
export function queuedResourceBody(inputs: QueuedTpuInputs): Record<string, unknown> {
  if (inputs.spot === true && inputs.reservationName !== undefined) {
    throw new Error(`queued TPU ${inputs.nodeId}: a queued resource is spot or uses a reservation, not both`);
  }
  if (!Number.isInteger(inputs.validUntilSeconds) || inputs.validUntilSeconds <= 0) {
    throw new Error(`queued TPU ${inputs.nodeId}: validUntilSeconds must be a positive whole number of seconds, not ${inputs.validUntilSeconds}`);
  }
  const body: Record<string, unknown> = {
    tpu: { nodeSpec: [{ parent: locationPath(inputs), nodeId: inputs.nodeId, node: nodeBody(inputs) }] },
  };
  if (inputs.spot === true) body.spot = {};
  if (inputs.reservationName !== undefined) {
    body.guaranteed = {};
    body.reservationName = inputs.reservationName;
  }
  body.queueingPolicy = { validUntilDuration: `${inputs.validUntilSeconds}s` };
  return body;
}

/** What `nodes.patch` sends for an in-place update: the changed patchable fields and their mask; null when none changed. */
export function nodePatch(olds: Partial<QueuedTpuInputs>, news: QueuedTpuInputs): { updateMask: string; body: Record<string, unknown> } | null {
  const changed = PATCHABLE_NODE_FIELDS.filter((field) => JSON.stringify(olds[field] ?? null) !== JSON.stringify(news[field] ?? null));
  if (changed.length === 0) return null;
  const body: Record<string, unknown> = {};
  for (const field of changed) body[field] = news[field];
  return { updateMask: changed.join(","), body };
}
