/**
 * The GCP builder: everything a dev environment needs on GCP, VM or TPU VM. `locate` looks the
 * volumes up (they may pin the zone) and chooses the zone, declaring nothing; its `declare` then
 * declares the firewall rules, the service account, the secrets and their bindings, the disks to
 * create, and the VM (with its disk attachments) or TPU VM (or, queued, the Cloud TPU queued
 * resource that makes it) with its boot script. Every child and
 * invoke gets the plan's parent and provider.
 */
import * as organizations from "@pulumi/gcp/organizations";
import type { CloudBuilder, CloudPlan, CloudResult, Located } from "../cloud-plan";
import { bootMetadata } from "./boot";
import { gcpContext, invokeOptions, type GcpContext } from "./context";
import { findVolumes, volumesZone, type FoundVolume } from "./disk-lookup";
import { declareVolumes } from "./disks";
import { declareFirewall } from "./firewall";
import { declareServiceAccount } from "./identity";
import { imageMetadata } from "./image";
import { declareInstance } from "./instance";
import { declareSecrets } from "./secrets";
import { declareTpuVm } from "./tpu";
import { declareQueuedTpu } from "./tpu-queued";
import { chooseZone, RegionZones } from "./zones";

async function declareGcp(ctx: GcpContext, found: FoundVolume[], zone: string): Promise<CloudResult> {
  const { plan } = ctx;
  declareFirewall(ctx);
  const account = declareServiceAccount(ctx);
  const secrets = await declareSecrets(ctx, account);
  const disks = declareVolumes(ctx, found, zone);
  const common = { zone, account, disks, dependsOn: secrets.readyBeforeBoot };
  if (plan.offer.tpu) {
    const machine = { ...common, metadata: bootMetadata(ctx, "gcp-tpu-vm", disks, secrets) };
    return plan.tpuQueue ? declareQueuedTpu(ctx, machine) : declareTpuVm(ctx, machine);
  }
  return declareInstance(ctx, { ...common, metadata: bootMetadata(ctx, "gcp-vm", disks, secrets, imageMetadata(plan.offer)) });
}

/** The project of the disks: the plan's, else the provider's (an invoke), asked only when there are volumes. */
async function volumesProject(ctx: GcpContext): Promise<string | undefined> {
  if (ctx.project !== undefined || ctx.plan.volumes.length === 0) return ctx.project;
  return (await organizations.getClientConfig(invokeOptions(ctx))).project || undefined;
}

function gcpOffer(plan: CloudPlan): void {
  if (plan.offer.backend !== "gcp") throw new Error(`${plan.name}: buildGcp got a ${plan.offer.backend} offer`);
}

export async function locateGcp(plan: CloudPlan): Promise<Located> {
  gcpOffer(plan);
  const ctx = gcpContext(plan);
  const zones = new RegionZones(ctx);
  const { found, problems } = await findVolumes(ctx, zones);
  const { zone, free } = await chooseZone(ctx, zones, volumesZone(ctx, found));
  const project = await volumesProject(ctx);
  return {
    zone,
    zoneFree: free,
    home: { backend: "gcp", region: plan.offer.region, zone, ...(project === undefined ? {} : { project }) },
    ownVolumesFound: found.filter((entry) => entry.existing !== undefined && entry.existing.ownership !== "reference").length,
    declare: () => {
      if (problems.length > 0) throw problems[0];
      return declareGcp(ctx, found, zone);
    },
  };
}

/** How many of the plan's own volumes exist in the region (lookups only). */
export async function countOwnVolumes(plan: CloudPlan): Promise<number> {
  gcpOffer(plan);
  const ctx = gcpContext({ ...plan, volumes: plan.volumes.filter((volume) => !volume.reference) });
  const { found } = await findVolumes(ctx, new RegionZones(ctx));
  return found.filter((entry) => entry.existing !== undefined).length;
}

/** Locates, then declares (for callers that need no home check). */
export async function buildGcp(plan: CloudPlan): Promise<CloudResult> {
  return (await locateGcp(plan)).declare();
}

export const gcpBuilder: CloudBuilder = { locate: locateGcp, countOwnVolumes };
