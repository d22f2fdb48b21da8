/**
 * Words for requirements and offers: ranges (`2..8`, `24GB..`), a request in one line, an offer's
 * machine in one line, and what each constraint asked.
 */
import type { Range } from "../config/range";
import type { Candidate } from "./candidate";
import { acceleratorOf, BACKEND_DISK_RANGES, type ConstraintId } from "./constraints";
import type { Requirements } from "./requirements";

/** `$1.006`, `$27.45`, `$0.0279`: up to 4 decimals, at least 2. */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(4).replace(/0{1,2}$/, "")}`;
}

/** `2`, `2..`, `..8`, `2..8`, with a unit after each bound. */
export function formatRange(range: Range, unit = ""): string {
  if (range.min !== null && range.min === range.max) return `${range.min}${unit}`;
  return `${range.min === null ? "" : `${range.min}${unit}`}..${range.max === null ? "" : `${range.max}${unit}`}`;
}

/** The GPU part of a request in words: `2 x A100 80GB`, `1..2 x L4/A10G`, `v5litepod-8`. */
export function describeGpuRequest(gpu: NonNullable<Requirements["gpu"]>): string {
  const names = gpu.writtenNames?.join("/") ?? (gpu.vendor === "google" ? "TPU" : gpu.vendor === null ? "GPU" : `${gpu.vendor} GPU`);
  const memory = gpu.memory ? ` ${formatRange(gpu.memory, "GB")}` : "";
  const total = gpu.totalMemory ? ` (${formatRange(gpu.totalMemory, "GB")} in total)` : "";
  const capability = gpu.computeCapability ? ` (compute capability ${gpu.computeCapability.join(".")}+)` : "";
  return `${formatRange(gpu.count)} x ${names}${memory}${total}${capability}`;
}

const isDefault = (range: Range, min: number) => range.min === min && range.max === null;

/**
 * The whole request in one line: `2.. CPUs, 8GB.. memory, 2 x A100 80GB, 100GB.. disk, on-demand`.
 * `brief` leaves out what is at dstack's defaults (cpu 2.., memory 8GB.., disk 100GB.., x86).
 */
export function describeRequest(requirements: Requirements, brief = false): string {
  const parts: string[] = [];
  if (!brief || requirements.arch === "arm" || !isDefault(requirements.cpus, 2)) {
    parts.push(`${requirements.arch === "arm" ? "arm " : ""}${formatRange(requirements.cpus)} CPUs`);
  }
  if (!brief || !isDefault(requirements.memory, 8)) parts.push(`${formatRange(requirements.memory, "GB")} memory`);
  if (requirements.gpu && !(requirements.gpu.count.max === 0)) parts.push(describeGpuRequest(requirements.gpu));
  if (!brief || !isDefault(requirements.disk, 100)) parts.push(`${formatRange(requirements.disk, "GB")} disk`);
  if (parts.length === 0) parts.push("any machine");
  parts.push(requirements.spotPolicy === "auto" ? "spot or on-demand" : requirements.spotPolicy);
  if (requirements.maxPrice !== null) parts.push(`at most $${requirements.maxPrice}/h`);
  return parts.join(", ");
}

/** An offer's machine in one line: `8 x A100 80GB, 96 CPUs, 1152GB` or `v5litepod-8 (8 chips, 1 host)`. */
export function describeMachine(candidate: Candidate): string {
  const { instance } = candidate;
  const base = `${instance.cpus} CPUs, ${instance.memory_gb}GB`;
  if (instance.tpu) return `TPU ${instance.tpu.chips} chip${instance.tpu.chips === 1 ? "" : "s"} on ${instance.tpu.hosts} host${instance.tpu.hosts === 1 ? "" : "s"}, ${base}`;
  if (instance.gpu) return `${instance.gpu.count} x ${instance.gpu.name} ${instance.gpu.memory_gb}GB, ${base}`;
  return `${base}${instance.arch === "arm" ? ", arm" : ""}`;
}

const listed = (values: readonly string[] | null): string => (values ?? []).join(", ");

/** What a constraint asked, in the configuration's words. */
export function describeConstraint(id: ConstraintId, r: Requirements): string {
  const gpu = r.gpu;
  switch (id) {
    case "backend": return `backends [${listed(r.backends)}]`;
    case "region": return r.regions ? `regions [${listed(r.regions)}]` : "standard regions (name a Local Zone, Wavelength, GovCloud or China region in `regions` to use it)";
    case "zone": return `availability_zones [${listed(r.zones)}]`;
    case "instance_type": return `instance_types [${listed(r.instanceTypes)}]`;
    case "spot_policy": return `spot_policy ${r.spotPolicy}`;
    case "reservation": return `reservation ${r.reservation} (no spot with a reservation)`;
    case "arch": return `cpu arch ${r.arch}`;
    case "cpus": return `cpu ${formatRange(r.cpus)}`;
    case "memory": return `memory ${formatRange(r.memory, "GB")}`;
    case "gpu_vendor": return `gpu vendor ${gpu?.vendor}`;
    case "gpu_count": return `gpu count ${gpu ? formatRange(gpu.count) : ""}`;
    case "gpu_name": return `gpu name ${gpu?.writtenNames?.join(" or ")}`;
    case "gpu_memory": return `gpu memory ${gpu?.memory ? formatRange(gpu.memory, "GB") : ""}`;
    case "gpu_total_memory": return `gpu total_memory ${gpu?.totalMemory ? formatRange(gpu.totalMemory, "GB") : ""}`;
    case "compute_capability": return `gpu compute_capability ${gpu?.computeCapability?.join(".")}`;
    case "tpu_hosts": return "single-host TPU slices (a dev environment runs on one host; dstack never uses v4)";
    case "disk": {
      const allowed = Object.entries(BACKEND_DISK_RANGES).map(([backend, range]) => `${backend} ${range.min}GB..${range.max}GB`).join(", ");
      return `disk ${formatRange(r.disk, "GB")} (allowed: ${allowed})`;
    }
    case "max_price": return `max_price $${r.maxPrice}/h`;
  }
}

/** What a candidate has where it misses a constraint: `8 GPUs`, `region us-east-1`. */
export function describeMiss(id: ConstraintId, candidate: Candidate): string {
  const { instance } = candidate;
  const accelerator = acceleratorOf(instance);
  switch (id) {
    case "backend": return `backend ${instance.backend}`;
    case "region": return `region ${candidate.price.region}`;
    case "zone": return `zones ${candidate.price.zones.join(", ") || "unknown"}`;
    case "instance_type": return `instance type ${instance.instance_type}`;
    case "spot_policy":
    case "reservation": return candidate.spot ? "spot" : "on-demand";
    case "arch": return `arch ${instance.arch}`;
    case "cpus": return `${instance.cpus} CPUs`;
    case "memory": return `${instance.memory_gb}GB memory`;
    case "gpu_vendor": return accelerator ? `vendor ${accelerator.vendor}` : "no GPU";
    case "gpu_count": return accelerator ? `${accelerator.count} GPU${accelerator.count === 1 ? "" : "s"}` : "no GPU";
    case "gpu_name": return accelerator ? accelerator.name : "no GPU";
    case "gpu_memory": return accelerator ? `${accelerator.memoryGb ?? "unknown "}GB per GPU` : "no GPU";
    case "gpu_total_memory": return accelerator?.memoryGb != null ? `${accelerator.memoryGb * accelerator.count}GB in total` : "no GPU memory known";
    case "compute_capability": return accelerator ? `${accelerator.name}'s compute capability` : "no GPU";
    case "tpu_hosts": return `${instance.tpu?.hosts} host${instance.tpu?.hosts === 1 ? "" : "s"}${instance.tpu?.version === "v4" ? ", v4" : ""}`;
    case "disk": {
      const allowed = BACKEND_DISK_RANGES[instance.backend];
      return `${instance.backend} boot disks are ${allowed.min}GB..${allowed.max}GB`;
    }
    case "max_price": return `${formatUsd(candidate.pricePerHour)}/h`;
  }
}
