/**
 * The VM's user data: the bootstrap's `#cloud-config` (renderBootPayload), base64-encoded for
 * `Instance.userDataBase64`. EC2 takes at most 16 KB of user data before base64, and the
 * cloud-config with the whole bootstrap is larger, so a payload over the limit is gzipped
 * (deterministically, see gzip.ts); cloud-init unpacks gzip user data by itself.
 * Volume ids may be outputs (volumes created in this update), so the text is rendered inside
 * `apply`: a string only, no resource is declared there. The user data holds no secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { renderBootPayload } from "../../bootstrap/render";
import type { AttachedVolume, SecretRef } from "../../bootstrap/types";
import { bootRepo, type CloudPlan } from "../cloud-plan";
import { gzip } from "./gzip";

/** EC2's limit on user data, bytes before base64. */
export const USER_DATA_LIMIT = 16 * 1024;

/** A network volume as the bootstrap finds it: its name, its path in the container, its EBS volume id. */
export interface BootVolume {
  name: string;
  path: string;
  volumeId: pulumi.Input<string>;
  /** The boot may format it when blank (this project created it). */
  formatIfBlank: boolean;
}

/** Where the secrets are kept. */
export interface BootSecrets {
  env: Record<string, SecretRef>;
  registryPassword: SecretRef | undefined;
  repoToken: SecretRef | undefined;
}

/** `text` as EC2 user data in base64: as it is when it fits, else gzipped; too large even gzipped is an error. */
export function encodeUserData(text: string): string {
  const raw = Buffer.from(text, "utf8");
  if (raw.length <= USER_DATA_LIMIT) return raw.toString("base64");
  const packed = Buffer.from(gzip(raw));
  if (packed.length > USER_DATA_LIMIT) {
    throw new Error(`the user data is ${packed.length} bytes gzipped (${raw.length} bytes as text); EC2 takes at most ${USER_DATA_LIMIT}`);
  }
  return packed.toString("base64");
}

/** The bootstrap for these volume ids and this SSH key: the script and the `#cloud-config` that installs it. */
function renderFor(plan: CloudPlan, volumes: readonly AttachedVolume[], secrets: BootSecrets, sshPublicKey: string): { script: string; userData: string } {
  const payload = renderBootPayload({
    target: "aws-vm",
    runName: plan.runName,
    spec: plan.spec,
    offer: plan.offer,
    sshPublicKey,
    volumes: [...volumes],
    secretEnv: secrets.env,
    ...(secrets.registryPassword ? { registryPassword: secrets.registryPassword } : {}),
    ...bootRepo(plan, secrets.repoToken),
  });
  if (payload.userData === null) throw new Error("the bootstrap rendered no user data for an AWS VM");
  return { script: payload.script, userData: payload.userData };
}

/** The `#cloud-config` text for these volume ids and this SSH key. */
export function cloudConfig(plan: CloudPlan, volumes: readonly AttachedVolume[], secrets: BootSecrets, sshPublicKey: string): string {
  return renderFor(plan, volumes, secrets, sshPublicKey).userData;
}

/** The bootstrap, resolved once every volume id and the SSH key are known. */
function rendered(plan: CloudPlan, volumes: readonly BootVolume[], secrets: BootSecrets): pulumi.Output<{ script: string; userData: string }> {
  return pulumi.all([pulumi.all(volumes.map((volume) => volume.volumeId)), plan.sshPublicKeyPending ?? plan.sshPublicKey]).apply(([ids, sshPublicKey]) => {
    const attached: AttachedVolume[] = volumes.map((volume, i) => ({ name: volume.name, path: volume.path, device: { kind: "aws-ebs", volumeId: ids[i] }, formatIfBlank: volume.formatIfBlank }));
    return renderFor(plan, attached, secrets, sshPublicKey);
  });
}

/** `Instance.userDataBase64`: resolved once every volume id and the SSH key are known. */
export function userDataBase64(plan: CloudPlan, volumes: readonly BootVolume[], secrets: BootSecrets): pulumi.Output<string> {
  return rendered(plan, volumes, secrets).apply((boot) => encodeUserData(boot.userData));
}

/** The bootstrap script alone, which a fleet's VM reads from SSM at every boot (boot-parameters.ts). */
export function bootScript(plan: CloudPlan, volumes: readonly BootVolume[], secrets: BootSecrets): pulumi.Output<string> {
  return rendered(plan, volumes, secrets).apply((boot) => boot.script);
}
