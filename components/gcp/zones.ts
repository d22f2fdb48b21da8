/**
 * Where the VM goes. In order: the zone of the volumes it attaches (network volumes are zonal; that
 * the offer and the args allow it is checked by the caller, build-environment.ts), the plan's zone
 * (lock or arg), the zone an earlier deployment kept (while it offers the type), the first of the
 * offer's zones (sorted), else the first zone of
 * the region (sorted, status UP) that really offers the machine type (`compute.getMachineTypes`) or
 * the TPU type (`tpu.getV2AcceleratorTypes`). GPUs attached to N1 cannot be checked this way (the
 * provider has no accelerator-type invoke): the catalog's zones cover them.
 */
import * as compute from "@pulumi/gcp/compute";
import * as tpu from "@pulumi/gcp/tpu";
import type { ZoneToKeep } from "../kept-placement";
import { invokeOptions, type GcpContext } from "./context";

/** The region's zones, asked for once per build. */
export class RegionZones {
  private names: Promise<string[]> | undefined;

  constructor(private readonly ctx: GcpContext) {}

  /** The zones of the offer's region that are UP, sorted. */
  all(): Promise<string[]> {
    this.names ??= compute
      .getZones({ project: this.ctx.project, region: this.ctx.plan.offer.region, status: "UP" }, invokeOptions(this.ctx))
      .then((result) => [...result.names].sort());
    return this.names;
  }

  /** The first zone (sorted) where the offer's machine or TPU type is offered. */
  async firstOffering(): Promise<string> {
    const { offer } = this.ctx.plan;
    for (const zone of await this.all()) {
      if (await this.offers(zone)) return zone;
    }
    throw new Error(`${this.ctx.plan.name}: ${offer.instance_type} is offered in no zone of ${offer.region}`);
  }

  /** True when `zone` offers the offer's machine or TPU type. */
  async offers(zone: string): Promise<boolean> {
    const { offer } = this.ctx.plan;
    const opts = invokeOptions(this.ctx);
    if (offer.tpu) {
      const result = await tpu.getV2AcceleratorTypes({ project: this.ctx.project, zone }, opts);
      return result.types.includes(offer.instance_type);
    }
    const filter = `name = "${offer.instance_type}"`;
    const result = await compute.getMachineTypes({ project: this.ctx.project, zone, filter }, opts);
    return result.machineTypes.some((type) => type.name === offer.instance_type);
  }
}

/**
 * True when the kept zone still offers the offer: the catalog names it, or GCP offers the type
 * there (for N1 with GPUs, which no invoke can check, only the catalog's zones count).
 */
async function stillOffered(ctx: GcpContext, zones: RegionZones, kept: ZoneToKeep): Promise<boolean> {
  const { offer } = ctx.plan;
  if (kept.sameInstanceType || offer.zones.includes(kept.zone)) return true;
  if (offer.zones.length > 0 && offer.gpu !== null && offer.instance_type.startsWith("n1-")) return false;
  return zones.offers(kept.zone);
}

/**
 * The VM's zone (see the file comment); `volumeZone` is the zone of the disks it attaches, if any
 * exist yet. The zone an earlier deployment kept comes before the offer's zones while it offers the
 * type. `free`: no volume, pin or lock chose it.
 */
export async function chooseZone(ctx: GcpContext, zones: RegionZones, volumeZone: string | undefined): Promise<{ zone: string; free: boolean }> {
  const { plan } = ctx;
  const fixed = volumeZone ?? plan.zone;
  if (fixed !== undefined) return { zone: fixed, free: false };
  const kept = plan.keptZone;
  if (kept !== undefined && (await stillOffered(ctx, zones, kept))) return { zone: kept.zone, free: true };
  return { zone: [...plan.offer.zones].sort()[0] ?? (await zones.firstOffering()), free: true };
}
