/**
 * The rendered bootstrap passes `shellcheck` (every scenario's script, the container init and the
 * idle check it writes) and `cloud-init schema` accepts every AWS cloud-config. Both tools come
 * from Debian packages that .ci/run installs; without one, its tests are skipped
 * (test/support/system-tools.ts).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderFleetCloudConfig } from "../../bootstrap/fleet-cloud-config";
import { renderBootPayload } from "../../bootstrap/render";
import { scenarios } from "../support/bootstrap-scenarios";
import { requireTools, toolPath } from "../support/system-tools";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-lint-"));
const SHELL_DIR = path.resolve(__dirname, "../../../bootstrap/shell");

function tool(command: "shellcheck" | "cloud-init", args: string[]): { status: number | null; output: string } {
  const result = spawnSync(toolPath(command), args, { encoding: "utf8" });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("bootstrap lint", () => {
  for (const { name, input } of scenarios()) {
    it(`${name}: shellcheck finds nothing`, function () {
      requireTools(this, ["shellcheck"]);
      const file = path.join(dir, `${name}.sh`);
      fs.writeFileSync(file, renderBootPayload(input).script);
      const result = tool("shellcheck", ["--severity=style", file]);
      assert.equal(result.output, "");
      assert.equal(result.status, 0);
    });
    if (input.target === "aws-vm") {
      it(`${name}: cloud-init schema accepts the user data`, function () {
        requireTools(this, ["cloud-init"]);
        const file = path.join(dir, `${name}.yaml`);
        fs.writeFileSync(file, renderBootPayload(input).userData!);
        const result = tool("cloud-init", ["schema", "-c", file]);
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /^Valid cloud-config: /m);
      });
    }
  }

  it("a fleet VM's user data (the fetcher stub): cloud-init schema accepts it", function () {
    requireTools(this, ["cloud-init"]);
    const file = path.join(dir, "fleet-stub.yaml");
    fs.writeFileSync(file, renderFleetCloudConfig("box", "us-east-1", "/dstack/p/s/box"));
    const result = tool("cloud-init", ["schema", "-c", file]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /^Valid cloud-config: /m);
  });

  it("the shell parts pass shellcheck on their own (container init as POSIX sh)", function () {
    requireTools(this, ["shellcheck"]);
    const bash = ["bootstrap-lib.sh", "nvidia.sh", "volumes.sh", "workflow-repo.sh", "idle-check.sh", "refresh-user-data.sh"];
    const lib = tool("shellcheck", ["--severity=style", "-s", "bash", ...bash.map((file) => path.join(SHELL_DIR, file))]);
    assert.equal(lib.output, "");
    const container = tool("shellcheck", ["--severity=style", "-s", "sh", path.join(SHELL_DIR, "container-init.sh")]);
    assert.equal(container.output, "");
  });
});
