/**
 * A TPU VM (`tpu.V2Vm`) for a TPU offer: the slice, the runtime of its generation, spot, the data
 * disks, the boot metadata, an external IP, the service account, and the network tag the firewall
 * rule targets. The boot disk is the TPU's own (100 GB, not configurable).
 * The data disks are in volume-name order (the boot finds them as `persistent-disk-<n>`): a
 * reordered configuration changes nothing. Any other change to them replaces the TPU VM, deleting
 * the old one first: the TPU API would detach a removed disk live, under its mounted file system,
 * and a disk attaches read-write to one VM at a time. The TPU VM depends on its declared disks (a
 * destroy that deletes them waits for the VM to be gone).
 * Day two: the network and subnetwork are as the API normalises them (a full resource path);
 * the TPU VM ignores them as read back and is replaced when the declared ones change (its
 * replacement trigger). A TPU VM cannot be stopped here (power.ts) and waits for a new service
 * account (identity.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as tpu from "@pulumi/gcp/tpu";
import { describePowerOff, powerOffLimits } from "../../bootstrap/power-off";
import type { CloudResult } from "../cloud-plan";
import { SSH_USER, vmServiceAccount, type MachineInputs } from "./boot";
import { childOptions, child, type GcpContext } from "./context";
import { tpuRuntimeVersion } from "./image";
import { childNames } from "./names";
import { checkTpuPower } from "./power";

/** A TPU VM that powers itself off stays off: Pulumi cannot start it. */
export function tpuPowerWarnings(ctx: GcpContext): string[] {
  const when = describePowerOff(powerOffLimits(ctx.plan.spec));
  if (when === null) return [];
  return [`the TPU VM powers itself off ${when}, and Pulumi cannot start a TPU VM: start it with gcloud compute tpus tpu-vm start (set max_duration: off to keep it up)`];
}

/** The TPU VM's node as both launches give it (a `tpu.V2Vm`, or a queued resource's node: tpu-queued.ts). */
export interface TpuNode {
  acceleratorType: string;
  runtimeVersion: string;
  description: string;
  metadata: pulumi.Input<Record<string, string>>;
  networkConfig: { enableExternalIps: boolean; network: string; subnetwork?: string };
  serviceAccount: { email: pulumi.Output<string>; scopes: string[] };
  labels: Record<string, string>;
  tags: string[];
  /** The volumes' disks in volume-name order (absent without volumes). */
  dataDisks?: { sourceDisk: pulumi.Input<string>; mode: "READ_WRITE" }[];
}

/** The node of the plan's TPU offer: slice, runtime, boot metadata, network, identity, labels, tag and data disks. */
export function tpuNode(ctx: GcpContext, inputs: MachineInputs): TpuNode {
  const { offer } = ctx.plan;
  if (!offer.tpu) throw new Error(`${offer.instance_type} is not a TPU offer`);
  const node: TpuNode = {
    acceleratorType: offer.instance_type,
    runtimeVersion: tpuRuntimeVersion(offer.tpu.version),
    description: `dstack dev environment ${ctx.plan.runName}`,
    metadata: inputs.metadata,
    networkConfig: { enableExternalIps: true, network: ctx.network, subnetwork: ctx.subnetwork },
    serviceAccount: vmServiceAccount(inputs.account),
    labels: ctx.labels,
    tags: [ctx.tag],
  };
  if (inputs.disks.length > 0) node.dataDisks = inputs.disks.map((disk) => ({ sourceDisk: disk.id, mode: "READ_WRITE" }));
  return node;
}

/** What the TPU VM waits for: the secrets' access, and its declared disks (a destroy deletes them after it). */
export function tpuDependsOn(inputs: MachineInputs): pulumi.Resource[] {
  return [...inputs.dependsOn, ...inputs.disks.flatMap((disk) => (disk.resource ? [disk.resource] : []))];
}

export function declareTpuVm(ctx: GcpContext, inputs: MachineInputs): CloudResult {
  const { plan } = ctx;
  checkTpuPower(ctx);
  const name = childNames.vm(plan.name);
  const { dataDisks, ...node } = tpuNode(ctx, inputs);
  const args: tpu.V2VmArgs = { project: ctx.project, zone: inputs.zone, ...node };
  if (plan.offer.spot) args.schedulingConfig = { spot: true };
  // A TPU VM cannot name its reservation: `reserved` takes the project's reserved TPU capacity.
  if (plan.reservation !== undefined) args.schedulingConfig = { ...args.schedulingConfig, reserved: true };
  const options: pulumi.CustomResourceOptions = {
    dependsOn: tpuDependsOn(inputs),
    ignoreChanges: ["networkConfig.network", "networkConfig.subnetwork"],
    replacementTrigger: JSON.stringify({ network: ctx.network, subnetwork: ctx.subnetwork ?? null }),
    // Also when the last disk goes: the TPU API would detach it live.
    replaceOnChanges: ["dataDisks"],
  };
  if (dataDisks !== undefined) {
    args.dataDisks = dataDisks;
    options.deleteBeforeReplace = true;
  }
  const vm = new tpu.V2Vm(name, ...child(ctx, "tpu", name, args, childOptions(ctx, options)));
  return {
    instanceId: vm.id,
    publicIp: vm.networkEndpoints.apply((endpoints) => endpoints[0]?.accessConfigs?.[0]?.externalIp ?? ""),
    zone: vm.zone,
    sshUser: SSH_USER,
    liveWarnings: pulumi.output(tpuPowerWarnings(ctx)),
  };
}
