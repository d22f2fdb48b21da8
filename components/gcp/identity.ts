/**
 * The VM's identity: a service account of its own, with no project-wide role. It may read this
 * environment's secrets only (one `secretAccessor` binding per secret, in `secrets.ts`).
 */
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import { gcpName } from "../identity";
import { childOptions, transformed, type GcpContext } from "./context";
import { childNames } from "./names";

/** The OAuth scope the VM's service account gets; IAM roles, not scopes, limit what it may do. */
export const VM_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"];

/** The account id (6 to 30 of `[a-z0-9-]`, starting with a letter): the identity's GCP name in 30 characters. */
export function serviceAccountId(ctx: GcpContext): string {
  return gcpName(ctx.plan.identity, 30);
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
  return new serviceaccount.Account(name, transformed(ctx, "serviceAccount", name, args), childOptions(ctx));
}
