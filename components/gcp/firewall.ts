/**
 * SSH ingress: a firewall rule per address family on the environment's network (GCP refuses a
 * rule that mixes IPv4 and IPv6 source ranges), each admitting TCP 22 from the allowed CIDRs of its
 * family to the instances carrying the environment's network tag only. The rules and the tag are
 * named after the environment's identity (`dstack-<project>-<stack>-<name>-<hash>`), so one stack's
 * rule never opens another stack's VM. dstack opens 22 to 0.0.0.0/0 for every runner; these rules
 * are per environment and per CIDR list. Note that the `default` network's own `default-allow-ssh`
 * rule opens 22 to the world whatever these say (README: use another network).
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import { cidrFamilies } from "../cidrs";
import { gcpName } from "../identity";
import { childOptions, child, type GcpContext } from "./context";
import { childNames } from "./names";

function declareRule(ctx: GcpContext, name: string, family: "IPv4" | "IPv6", ranges: pulumi.Input<string[]>): compute.Firewall {
  const { plan } = ctx;
  const args: compute.FirewallArgs = {
    project: ctx.project,
    name: gcpName(plan.identity, 63, family === "IPv4" ? "-ssh4" : "-ssh6"),
    network: ctx.network,
    description: `SSH (${family}) to a dstack dev environment`,
    direction: "INGRESS",
    allows: [{ protocol: "tcp", ports: ["22"] }],
    sourceRanges: ranges,
    targetTags: [ctx.tag],
  };
  return new compute.Firewall(name, ...child(ctx, "firewall", name, args, childOptions(ctx, { deleteBeforeReplace: true })));
}

/** The rules of the families that have allowed CIDRs (IPv4 `<name>-fw`, IPv6 `<name>-fw6`). */
export function declareFirewall(ctx: GcpContext): compute.Firewall[] {
  const { plan } = ctx;
  if (plan.allowedCidrsPending) {
    // A preview with allowedCidrs from outputs not known yet: the IPv4 rule stands for them.
    pulumi.log.warn("allowedCidrs is not known in this preview (outputs of resources not created yet): the preview shows the IPv4 rule only", plan.parent);
    return [declareRule(ctx, childNames.firewall(plan.name), "IPv4", plan.allowedCidrsPending.apply((cidrs) => cidrFamilies(cidrs).ipv4))];
  }
  if (plan.allowedCidrs.length === 0) {
    // A GCP ingress rule without source ranges or tags admits every address.
    throw new Error(`${plan.name}: allowedCidrs is empty; give the addresses allowed to connect over SSH (["0.0.0.0/0"] to allow any)`);
  }
  const { ipv4, ipv6 } = cidrFamilies(plan.allowedCidrs);
  const rules: compute.Firewall[] = [];
  if (ipv4.length > 0) rules.push(declareRule(ctx, childNames.firewall(plan.name), "IPv4", ipv4));
  if (ipv6.length > 0) rules.push(declareRule(ctx, childNames.firewallV6(plan.name), "IPv6", ipv6));
  return rules;
}
