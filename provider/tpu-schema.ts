/**
 * The schema entry of `dstack:index:TpuQueuedResource` (provider/tpu-resource.ts) and its three
 * object types, written here: Pulumi's analyzer reads components only. The inputs are those of
 * `TpuQueuedResourceArgs` (components/gcp/tpu-queued-resource.ts, the ops' `QueuedTpuInputs`), the
 * outputs the inputs plus `publicIp`, `state` and `queuedResource`. A DevEnvironment declares it
 * for its TPU slice when `tpuLaunch` is `queued`; a program may also declare one directly.
 */
import { PLUGIN_QUEUED_TPU_TYPE } from "../components/gcp/tpu-request";

const STRING = { type: "string" } as const;
const STRING_MAP = { type: "object", additionalProperties: STRING } as const;
const ref = (name: string) => ({ $ref: `#/types/dstack:index:${name}` });
const described = <T extends object>(property: T, description: string) => ({ ...property, description });

const INPUTS = {
  project: described(STRING, "The project the queued resource is requested in."),
  zone: described(STRING, "The zone of the queued resource and its TPU VM."),
  nodeId: described(STRING, "The queued resource's id, which is also its TPU VM's."),
  acceleratorType: described(STRING, "The TPU slice (such as `v5litepod-8`)."),
  runtimeVersion: described(STRING, "The TPU VM's software version (such as `v2-alpha-tpuv5-lite`)."),
  description: described(STRING, "The TPU VM's description."),
  metadata: described(STRING_MAP, "The TPU VM's metadata (the boot script, SSH keys)."),
  labels: described(STRING_MAP, "The TPU VM's labels."),
  tags: described({ type: "array", items: STRING }, "The TPU VM's network tags."),
  networkConfig: described(ref("TpuNetworkConfig"), "The TPU VM's network."),
  serviceAccount: described(ref("TpuServiceAccount"), "The identity of the TPU VM."),
  dataDisks: described({ type: "array", items: ref("TpuDataDisk") }, "Existing disks attached to the TPU VM, in the order the boot script numbers them."),
  spot: described({ type: "boolean" }, "The spot tier (unset: on demand)."),
  reservationName: described(STRING, "`projects/<project>/locations/<zone>/reservations/<name>`: the guaranteed tier in that reservation."),
  validUntilSeconds: described({ type: "integer" }, "How long the request waits in Cloud TPU's queue for capacity (its creation only: a change of it changes nothing)."),
};

const REQUIRED_INPUTS = ["project", "zone", "nodeId", "acceleratorType", "runtimeVersion", "description", "metadata", "labels", "tags", "networkConfig", "serviceAccount", "validUntilSeconds"];

const OUTPUTS = {
  publicIp: described(STRING, "The TPU VM's external IP (empty until it has one)."),
  state: described(STRING, "The queued resource's state when last read (`ACTIVE`; `SUSPENDED` once a spot TPU was taken back)."),
  queuedResource: described(STRING, "The queued resource's full name."),
};

/** The resource's schema entry. */
export const QUEUED_TPU_RESOURCE_SCHEMA = {
  description:
    "A Cloud TPU queued resource with its TPU VM: the request waits in Cloud TPU's queue for capacity, and creation ends once the TPU VM exists " +
    "(or fails as no capacity when `validUntilSeconds` ran out). A DevEnvironment declares one for a TPU slice with `tpuLaunch: queued`. " +
    "The plugin calls the Cloud TPU API with `GOOGLE_OAUTH_ACCESS_TOKEN`, else gcloud's credentials; no token is an input, an output or in the state.",
  inputProperties: INPUTS,
  requiredInputs: REQUIRED_INPUTS,
  properties: { ...INPUTS, ...OUTPUTS },
  required: [...REQUIRED_INPUTS, ...Object.keys(OUTPUTS)],
};

/** The object types its inputs use. */
export const QUEUED_TPU_TYPES = {
  "dstack:index:TpuNetworkConfig": {
    type: "object",
    description: "The network of a queued TPU's VM.",
    properties: {
      enableExternalIps: described({ type: "boolean" }, "Whether the TPU VM gets an external IP."),
      network: described(STRING, "The VPC network."),
      subnetwork: described(STRING, "The subnetwork (unset: the network's in the region)."),
    },
    required: ["enableExternalIps", "network"],
  },
  "dstack:index:TpuServiceAccount": {
    type: "object",
    description: "The service account of a queued TPU's VM.",
    properties: { email: described(STRING, "The service account's email."), scopes: described({ type: "array", items: STRING }, "The OAuth scopes.") },
    required: ["email", "scopes"],
  },
  "dstack:index:TpuDataDisk": {
    type: "object",
    description: "An existing disk attached to a queued TPU's VM.",
    properties: { sourceDisk: described(STRING, "The disk (full path or id)."), mode: described(STRING, "`READ_WRITE` or `READ_ONLY`.") },
    required: ["sourceDisk", "mode"],
  },
};

/** `schema` with the queued TPU's resource and types added (in place). */
export function withQueuedTpu<T extends { resources: Record<string, object>; types?: Record<string, object> }>(schema: T): T {
  schema.resources[PLUGIN_QUEUED_TPU_TYPE] = QUEUED_TPU_RESOURCE_SCHEMA;
  schema.types = { ...schema.types, ...QUEUED_TPU_TYPES };
  return schema;
}
