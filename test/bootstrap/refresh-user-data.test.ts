/**
 * The AWS boot-time refresh (bootstrap/shell/refresh-user-data.sh), run for real with a stub
 * `curl` standing in for the instance metadata service: a changed bootstrap in the (gzipped) user
 * data replaces the installed one; the same one, or no metadata service, changes nothing.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { renderCloudConfig } from "../../bootstrap/cloud-config";

const SCRIPT = path.resolve(__dirname, "../../../bootstrap/shell/refresh-user-data.sh");
const INSTALLED = "/usr/local/lib/dstack-pulumi/bootstrap.sh";

function refresh(userData: Buffer | null, installed: string): { status: number | null; stdout: string; installed: string; leftovers: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "refresh-"));
  try {
    const root = path.join(dir, "root");
    fs.mkdirSync(path.join(root, "run"), { recursive: true });
    fs.mkdirSync(path.join(root, path.dirname(INSTALLED)), { recursive: true });
    fs.writeFileSync(path.join(root, INSTALLED), installed);
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    if (userData) fs.writeFileSync(path.join(dir, "user-data"), userData);
    // The stub answers the token request and writes the user data to the -o file.
    fs.writeFileSync(
      path.join(bin, "curl"),
      `#!/bin/bash\n[ -f '${dir}/user-data' ] || exit 7\nout=""\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done\nif [ -n "$out" ]; then cp '${dir}/user-data' "$out"; else echo token-123; fi\n`,
      { mode: 0o755 },
    );
    const result = spawnSync("bash", [SCRIPT], { encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin`, DSTACK_BOOTSTRAP_ROOT: root } });
    return { status: result.status, stdout: result.stdout, installed: fs.readFileSync(path.join(root, INSTALLED), "utf8"), leftovers: fs.readdirSync(path.join(root, "run")) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("bootstrap refresh from the user data (AWS)", () => {
  const script = "#!/bin/bash\necho new bootstrap\n";
  const userData = Buffer.from(renderCloudConfig(script, "box"));

  it("a changed bootstrap in gzipped user data replaces the installed one", () => {
    const result = refresh(gzipSync(userData), "#!/bin/bash\necho old\n");
    assert.equal(result.status, 0);
    assert.equal(result.installed, script);
    assert.equal(result.stdout, "dstack-pulumi: the bootstrap was updated from the user data\n");
    assert.deepEqual(result.leftovers, []);
  });

  it("plain user data works too; the same bootstrap changes nothing", () => {
    assert.equal(refresh(userData, "old").installed, script);
    const same = refresh(userData, script);
    assert.deepEqual([same.status, same.stdout, same.installed], [0, "", script]);
  });

  it("no metadata service: the installed bootstrap stays", () => {
    assert.deepEqual(refresh(null, "old"), { status: 0, stdout: "", installed: "old", leftovers: [] });
  });
});
