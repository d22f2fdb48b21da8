/**
 * Where the VM goes. In order: the zone of the volumes it attaches (network volumes are zonal; that
 * the offer and the args allow it is checked by the caller, build-environment.ts), the plan's zone
 * (lock, arg or offer), the first of the offer's zones (sorted), else the first zone of
 * the region (sorted, status UP) that really offers the machine type (`compute.getMachineTypes`) or
 * the TPU type (`tpu.getV2AcceleratorTypes`). GPUs attached to N1 cannot be checked this way (the
 * provider has no accelerator-type invoke): the catalog's zones cover them.
 */
import * as compute from "@pulumi/gcp/compute";
import * as tpu from "@pulumi/gcp/tpu";
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

  private async offers(zone: string): Promise<boolean> {
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

/** The VM's zone (see the file comment); `volumeZone` is the zone of the disks it attaches, if any exist yet. */
export async function chooseZone(ctx: GcpContext, zones: RegionZones, volumeZone: string | undefined): Promise<string> {
  const { plan } = ctx;
  if (volumeZone !== undefined) return volumeZone;
  return plan.zone ?? [...plan.offer.zones].sort()[0] ?? (await zones.firstOffering());
}
