/**
 * A preview (`pulumi preview`, in any language) of a program that declares a `Volume` and a dev
 * environment mounting it: the volume's id is unknown until `pulumi up` creates it, its zone is
 * not, so the VM is already placed in the volume's zone and the attachment waits for the id.
 */
import { strict as assert } from "node:assert";
import { inFreshProcess } from "../support/fresh-process";

describe("preview: a new Volume and the dev environment on it", function () {
  it("the VM goes to the volume's zone while the volume's id is still unknown; the environment declares no volume", () => {
    const seen = inFreshProcess<Record<string, unknown>>(
      `
      const { SSH_KEY } = require(ROOT + "/dist/test/support/bootstrap-scenarios.js");
      const { Volume } = require(ROOT + "/dist/components/volume.js");
      const { DevEnvironment } = require(ROOT + "/dist/components/dev-environment.js");
      const cache = new Volume("cache", { backend: "aws", region: "us-east-1", volumeName: "hf-cache" });
      const config = "type: dev-environment\\nide: vscode\\nresources:\\n  gpu: A10G\\nvolumes:\\n  - hf-cache:/data\\nbackends: [aws]\\nregions: [us-east-1]\\n";
      const env = new DevEnvironment("box", { config, sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], volumes: [cache.reference] });
      const zone = await env.zone.promise();
      const volumeIdKnown = await cache.volumeId.isKnown;
      await pulumi.runtime.waitForRPCs();
      const vm = recorder.registrations.find((r) => r.name === "box-vm");
      const attachment = recorder.registrations.find((r) => r.name === "box-attach-hf-cache");
      const volumes = recorder.registrations.filter((r) => r.type === "aws:ebs/volume:Volume").map((r) => r.name);
      return { zone, volumeIdKnown, vmZone: vm.inputs.availabilityZone, attachment: attachment.inputs, volumes };`,
      { preview: true, typesWithoutId: ["aws:ebs/volume:Volume"] },
    );
    assert.deepEqual(seen, {
      zone: "us-east-1a",
      volumeIdKnown: false,
      vmZone: "us-east-1a",
      attachment: { deviceName: "/dev/xvdct", instanceId: "box-vm-id", region: "us-east-1", skipDestroy: true, volumeId: { __pulumiUnknown: true } },
      volumes: ["cache-volume"],
    });
  });
});
