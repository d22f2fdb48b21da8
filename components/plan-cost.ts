/**
 * What a planned environment costs: the compute price of the offer per hour (and per month of 730
 * hours), and the disks per month at list prices per GB-month (estimates: they vary a little by
 * region; TPU VM boot disks are left out, their price is part of the TPU's).
 */
import type { PlannedResource } from "./plan-run";

export const HOURS_PER_MONTH = 730;

/** USD per GB-month (us-east-1 / us-central1 list prices). */
export const DISK_PRICES: Record<string, number> = { gp3: 0.08, "pd-balanced": 0.1, "hyperdisk-balanced": 0.08, "pd-ssd": 0.17, "pd-standard": 0.04 };

export interface DiskCost {
  resource: string;
  role: "boot disk" | "volume";
  size_gb: number;
  type: string;
  per_month: number;
}

export interface PlanCost {
  compute_per_hour: number;
  compute_per_month: number;
  disks: DiskCost[];
  disks_per_month: number;
  estimated: boolean;
}

const round = (value: number) => Math.round(value * 100) / 100;

function disk(resource: string, role: DiskCost["role"], size: unknown, type: unknown): DiskCost | null {
  if (typeof size !== "number") return null;
  const kind = typeof type === "string" ? type.replace(/^.*\//, "") : "pd-balanced";
  return { resource, role, size_gb: size, type: kind, per_month: round(size * (DISK_PRICES[kind] ?? DISK_PRICES["pd-balanced"])) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Inputs = Record<string, any>;

export function planCost(resources: readonly PlannedResource[], pricePerHour: number, estimatedPrice: boolean): PlanCost {
  const disks: DiskCost[] = [];
  for (const { type, name, inputs } of resources as readonly { type: string; name: string; inputs: Inputs }[]) {
    let cost: DiskCost | null = null;
    if (type === "aws:ec2/launchTemplate:LaunchTemplate") cost = disk(name, "boot disk", inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize, inputs.blockDeviceMappings?.[0]?.ebs?.volumeType);
    else if (type === "aws:ebs/volume:Volume") cost = disk(name, "volume", inputs.size, inputs.type);
    else if (type === "gcp:compute/instance:Instance") cost = disk(name, "boot disk", inputs.bootDisk?.initializeParams?.size, inputs.bootDisk?.initializeParams?.type);
    else if (type === "gcp:compute/disk:Disk") cost = disk(name, "volume", inputs.size, inputs.type);
    if (cost) disks.push(cost);
  }
  return {
    compute_per_hour: pricePerHour,
    compute_per_month: round(pricePerHour * HOURS_PER_MONTH),
    disks,
    disks_per_month: round(disks.reduce((sum, item) => sum + item.per_month, 0)),
    estimated: estimatedPrice,
  };
}
