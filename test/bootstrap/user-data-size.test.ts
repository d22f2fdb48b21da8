/**
 * The AWS user data's budget: EC2 takes at most 16 KB (gzipped when the text is larger,
 * components/aws/user-data.ts). The bootstrap carries only the shell parts a dev environment uses
 * (the GPU runtime, the volumes, the repository), so its largest form is that of a configuration
 * using them all: it must leave a fifth of the limit to the configuration's own text (init
 * commands, env). The smallest form, what every VM carries, is held to 60% by
 * test/components/aws-parts.test.ts.
 */
import { strict as assert } from "node:assert";
import { renderBootPayload } from "../../bootstrap/render";
import type { BootstrapInput } from "../../bootstrap/types";
import { gzip } from "../../components/aws/gzip";
import { USER_DATA_LIMIT } from "../../components/aws/user-data";
import { scenarios } from "../support/bootstrap-scenarios";

function gzipped(input: BootstrapInput): number {
  return gzip(Buffer.from(renderBootPayload(input).userData!)).length;
}

describe("bootstrap: the size of the AWS user data", () => {
  const byName = Object.fromEntries(scenarios().map(({ name, input }) => [name, input]));
  const gpu = byName["aws-gpu-spot-volumes"]!;
  const registry = byName["private-registry-secrets"]!;
  const repo = byName["aws-repo"]!;
  /** GPU, two network volumes and an instance volume, a registry login, three secrets, a repository with a token, a user, a port. */
  const everything: BootstrapInput = {
    ...gpu,
    spec: { ...gpu.spec, image: registry.spec.image, registry_auth: registry.spec.registry_auth, env: { ...gpu.spec.env, ...registry.spec.env, ...repo.spec.env }, user: repo.spec.user, ports: repo.spec.ports },
    secretEnv: { ...registry.secretEnv, ...repo.secretEnv },
    registryPassword: registry.registryPassword,
    repo: repo.repo,
  };

  it("with every part the bootstrap can carry, under 80% of 16 KB gzipped; every AWS scenario less", () => {
    const largest = gzipped(everything);
    assert.ok(largest < USER_DATA_LIMIT * 0.8, `${largest} bytes gzipped: the configuration's own text needs room`);
    for (const [name, input] of Object.entries(byName).filter(([, input]) => input.target === "aws-vm")) {
      assert.ok(gzipped(input) < largest, `${name}: ${gzipped(input)} bytes, not less than ${largest}`);
    }
  });
});
