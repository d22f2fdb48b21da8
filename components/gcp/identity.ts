/**
 * The VM's identity: a service account of its own, with no project-wide role. It may read this
 * environment's secrets only (one `secretAccessor` binding per secret, in `secrets.ts`).
 * A new account takes a while to be known everywhere: the TPU API refuses one created seconds
 * before (the provider's own TPU example waits 60 s), so for a TPU VM the account's creation ends
 * with a 60 s wait (an `afterCreate` resource hook, which runs at creation only, never in a
 * preview or a later update).
 */
import * as pulumi from "@pulumi/pulumi";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import { gcpName } from "../identity";
import { childOptions, child, type GcpContext } from "./context";
import { childNames } from "./names";

/** The OAuth scope the VM's service account gets; IAM roles, not scopes, limit what it may do. */
export const VM_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"];

/** The account id (6 to 30 of `[a-z0-9-]`, starting with a letter): the identity's GCP name in 30 characters. */
export function serviceAccountId(ctx: GcpContext): string {
  return gcpName(ctx.plan.identity, 30);
}

/** How long a TPU VM waits for its new service account. */
export const TPU_ACCOUNT_SETTLE_SECONDS = 60;

/** True when the engine takes resource hooks (a Pulumi CLI that has them; not Pulumi's mock runtime). */
export function resourceHooksAvailable(): boolean {
  const monitor = pulumi.runtime.getMonitor() as { registerResourceHook?: unknown } | undefined;
  return typeof monitor?.registerResourceHook === "function";
}

/** The name of the hook that waits for a new account. */
export const SETTLE_HOOK_NAME = "dstack-wait-for-new-service-account";

/** Resolves after `seconds`: the hook's body. */
export function waitForNewAccount(seconds = TPU_ACCOUNT_SETTLE_SECONDS): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

let settleHook: pulumi.ResourceHook | undefined;

/** The hook that waits for a new account to settle (one per program; registered with the engine when made). */
export function accountSettleHook(): pulumi.ResourceHook {
  settleHook ??= new pulumi.ResourceHook(SETTLE_HOOK_NAME, () => waitForNewAccount());
  return settleHook;
}

/** The account's options: for a TPU VM, `hook` after its creation (the wait, when the engine takes hooks). */
export function accountOptions(ctx: GcpContext, hook: pulumi.ResourceHook | undefined = ctx.plan.offer.tpu && resourceHooksAvailable() ? accountSettleHook() : undefined): pulumi.CustomResourceOptions {
  return ctx.plan.offer.tpu && hook !== undefined ? childOptions(ctx, { hooks: { afterCreate: [hook] } }) : childOptions(ctx);
}

export function declareServiceAccount(ctx: GcpContext): serviceaccount.Account {
  const { plan } = ctx;
  const name = childNames.serviceAccount(plan.name);
  const args: serviceaccount.AccountArgs = {
    project: ctx.project,
    accountId: serviceAccountId(ctx),
    displayName: `dstack dev environment ${plan.runName}`,
    description: `The identity of the dstack dev environment ${plan.runName}: reads its own secrets only.`,
  };
  return new serviceaccount.Account(name, ...child(ctx, "serviceAccount", name, args, accountOptions(ctx)));
}
