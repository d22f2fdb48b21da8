import { strict as assert } from "node:assert";
import { deploy } from "../support/component-harness";

describe("scratch", () => {
  it("looks", async () => {
    const config = "type: dev-environment\nname: gpu-box\nide: vscode\nresources:\n  gpu: 24GB\nretry:\n  on_events: [no-capacity]\n  duration: 30m\n";
    const d = await deploy("gpu-box", { config, backend: "aws", region: "us-east-1", noRepo: true, lockFile: "/nonexistent/x.lock.json" });
    console.log(d.recorder.resourceList().join("\n"));
    console.log(JSON.stringify(d.outputs, null, 1).slice(0, 800));
    console.log(JSON.stringify(d.recorder.inputsOf("gpu-box-fleet"), null, 1).slice(0, 3000));
    assert.ok(true);
  });
});
