/**
 * Which cloud SDKs (`@pulumi/aws`, `@pulumi/gcp`) a declaration loads: run in a fresh node process
 * under mocks (so nothing loaded by other tests counts), with `recorder` (a MockRecorder answering
 * the standard invokes) and `ROOT` in scope; `declare` is the body of an async function returning
 * an Output to wait for.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");

export function cloudsLoadedBy(declare: string): string[] {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    const ROOT = ${JSON.stringify(ROOT)};
    const { MockRecorder } = require(${JSON.stringify(path.join(ROOT, "dist/test/support/pulumi-mocks.js"))});
    const { answerInvokes } = require(${JSON.stringify(path.join(ROOT, "dist/test/support/component-harness.js"))});
    (async () => {
      const recorder = new MockRecorder();
      await pulumi.runtime.setMocks(recorder.mocks(), "p", "s", false);
      answerInvokes(recorder);
      const output = await (async () => { ${declare} })();
      await new Promise((resolve) => output.apply(resolve));
      const loaded = new Set(Object.keys(require.cache).map((file) => (/node_modules\\/@pulumi\\/(aws|gcp)\\//.exec(file) || [])[1]).filter(Boolean));
      console.log(JSON.stringify([...loaded].sort()));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as string[];
}
