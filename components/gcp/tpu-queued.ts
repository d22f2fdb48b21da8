/**
 * A TPU slice requested through Cloud TPU's queue (`tpuLaunch: queued`, launch-mode.ts): a
 * `TpuQueuedResource` (tpu-queued-resource.ts) whose node is the one a `tpu.V2Vm` gets (tpu.ts:
 * the same boot metadata, service account, data disks, labels, tag and network), in the spot tier
 * for a spot offer or the guaranteed tier of the plan's reservation, waiting up to
 * `plan.tpuQueue.validUntilSeconds` (`retry.duration`) for capacity. `pulumi up` waits with it.
 *
 * Its id (the queued resource's and its TPU VM's) derives from the environment's identity, never
 * random: an update interrupted while it waited finds its request again. So a replacement deletes
 * the old TPU VM first (deleteBeforeReplace), with or without data disks. The project must be
 * known to call the API: the plan's, else the provider's (an invoke). Declared by the `dstack`
 * plugin (`plan.tpuQueue.pluginVersion`), it is the plugin's own resource, else a dynamic one.
 */
import * as pulumi from "@pulumi/pulumi";
import * as organizations from "@pulumi/gcp/organizations";
import type { CloudResult } from "../cloud-plan";
import { gcpName } from "../identity";
import { SSH_USER, type MachineInputs } from "./boot";
import { child, childOptions, invokeOptions, type GcpContext } from "./context";
import { childNames } from "./names";
import { checkTpuPower } from "./power";
import { tpuDependsOn, tpuNode, tpuPowerWarnings } from "./tpu";
import { reservationPath } from "./tpu-request";
import { PluginTpuQueuedResource, TpuQueuedResource, type TpuQueuedResourceArgs } from "./tpu-queued-resource";

/** The queued resource's id: the identity's GCP name (RFC 1035, 63 characters). */
export function queuedTpuId(ctx: GcpContext): string {
  return gcpName(ctx.plan.identity, 63);
}

/** The project the API is called in: the plan's, else the provider's. */
async function tpuProject(ctx: GcpContext): Promise<string> {
  const project = ctx.project ?? ((await organizations.getClientConfig(invokeOptions(ctx))).project || undefined);
  if (project === undefined) throw new Error(`${ctx.plan.name}: a queued TPU needs a project: set gcp.project, or the provider's project (gcp:project)`);
  return project;
}

/** A warning when the queued resource is not ACTIVE (a spot TPU the cloud took back is SUSPENDED). */
function stateWarnings(ctx: GcpContext, resource: TpuQueuedResource | PluginTpuQueuedResource): pulumi.Output<string[]> {
  return pulumi.all([resource.state, resource.urn]).apply(([state, urn]) => {
    const power = tpuPowerWarnings(ctx);
    if (state === "ACTIVE" || state === undefined || state === "") return power;
    return [...power, `the queued TPU is ${state} (a spot TPU Cloud TPU took back is SUSPENDED): the next pulumi up --refresh asks for it again (or pulumi up --replace '${urn}')`];
  });
}

export async function declareQueuedTpu(ctx: GcpContext, inputs: MachineInputs): Promise<CloudResult> {
  const { plan } = ctx;
  if (plan.tpuQueue === undefined) throw new Error(`${plan.name}: declareQueuedTpu without a queued launch`);
  checkTpuPower(ctx);
  const project = await tpuProject(ctx);
  const name = childNames.vm(plan.name);
  const args: TpuQueuedResourceArgs = { project, zone: inputs.zone, nodeId: queuedTpuId(ctx), ...tpuNode(ctx, inputs), validUntilSeconds: plan.tpuQueue.validUntilSeconds };
  if (plan.offer.spot) args.spot = true;
  if (plan.reservation !== undefined) args.reservationName = reservationPath(plan.reservation, project, inputs.zone);
  const options: pulumi.CustomResourceOptions = {
    dependsOn: tpuDependsOn(inputs),
    // The id is fixed: the old TPU VM goes before the new one is asked for.
    deleteBeforeReplace: true,
    // How long the request waits is for its creation only.
    ignoreChanges: ["validUntilSeconds"],
  };
  const [given, opts] = child(ctx, "tpu", name, args, childOptions(ctx, options));
  const { pluginVersion } = plan.tpuQueue;
  // Inside the plugin: its own resource (any language); in a TypeScript program: the dynamic resource.
  const resource = pluginVersion === undefined ? new TpuQueuedResource(name, given, opts) : new PluginTpuQueuedResource(name, given, pluginVersion, opts);
  return {
    instanceId: resource.id,
    publicIp: resource.publicIp,
    zone: resource.zone,
    sshUser: SSH_USER,
    liveWarnings: stateWarnings(ctx, resource),
  };
}
