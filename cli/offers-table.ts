/**
 * The offers table `dstack-pulumi offers` prints, in the spirit of `dstack apply`: one row per
 * offer, cheapest first, with the columns of the CLI contract.
 */
import Table from "cli-table3";
import { formatUsd } from "../offers/describe";
import type { Offer } from "../offers/offer";

const HEADERS = ["#", "BACKEND", "REGION", "ZONES", "INSTANCE TYPE", "CPUS", "MEMORY", "GPU", "DISK", "SPOT", "$/H"];
const ALIGN = ["right", "left", "left", "left", "left", "right", "right", "left", "right", "left", "right"] as const;

/** `a,b,c` for zones `us-central1-a...`; `any` when the catalog does not know them. */
export function formatZones(offer: Offer): string {
  if (offer.zones.length === 0) return "any";
  return offer.zones.map((zone) => zone.slice(offer.region.length).replace(/^-/, "")).join(",");
}

/** `8xA100 (80GB)`, `TPU v5litepod-8 (8 chips)`, or `-`. */
export function formatAccelerator(offer: Offer): string {
  if (offer.tpu) return `TPU ${offer.tpu.chips} chips${offer.tpu.hbm_gb ? ` (${offer.tpu.hbm_gb}GB)` : ""}`;
  if (offer.gpu) return `${offer.gpu.count}x${offer.gpu.name} (${offer.gpu.memory_gb}GB)`;
  return "-";
}

/** `$1.006`, `$27.45`, `$0.0279` (up to 4 decimals, at least 2), `~` in front of an estimated price. */
export function formatPrice(offer: Offer): string {
  return `${offer.estimated_price ? "~" : ""}${formatUsd(offer.price_per_hour)}`;
}

export function offersTable(offers: readonly Offer[]): string {
  const table = new Table({
    // cli-table3 aligns header cells given as objects; its typings only admit strings.
    head: HEADERS.map((content, i) => ({ content, hAlign: ALIGN[i] })) as unknown as string[],
    chars: {
      top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
      left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  ",
    },
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
    colAligns: [...ALIGN],
  });
  offers.forEach((offer, i) => {
    table.push([
      String(i + 1), offer.backend, offer.region, formatZones(offer), offer.instance_type, String(offer.cpus), `${offer.memory_gb}GB`,
      formatAccelerator(offer), `${offer.disk_gb}GB`, offer.spot ? "spot" : "no", formatPrice(offer),
    ]);
  });
  return table.toString().split("\n").map((line) => line.trimEnd()).join("\n");
}
