/**
 * What a GCP VM or TPU VM boots with: the bootstrap script as its `startup-script` metadata (GCP
 * runs it at every boot; changing it does not recreate the VM, unlike `metadataStartupScript`), the
 * user's key for `ubuntu` as `ssh-keys`, `block-project-ssh-keys` (the project's SSH keys cannot log
 * in, unless `gcp.allowProjectSshKeys`), and the service account the script reads the secrets with.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as serviceaccount from "@pulumi/gcp/serviceaccount";
import { renderBootPayload } from "../../bootstrap/render";
import type { AttachedVolume, BootstrapTarget } from "../../bootstrap/types";
import { bootRepo } from "../cloud-plan";
import type { GcpContext } from "./context";
import { vmDeviceName, type VolumeDisk } from "./disks";
import { VM_SCOPES } from "./identity";
import type { DeclaredSecrets } from "./secrets";

/** The user on GCP images (the key goes to it). */
export const SSH_USER = "ubuntu";

/** How the script finds each volume: VMs name the device `pd-<volume>`; TPU VMs number their data disks in `disks` order. */
export function attachedVolumes(target: BootstrapTarget, disks: VolumeDisk[]): AttachedVolume[] {
  return disks.map(({ volume, formatIfBlank }, index) => ({
    name: volume.name,
    path: volume.path,
    device: { kind: "gcp-pd", deviceName: target === "gcp-tpu-vm" ? `persistent-disk-${index + 1}` : vmDeviceName(volume.name) },
    formatIfBlank,
  }));
}

/**
 * `startup-script` and `ssh-keys` (plus what the image needs). The script holds no secret. In a
 * preview whose SSH key comes from a resource not created yet, an output that waits for the key.
 */
export function bootMetadata(
  ctx: GcpContext,
  target: BootstrapTarget,
  disks: VolumeDisk[],
  secrets: DeclaredSecrets,
  extra: Record<string, string> = {},
): pulumi.Input<Record<string, string>> {
  const { plan } = ctx;
  const metadata = (sshPublicKey: string): Record<string, string> => {
    const payload = renderBootPayload({
      target,
      runName: plan.runName,
      spec: plan.spec,
      offer: plan.offer,
      sshPublicKey,
      volumes: attachedVolumes(target, disks),
      secretEnv: secrets.secretEnv,
      ...(secrets.registryPassword ? { registryPassword: secrets.registryPassword } : {}),
      ...bootRepo(plan, secrets.repoToken),
    });
    if (payload.startupScript === null) throw new Error(`no startup script for ${target}`);
    const projectKeys: Record<string, string> = plan.gcp?.allowProjectSshKeys === true ? {} : { "block-project-ssh-keys": "TRUE" };
    return checkMetadataSize(plan.name, { ...extra, ...projectKeys, "startup-script": payload.startupScript, "ssh-keys": `${SSH_USER}:${sshPublicKey}` });
  };
  return plan.sshPublicKeyPending ? plan.sshPublicKeyPending.apply(metadata) : metadata(plan.sshPublicKey);
}

/** GCE's limits on metadata: 256 KB per value, 512 KB in all (keys and values). */
export const METADATA_VALUE_LIMIT = 256 * 1024;
export const METADATA_TOTAL_LIMIT = 512 * 1024;

/** `metadata` when GCE takes it, else an error that names the value and its size. */
export function checkMetadataSize(name: string, metadata: Record<string, string>): Record<string, string> {
  let total = 0;
  for (const [key, value] of Object.entries(metadata)) {
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes > METADATA_VALUE_LIMIT) {
      throw new Error(`${name}: the ${key} metadata is ${bytes} bytes; GCE takes at most ${METADATA_VALUE_LIMIT} per value (shorten init, or move long commands into a file of the repository)`);
    }
    total += bytes + Buffer.byteLength(key, "utf8");
  }
  if (total > METADATA_TOTAL_LIMIT) throw new Error(`${name}: the VM's metadata is ${total} bytes; GCE takes at most ${METADATA_TOTAL_LIMIT} in all`);
  return metadata;
}

/** The VM's identity: its own service account, scope `cloud-platform` (its IAM roles limit it). */
export function vmServiceAccount(account: serviceaccount.Account): { email: pulumi.Output<string>; scopes: string[] } {
  return { email: account.email, scopes: [...VM_SCOPES] };
}

/** What the VM or TPU VM builder gets besides the context. */
export interface MachineInputs {
  zone: string;
  account: serviceaccount.Account;
  disks: VolumeDisk[];
  /** `bootMetadata`'s result. */
  metadata: pulumi.Input<Record<string, string>>;
  /** What must exist before the machine boots (the secrets and the access to them). */
  dependsOn: pulumi.Resource[];
}
