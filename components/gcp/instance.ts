/**
 * A GCE VM for a non-TPU offer: the machine type, N1's attached GPUs, the maintenance and spot
 * policy, the boot disk, the network (external IP, static with `elasticIp`; the firewall's tag),
 * the service account, the volumes, the boot metadata and the desired power state (power.ts).
 * Volumes are attached by their own `AttachedDisk` children (disks.ts), so the VM ignores
 * `attachedDisks`; with volumes, a replacement deletes the old VM first (a disk attaches
 * read-write to one VM at a time), and the VM depends on its declared disks (a destroy that
 * deletes them waits for the VM to be gone).
 * Day two: the VM ignores what GCE reads back without the program declaring it: `scratchDisks`
 * (the Local SSDs that a2-ultragpu, a3 and `-lssd` types bring; hashicorp/terraform-provider-google#19648)
 * and the boot image (a family resolves to the newest image). Its replacement trigger is the image
 * family: a new family (a GPU type after a CPU one) replaces the VM, a newer image does not.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { Offer } from "../../offers/offer";
import type { CloudResult } from "../cloud-plan";
import { SSH_USER, vmServiceAccount, type MachineInputs } from "./boot";
import { childOptions, child, type GcpContext } from "./context";
import { attachDisks } from "./disks";
import { bootImage } from "./image";
import { attachedAccelerator, diskTypeFor, needsTerminateOnMaintenance } from "./machine";
import { childNames } from "./names";
import { declareStaticAddress, desiredStatus, liveWarnings } from "./power";

/**
 * Spot: `SPOT` (which requires `preemptible` and no automatic restart) and `STOP` when GCP reclaims
 * the VM, as dstack does: the boot disk stays and the VM can be started again, and the instance in
 * the state stays real (with `DELETE` it would vanish under Pulumi). GPU VMs stop for host maintenance.
 */
export function scheduling(offer: Offer): compute.InstanceArgs["scheduling"] {
  if (offer.spot) {
    return { provisioningModel: "SPOT", preemptible: true, automaticRestart: false, instanceTerminationAction: "STOP", onHostMaintenance: "TERMINATE" };
  }
  return needsTerminateOnMaintenance(offer) ? { onHostMaintenance: "TERMINATE", automaticRestart: true } : undefined;
}

export function declareInstance(ctx: GcpContext, inputs: MachineInputs): CloudResult {
  const { plan } = ctx;
  const { offer } = plan;
  const accelerator = attachedAccelerator(offer);
  const name = childNames.vm(plan.name);
  const address = plan.elasticIp === true ? declareStaticAddress(ctx) : undefined;
  const args: compute.InstanceArgs = {
    project: ctx.project,
    zone: inputs.zone,
    machineType: offer.instance_type,
    description: `dstack dev environment ${plan.runName}`,
    // No labels on the boot disk: `initializeParams` is creation-time, a new tag would recreate the VM.
    bootDisk: { autoDelete: true, initializeParams: { image: bootImage(offer), size: offer.disk_gb, type: diskTypeFor(offer.instance_type) } },
    networkInterfaces: [{ network: ctx.network, subnetwork: ctx.subnetwork, accessConfigs: [address ? { natIp: address.address } : {}] }],
    metadata: inputs.metadata,
    tags: [ctx.tag],
    serviceAccount: vmServiceAccount(inputs.account),
    labels: ctx.labels,
    // A new machine type or service account needs the VM stopped; a dev box may be.
    allowStoppingForUpdate: true,
    desiredStatus: desiredStatus(ctx),
  };
  if (accelerator) args.guestAccelerators = [accelerator];
  const policy = scheduling(offer);
  if (policy) args.scheduling = policy;
  if (plan.reservation !== undefined) {
    // dstack's GCP backend targets a reservation by name, as here.
    args.reservationAffinity = { type: "SPECIFIC_RESERVATION", specificReservation: { key: "compute.googleapis.com/reservation-name", values: [plan.reservation] } };
  }
  const declaredDisks = inputs.disks.flatMap((disk) => (disk.resource ? [disk.resource] : []));
  const options: pulumi.CustomResourceOptions = {
    dependsOn: [...inputs.dependsOn, ...declaredDisks],
    ignoreChanges: ["attachedDisks", "scratchDisks", "bootDisk.initializeParams.image"],
    replacementTrigger: JSON.stringify({ image: bootImage(offer) }),
  };
  if (inputs.disks.length > 0) options.deleteBeforeReplace = true;
  const instance = new compute.Instance(name, ...child(ctx, "instance", name, args, childOptions(ctx, options)));
  attachDisks(ctx, inputs.disks, instance, inputs.zone);
  return {
    instanceId: instance.instanceId,
    publicIp: instance.networkInterfaces.apply((nics) => nics[0]?.accessConfigs?.[0]?.natIp ?? ""),
    zone: instance.zone,
    sshUser: SSH_USER,
    liveWarnings: liveWarnings(ctx, instance),
  };
}
