/**
 * Code run in a fresh node process under mocks, so that nothing another test loaded or registered
 * counts: which cloud SDKs a declaration loads, or what a preview (`preview = true`, where outputs
 * of resources not created yet are unknown) declares.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");

/**
 * Runs `body` (the body of an async function with `pulumi`, `ROOT`, `recorder` (a MockRecorder
 * answering the standard invokes) and `answerInvokes` in scope) and returns the JSON value it
 * returns. `types without id` lists resource types whose mock gives no id (unknown in a preview);
 * `stack` is the mock stack's name (project `p`, stack `s` by default).
 */
export function inFreshProcess<T>(body: string, options: { preview?: boolean; typesWithoutId?: string[]; stack?: string } = {}): T {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    const ROOT = ${JSON.stringify(ROOT)};
    const { MockRecorder } = require(ROOT + "/dist/test/support/pulumi-mocks.js");
    const { answerInvokes } = require(ROOT + "/dist/test/support/component-harness.js");
    (async () => {
      const recorder = new MockRecorder();
      const mocks = recorder.mocks();
      const withoutId = new Set(${JSON.stringify(options.typesWithoutId ?? [])});
      const newResource = mocks.newResource;
      mocks.newResource = (args) => {
        const answer = newResource(args);
        return withoutId.has(args.type) ? { ...answer, id: undefined } : answer;
      };
      await pulumi.runtime.setMocks(mocks, "p", ${JSON.stringify(options.stack ?? "s")}, ${options.preview === true});
      answerInvokes(recorder);
      const value = await (async () => { ${body} })();
      console.log(JSON.stringify(value));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as T;
}

/** The cloud SDKs (`aws`, `gcp`) loaded to declare what `declare` declares (it returns an Output to wait for). */
export function cloudsLoadedBy(declare: string): string[] {
  return inFreshProcess<string[]>(`
    const output = await (async () => { ${declare} })();
    await new Promise((resolve) => output.apply(resolve));
    const loaded = new Set(Object.keys(require.cache).map((file) => (/node_modules\\/@pulumi\\/(aws|gcp)\\//.exec(file) || [])[1]).filter(Boolean));
    return [...loaded].sort();`);
}
