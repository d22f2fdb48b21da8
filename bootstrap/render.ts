/**
 * The boot payload of a VM: AWS VMs get cloud-config user data (the script plus a unit that runs
 * it at every boot); GCP VMs and TPU VMs get the script as their `startup-script` (GCP runs it at
 * every boot).
 */
import { renderCloudConfig } from "./cloud-config";
import { renderBootstrapScript } from "./render-script";
import type { BootstrapInput } from "./types";

export interface BootPayload {
  /** The bootstrap script itself. */
  script: string;
  /** AWS: the user data (`#cloud-config`). */
  userData: string | null;
  /** GCP: the `startup-script` metadata value. */
  startupScript: string | null;
}

export function renderBootPayload(input: BootstrapInput): BootPayload {
  const script = renderBootstrapScript(input);
  if (input.target === "aws-vm") return { script, userData: renderCloudConfig(script, input.runName), startupScript: null };
  return { script, userData: null, startupScript: script };
}
