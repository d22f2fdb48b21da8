/**
 * A TPU VM (`tpu.V2Vm`) for a TPU offer: the slice, the runtime of its generation, spot, the data
 * disks (attached at creation: GCP does not attach disks to a TPU VM being created), the boot
 * metadata, an external IP, the service account, and the network tag the firewall rule targets.
 * The boot disk is the TPU's own (100 GB, not configurable).
 */
import * as tpu from "@pulumi/gcp/tpu";
import type { CloudResult } from "../cloud-plan";
import { SSH_USER, vmServiceAccount, type MachineInputs } from "./boot";
import { childOptions, transformed, type GcpContext } from "./context";
import { tpuRuntimeVersion } from "./image";
import { childNames } from "./names";

export function declareTpuVm(ctx: GcpContext, inputs: MachineInputs): CloudResult {
  const { plan } = ctx;
  const { offer } = plan;
  if (!offer.tpu) throw new Error(`${offer.instance_type} is not a TPU offer`);
  const name = childNames.vm(plan.name);
  const args: tpu.V2VmArgs = {
    project: ctx.project,
    zone: inputs.zone,
    acceleratorType: offer.instance_type,
    runtimeVersion: tpuRuntimeVersion(offer.tpu.version),
    description: `dstack dev environment ${plan.runName}`,
    metadata: inputs.metadata,
    networkConfig: { enableExternalIps: true, network: ctx.network, subnetwork: ctx.subnetwork },
    serviceAccount: vmServiceAccount(inputs.account),
    labels: ctx.labels,
    tags: [ctx.tag],
  };
  if (offer.spot) args.schedulingConfig = { spot: true };
  if (inputs.disks.length > 0) args.dataDisks = inputs.disks.map((disk) => ({ sourceDisk: disk.id, mode: "READ_WRITE" }));
  const vm = new tpu.V2Vm(name, transformed(ctx, "tpu", name, args), childOptions(ctx, { dependsOn: inputs.dependsOn }));
  return {
    instanceId: vm.id,
    publicIp: vm.networkEndpoints.apply((endpoints) => endpoints[0]?.accessConfigs?.[0]?.externalIp ?? ""),
    zone: vm.zone,
    sshUser: SSH_USER,
  };
}
