/**
 * SSH ingress: one firewall rule on the environment's network that admits TCP 22 from the allowed
 * CIDRs to the instances carrying the environment's network tag (`dstack-<run name>`) only.
 * dstack opens 22 to 0.0.0.0/0 for every runner; this rule is per environment and per CIDR list.
 */
import * as compute from "@pulumi/gcp/compute";
import { childOptions, transformed, type GcpContext } from "./context";
import { childNames } from "./names";

export function declareFirewall(ctx: GcpContext): compute.Firewall {
  const { plan } = ctx;
  if (plan.allowedCidrs.length === 0) {
    // A GCP ingress rule without source ranges or tags admits every address.
    throw new Error(
      `${plan.name}: allowedCidrs is empty; give the addresses allowed to connect over SSH (["0.0.0.0/0"] to allow any)`,
    );
  }
  const name = childNames.firewall(plan.name);
  const args: compute.FirewallArgs = {
    project: ctx.project,
    network: ctx.network,
    description: `SSH to the dstack dev environment ${plan.runName}`,
    direction: "INGRESS",
    allows: [{ protocol: "tcp", ports: ["22"] }],
    sourceRanges: [...plan.allowedCidrs],
    targetTags: [ctx.tag],
  };
  return new compute.Firewall(name, transformed(ctx, "firewall", name, args), childOptions(ctx));
}
