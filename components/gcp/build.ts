/**
 * The GCP builder: everything a dev environment needs on GCP, VM or TPU VM. The order: look up the
 * volumes (they may pin the zone), choose the zone, then declare the firewall rule, the service
 * account, the secrets and their bindings, the disks to create, and the VM with its boot script.
 * Every child and invoke gets the plan's parent and provider.
 */
import type { CloudPlan, CloudResult } from "../cloud-plan";
import { bootMetadata } from "./boot";
import { gcpContext } from "./context";
import { declareVolumes, findVolumes, volumesZone } from "./disks";
import { declareFirewall } from "./firewall";
import { declareServiceAccount } from "./identity";
import { imageMetadata } from "./image";
import { declareInstance } from "./instance";
import { declareSecrets } from "./secrets";
import { declareTpuVm } from "./tpu";
import { chooseZone, RegionZones } from "./zones";

export async function buildGcp(plan: CloudPlan): Promise<CloudResult> {
  if (plan.offer.backend !== "gcp") throw new Error(`${plan.name}: buildGcp got a ${plan.offer.backend} offer`);
  const ctx = gcpContext(plan);
  const zones = new RegionZones(ctx);
  const found = await findVolumes(ctx, zones);
  const zone = await chooseZone(ctx, zones, volumesZone(ctx, found));

  declareFirewall(ctx);
  const account = declareServiceAccount(ctx);
  const secrets = await declareSecrets(ctx, account);
  const disks = declareVolumes(ctx, found, zone);
  const common = { zone, account, disks, dependsOn: secrets.readyBeforeBoot };
  if (plan.offer.tpu) {
    return declareTpuVm(ctx, { ...common, metadata: bootMetadata(ctx, "gcp-tpu-vm", disks, secrets) });
  }
  return declareInstance(ctx, { ...common, metadata: bootMetadata(ctx, "gcp-vm", disks, secrets, imageMetadata(plan.offer)) });
}
