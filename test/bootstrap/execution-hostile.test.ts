/**
 * Hostile configuration text reaches the VM as data, never as shell: quotes, `$(...)`, backticks
 * and here-document delimiters in env values, paths, init commands and the working directory are
 * passed to Docker and written to files verbatim, and the script stays valid (shellcheck, bash -n).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { INSTALL_IPYKERNEL } from "../../bootstrap/dstack-commands";
import { renderBootstrapScript } from "../../bootstrap/render-script";
import { parseConfig } from "../../config/read";
import { scenarios } from "../support/bootstrap-scenarios";
import { BOOT_TOOLS, BootstrapSandbox, callsOf } from "../support/bootstrap-sandbox";
import { requireTools, toolPath } from "../support/system-tools";

const EVIL = `x'"; touch /tmp/pwned-$$; echo $(id) \`id\` \\`;
const yaml = [
  "type: dev-environment",
  "ide: vscode",
  `working_dir: "it's $(id)"`,
  "env:",
  `  EVIL: ${JSON.stringify(EVIL)}`,
  "init:",
  `  - ${JSON.stringify(`echo ${EVIL}`)}`,
  "  - DSTACK_EOF",
  "volumes:",
  `  - instance_path: "/srv/it's $(id)"`,
  `    path: "/data/it's"`,
  "",
].join("\n");

describe("bootstrap execution: hostile text", () => {
  const base = scenarios().find((scenario) => scenario.name === "aws-cpu")!.input;
  const script = renderBootstrapScript({ ...base, spec: parseConfig(yaml) });

  it("renders a script that bash parses and shellcheck accepts", function () {
    requireTools(this, ["shellcheck"]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hostile-")), "script.sh");
    fs.writeFileSync(file, script);
    assert.equal(spawnSync("bash", ["-n", file]).status, 0);
    const lint = spawnSync(toolPath("shellcheck"), ["--severity=style", file], { encoding: "utf8" });
    assert.equal(lint.error, undefined);
    assert.equal(lint.stdout, "");
    assert.equal(lint.status, 0);
  });

  it("runs: the values arrive verbatim as Docker arguments and files, nothing is executed", function () {
    requireTools(this, BOOT_TOOLS);
    const box = new BootstrapSandbox();
    try {
      const result = box.run(script);
      assert.equal(result.status, 0, result.stderr);
      const run = callsOf(result.calls, "docker", "run")[0];
      assert.ok(run.includes(`EVIL=${EVIL}`), "the env value is one docker argument, verbatim");
      assert.ok(run.includes("/workflow/it's $(id)"), "the working dir is one argument");
      assert.ok(run.includes(`${box.root}/srv/it's $(id):/data/it's`), "the instance volume is one argument");
      assert.ok(fs.statSync(box.at("/srv/it's $(id)")).isDirectory(), "the instance folder was created with its literal name");
      assert.equal(fs.readFileSync(box.at("/var/lib/dstack-pulumi/container/init.sh"), "utf8"), `${INSTALL_IPYKERNEL} && echo && echo ${EVIL} && DSTACK_EOF\n`);
      assert.equal(fs.readdirSync("/tmp").filter((name) => name.startsWith("pwned-")).length, 0, "no injected command ran");
    } finally {
      box.remove();
    }
  });
});
