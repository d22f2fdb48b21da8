/**
 * Where a fleet's VM finds its bootstrap: SSM parameters `<prefix>/boot/0` (the manifest) and
 * `<prefix>/boot/1..6` (the parts, see boot-parts.ts), plain `String`s of the Standard tier (the
 * script holds no secret), and the launch template's user data that fetches them at every boot
 * (bootstrap/fleet-cloud-config.ts). A changed boot script changes these parameters' values only:
 * in place, nothing else; the VM runs the new script at its next boot.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ssm from "@pulumi/aws/ssm";
import { renderFleetCloudConfig } from "../../bootstrap/fleet-cloud-config";
import type { CloudPlan } from "../cloud-plan";
import { ssmPrefix } from "../identity";
import { BOOT_PARTS, bootParts } from "./boot-parts";
import { child, childName, childOptions, regionOf, tagsFor } from "./context";

/** The parameter name of the manifest (`0`) or a part (`1..BOOT_PARTS`). */
export function bootParameterName(plan: Pick<CloudPlan, "identity">, index: number): string {
  return `${ssmPrefix(plan.identity)}/boot/${index}`;
}

/** The launch template's user data (base64): the fetcher of the boot parameters; the same for every boot script. */
export function fetcherUserData(plan: CloudPlan): string {
  return Buffer.from(renderFleetCloudConfig(plan.runName, regionOf(plan), ssmPrefix(plan.identity)), "utf8").toString("base64");
}

/** The manifest and the parts of `script`, in parameter order. */
export function declareBootParameters(plan: CloudPlan, script: pulumi.Output<string>): ssm.Parameter[] {
  const split = script.apply(bootParts);
  return Array.from({ length: BOOT_PARTS + 1 }, (_, index) => {
    const name = childName(plan, `boot-${index}`);
    const args: ssm.ParameterArgs = {
      region: regionOf(plan),
      name: bootParameterName(plan, index),
      type: "String",
      tier: "Standard",
      // Not a secret (the script holds none): `insecureValue` keeps it readable in previews and `plan`.
      insecureValue: split.apply((boot) => (index === 0 ? boot.manifest : boot.parts[index - 1])),
      description: `dstack dev environment ${plan.runName}: the boot script, ${index === 0 ? "manifest" : `part ${index}`}`,
      tags: tagsFor(plan, name),
    };
    return new ssm.Parameter(name, ...child(plan, "bootParameter", name, args, childOptions(plan)));
  });
}
