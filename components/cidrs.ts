/**
 * `allowedCidrs`: each an IPv4 or IPv6 network in CIDR form (`203.0.113.4/32`, `2001:db8::/48`);
 * anything else is refused before a firewall rule is declared with it. A `/0` prefix, of either
 * family and whatever its address (`10.0.0.0/0` too), is every address of that family.
 */
import { isIP } from "node:net";

export class InvalidCidrError extends Error {
  override readonly name = "InvalidCidrError";
}

export function checkCidrs(cidrs: readonly string[]): string[] {
  const bad = cidrs.filter((cidr) => {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
    if (!match) return true;
    const version = isIP(match[1]);
    const bits = Number(match[2]);
    return version === 0 || bits > (version === 4 ? 32 : 128);
  });
  if (bad.length > 0) {
    throw new InvalidCidrError(`allowedCidrs: ${bad.map((cidr) => JSON.stringify(cidr)).join(", ")} ${bad.length === 1 ? "is not a network" : "are not networks"} in CIDR form, e.g. "203.0.113.4/32" (one address) or "2001:db8::/48"`);
  }
  return cidrs.map((cidr) => cidr.trim());
}

/** The allowed CIDRs split by family (IPv6 ranges contain `:`): rules that cannot mix them take one family each. */
export function cidrFamilies(cidrs: readonly string[]): { ipv4: string[]; ipv6: string[] } {
  return { ipv4: cidrs.filter((cidr) => !cidr.includes(":")), ipv6: cidrs.filter((cidr) => cidr.includes(":")) };
}

/** The CIDRs that admit every address of their family (a `/0` prefix). */
export function worldOpenCidrs(cidrs: readonly string[]): string[] {
  return cidrs.filter((cidr) => /\/0+$/.test(cidr));
}
