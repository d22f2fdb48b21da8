/**
 * The image an AWS VM boots: the plan's `ami`, else a public SSM parameter that AWS keeps pointing
 * at the newest build, given as `resolve:ssm:<parameter>`. The launch template stores that text
 * as it is and EC2 resolves it at launch, so a newer image is no diff on the next preview; it is
 * used when the VM is next replaced.
 * - GPU offers: the AWS Deep Learning Base OSS Nvidia Driver AMI on Ubuntu 22.04 (NVIDIA driver,
 *   Docker and the NVIDIA container toolkit installed), as dstack uses on AWS.
 * - CPU offers: Canonical's Ubuntu 24.04 LTS (gp3 root); the bootstrap installs Docker.
 */
import type { Offer } from "../../offers/offer";

/** The SSH user of these images. */
export const AWS_SSH_USER = "ubuntu";

/** The root device of the Ubuntu and Deep Learning images (the launch template sizes it). */
export const ROOT_DEVICE = "/dev/sda1";

const GPU_IMAGE: Record<Offer["arch"], string> = {
  x86: "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id",
  arm: "/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id",
};

const CPU_IMAGE: Record<Offer["arch"], string> = {
  x86: "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
  arm: "/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id",
};

/** The launch template's `imageId` for `offer`: `ami` when given, else `resolve:ssm:<public parameter>`. */
export function imageFor(offer: Offer, ami: string | undefined): string {
  if (ami !== undefined && ami !== "") return ami;
  if (offer.gpu) {
    if (offer.gpu.vendor !== "nvidia") throw new Error(`no default AWS image for ${offer.gpu.vendor} GPUs (${offer.instance_type}): give ami`);
    return `resolve:ssm:${GPU_IMAGE[offer.arch]}`;
  }
  return `resolve:ssm:${CPU_IMAGE[offer.arch]}`;
}
