/**
 * A GCE VM's power and address. `desiredStatus` holds the desired state (`RUNNING`, or
 * `TERMINATED`: stopped, the boot disk and volumes kept). A VM that powered itself off (idle,
 * `max_duration`) or that GCP stopped (spot preemption, `instanceTerminationAction: STOP`) is
 * stopped behind Pulumi's back: a refresh reads its status, so `pulumi up --refresh` (or
 * `options: {refresh: always}` in Pulumi.yaml) starts it again. With `elasticIp`, a static external
 * address (`compute.Address`) keeps the IP across stops and starts. The VM as it is now
 * (`compute.getInstance`) gives a warning when it is stopped. TPU VMs have no desired state in
 * the provider: `running: false` and a static address are refused for them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import { stoppedVmWarning } from "../power";
import { childOptions, invokeOptions, child, type GcpContext } from "./context";
import { childNames } from "./names";

/** `desiredStatus` of the plan's VM. */
export function desiredStatus(ctx: GcpContext): "RUNNING" | "TERMINATED" {
  return ctx.plan.running ? "RUNNING" : "TERMINATED";
}

/** Refuses what a TPU VM cannot do here. */
export function checkTpuPower(ctx: GcpContext): void {
  const { plan } = ctx;
  if (!plan.running) {
    throw new Error(`${plan.name}: running: false cannot stop a TPU VM (${plan.offer.instance_type}): the provider has no stopped state for TPU VMs. Remove the environment (pulumi destroy; the volumes are kept) to stop paying for it, or use gcloud compute tpus tpu-vm stop.`);
  }
  if (plan.elasticIp === true) throw new Error(`${plan.name}: elasticIp: a TPU VM cannot take a static external address`);
}

/** The static external address of the VM (`elasticIp`), in the offer's region. */
export function declareStaticAddress(ctx: GcpContext): compute.Address {
  const { plan } = ctx;
  const name = childNames.address(plan.name);
  const args: compute.AddressArgs = { project: ctx.project, region: plan.offer.region, addressType: "EXTERNAL", description: "dstack dev environment address", labels: ctx.labels };
  return new compute.Address(name, ...child(ctx, "address", name, args, childOptions(ctx)));
}

/** What GCE says about the VM now: a warning when it should run and does not. */
export function liveWarnings(ctx: GcpContext, instance: compute.Instance): pulumi.Output<string[]> {
  const { plan } = ctx;
  return pulumi.all([instance.name, instance.zone, instance.project]).apply(async ([name, zone, project]) => {
    let status: string;
    try {
      status = (await compute.getInstance({ name, zone, project }, invokeOptions(ctx))).currentStatus;
    } catch {
      return [];
    }
    return plan.running && status !== "RUNNING" && status !== "PROVISIONING" && status !== "STAGING" ? [stoppedVmWarning(plan, status)] : [];
  });
}
