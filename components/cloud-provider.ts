/**
 * The explicit provider a component passes to its children and invokes for one cloud: the
 * `provider` option, else that cloud's entry of the `providers` map (the form a Python or YAML
 * program's construct request carries), else none (the default provider).
 */
import type * as pulumi from "@pulumi/pulumi";

export function cloudProvider(opts: pulumi.ComponentResourceOptions, backend: string): pulumi.ProviderResource | undefined {
  if (opts.provider) return opts.provider;
  return opts.providers && !Array.isArray(opts.providers) ? opts.providers[backend] : undefined;
}
