/**
 * `allowedCidrs`: each an IPv4 or IPv6 network in CIDR form (`203.0.113.4/32`, `2001:db8::/48`);
 * anything else is refused before a firewall rule is declared with it.
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
