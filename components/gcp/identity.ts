/**
 * The VM's identity: a service account of its own, with no project-wide role. It may read this
 * environment's secrets only (one `secretAccessor` binding per secret, in `secrets.ts`).
 */
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import { childOptions, transformed, type GcpContext } from "./context";
import { childNames, serviceAccountId } from "./names";

/** The OAuth scope the VM's service account gets; IAM roles, not scopes, limit what it may do. */
export const VM_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"];

export function declareServiceAccount(ctx: GcpContext): serviceaccount.Account {
  const { plan } = ctx;
  const name = childNames.serviceAccount(plan.name);
  const args: serviceaccount.AccountArgs = {
    project: ctx.project,
    accountId: serviceAccountId(plan.runName),
    displayName: `dstack dev environment ${plan.runName}`,
    description: `The identity of the dstack dev environment ${plan.runName}: reads its own secrets only.`,
  };
  return new serviceaccount.Account(name, transformed(ctx, "serviceAccount", name, args), childOptions(ctx));
}
