/**
 * What a GCP VM boots: GPU VMs a Deep Learning VM image (NVIDIA driver, Docker and the NVIDIA
 * container toolkit), CPU VMs Ubuntu 24.04 LTS (Docker is installed at boot), TPU VMs the TPU
 * runtime of their generation. Images are named by family, so a new VM gets the family's latest.
 */
import type { Offer } from "../../offers/offer";

/**
 * Deep Learning VM, CUDA 12.8, Ubuntu 22.04, NVIDIA driver 570 preinstalled. The 570 branch drives
 * every GPU the catalog offers on GCP (P100 and V100 included, which branches after 580 drop); the
 * older `common-cu124-ubuntu-2204-py310` family installs the driver at first boot instead. The
 * `install-nvidia-driver` metadata key is set as well: harmless here, needed by the older families.
 */
export const GPU_IMAGE = "projects/deeplearning-platform-release/global/images/family/common-cu128-ubuntu-2204-nvidia-570";

export const CPU_IMAGES = {
  x86: "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64",
  arm: "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64",
} as const;

/** The boot image of a (non-TPU) VM offer. */
export function bootImage(offer: Offer): string {
  if (offer.gpu === null) return CPU_IMAGES[offer.arch];
  if (offer.arch !== "x86") throw new Error(`no GPU boot image for ${offer.arch} machine type ${offer.instance_type}`);
  return GPU_IMAGE;
}

/** The metadata the image needs besides the startup script and keys. */
export function imageMetadata(offer: Offer): Record<string, string> {
  return offer.gpu === null ? {} : { "install-nvidia-driver": "True" };
}

/** The TPU runtime (software version) of a TPU generation, as dstack picks it (`_get_tpu_runtime_version`). */
export function tpuRuntimeVersion(version: string): string {
  if (version === "v6e") return "v2-alpha-tpuv6e";
  if (version === "v5litepod") return "v2-alpha-tpuv5-lite";
  // Cloud TPU's runtime table: v5p runs v2-alpha-tpuv5 (tpu-ubuntu2204-base is for v2 to v4).
  if (version === "v5p") return "v2-alpha-tpuv5";
  return "tpu-ubuntu2204-base";
}
