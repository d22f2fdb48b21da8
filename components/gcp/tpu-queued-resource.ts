/**
 * `TpuQueuedResource`: a Cloud TPU queued resource with its TPU VM, as a Pulumi dynamic resource
 * (`pulumi-nodejs:dynamic/dstack:TpuQueuedResource`). `@pulumi/gcp`'s own `tpu.V2QueuedResource`
 * cannot carry a dev environment: its node takes no metadata (the boot script), no service account,
 * no data disks and no spot tier.
 *
 * Pulumi serializes the provider object below into the resource's state (`__provider`) and runs it
 * in its dynamic-provider process. Its methods hold no closure over this module: each loads
 * tpu-queued-ops.js when called, by the absolute path it has in this installation, else by the
 * package's name from the program's folder (a state written on another machine). The token is
 * obtained in that process at each call (tpu-token.ts) and never passes through the inputs.
 *
 * Inside the `dstack` plugin (a component constructed for a Python, Go, .NET or YAML program) the
 * same resource is `PluginTpuQueuedResource` (`dstack:index:TpuQueuedResource`): a custom resource
 * whose create, read, update, delete and diff the plugin itself serves with the same operations
 * (provider/tpu-resource.ts), so no dynamic provider and no program folder are needed.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PLUGIN_QUEUED_TPU_TYPE, type QueuedTpuDisk } from "./tpu-request";

/** Where the provider's operations are, in this installation (a plain string: serialized as is). */
const OPS_MODULE = path.join(__dirname, "tpu-queued-ops.js");
/** The same module by the package's name (package.json `exports`), resolved from the program's folder. */
const OPS_PACKAGE = "pulumi-dstack/dynamic/tpu-queued-ops";

/** Loads tpu-queued-ops.js (see the file comment). Runs inside Pulumi's dynamic-provider process. */
function loadOps(): typeof import("./tpu-queued-ops") {
  const tried: string[] = [];
  for (const candidate of [OPS_MODULE, OPS_PACKAGE]) {
    try {
      return require(candidate);
    } catch (error) {
      const missing = (error as { code?: string }).code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || ((error as { code?: string }).code === "MODULE_NOT_FOUND" && String((error as Error).message).includes(candidate));
      if (!missing) throw error;
      tried.push(candidate);
    }
  }
  throw new Error(`the queued TPU provider cannot find its code (tried ${tried.join(", ")}): install pulumi-dstack in the program's folder (npm install pulumi-dstack)`);
}

/** The dynamic provider: each method loads the operations and calls them. */
export const queuedTpuProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return loadOps().create(inputs);
  },
  async read(id, props) {
    return loadOps().read(id, props ?? {});
  },
  async update(id, olds, news) {
    return loadOps().update(id, olds, news);
  },
  async delete(id, props) {
    await loadOps().destroy(id, props);
  },
  async diff(_id, olds, news) {
    return loadOps().diff(olds, news);
  },
};

/** The args of a queued TPU: the node of a `tpu.V2Vm`, the tier, and how long to wait (tpu-request.ts). */
export interface TpuQueuedResourceArgs {
  project: pulumi.Input<string>;
  zone: pulumi.Input<string>;
  /** The queued resource's and its TPU VM's id. */
  nodeId: pulumi.Input<string>;
  acceleratorType: pulumi.Input<string>;
  runtimeVersion: pulumi.Input<string>;
  description: pulumi.Input<string>;
  metadata: pulumi.Input<Record<string, string>>;
  labels: pulumi.Input<Record<string, string>>;
  tags: pulumi.Input<string[]>;
  networkConfig: pulumi.Input<{ enableExternalIps: boolean; network: string; subnetwork?: string }>;
  serviceAccount: pulumi.Input<{ email: pulumi.Input<string>; scopes: string[] }>;
  dataDisks?: pulumi.Input<{ sourceDisk: pulumi.Input<string>; mode: QueuedTpuDisk["mode"] }>[];
  spot?: boolean;
  reservationName?: pulumi.Input<string>;
  validUntilSeconds: number;
}

/** A queued TPU: created once Cloud TPU provisioned it, its outputs those of its TPU VM. */
export class TpuQueuedResource extends pulumi.dynamic.Resource {
  /** The TPU VM's external IP. */
  declare readonly publicIp: pulumi.Output<string>;
  /** The zone. */
  declare readonly zone: pulumi.Output<string>;
  /** The queued resource's state when last read (`ACTIVE`; `SUSPENDED` once a spot TPU was taken back). */
  declare readonly state: pulumi.Output<string>;
  /** The queued resource's full name. */
  declare readonly queuedResource: pulumi.Output<string>;

  constructor(name: string, args: TpuQueuedResourceArgs, opts?: pulumi.CustomResourceOptions) {
    super(queuedTpuProvider, name, { ...args, publicIp: undefined, state: undefined, queuedResource: undefined }, opts, "dstack", "TpuQueuedResource");
  }
}

/** The queued TPU as the `dstack` plugin's own resource (`dstack:index:TpuQueuedResource`); the same args and outputs. */
export class PluginTpuQueuedResource extends pulumi.CustomResource {
  declare readonly publicIp: pulumi.Output<string>;
  declare readonly zone: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  declare readonly queuedResource: pulumi.Output<string>;

  /** `version`: the plugin's, so that the engine serves it with the provider that constructs the component. */
  constructor(name: string, args: TpuQueuedResourceArgs, version: string, opts?: pulumi.CustomResourceOptions) {
    super(PLUGIN_QUEUED_TPU_TYPE, name, { ...args, publicIp: undefined, state: undefined, queuedResource: undefined }, { ...opts, version });
  }
}
