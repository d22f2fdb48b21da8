/**
 * Every TypeScript example compiled and run the way `pulumi up` runs it in the example's folder:
 * the folder is a project of its own (package.json with its dependencies, tsconfig.json), and
 * Pulumi's Node.js language host starts `node <@pulumi/pulumi/cmd/run resolved from the folder>
 * --monitor A --engine A --project P --root-directory F --stack S --pwd F --parallel N index.ts`
 * with PULUMI_NODEJS_TYPESCRIPT=true (`runtime.options.typescript`) and the stack config in
 * PULUMI_CONFIG; the SDK registers ts-node (the project's, else its vendored 7.0.1) with the
 * project's TypeScript, its tsconfig.json and Pulumi's defaults (ES2020, `nodenext`), type-checks
 * and runs the program, which registers its resources with a fake engine (test/support/fake-engine.ts).
 * Simulated: `npm install` in the example, as a copy of the folder whose node_modules links each
 * dependency its package.json names to this checkout's installed copy (`pulumi-dstack` to the
 * checkout itself, as its `file:../..` does), so the program and the component share one
 * @pulumi/pulumi, as the example's `install-links` install gives.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerInvokes } from "../support/component-harness";
import { FakeEngine } from "../support/fake-engine";

const ROOT = path.resolve(__dirname, "../../..");
const EXAMPLES = fs.readdirSync(path.join(ROOT, "examples")).filter((name) => fs.existsSync(path.join(ROOT, "examples", name, "index.ts"))).sort();

interface ExamplePackage {
  name: string;
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** The example copied to `into`, with node_modules as `npm install` there would link it. */
function installedCopy(example: string, into: string): ExamplePackage {
  const source = path.join(ROOT, "examples", example);
  fs.cpSync(source, into, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8")) as ExamplePackage;
  for (const [name, spec] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const target = name === "pulumi-dstack" ? path.resolve(source, spec.replace(/^file:/, "")) : path.join(ROOT, "node_modules", name);
    assert.ok(fs.existsSync(path.join(target, "package.json")), `${example}: ${name} (${spec}) is not installed in this checkout`);
    fs.mkdirSync(path.dirname(path.join(into, "node_modules", name)), { recursive: true });
    fs.symlinkSync(target, path.join(into, "node_modules", name), "dir");
  }
  return manifest;
}

describe("examples: compiled and run as Pulumi's Node.js runtime runs them", function () {
  this.timeout(180_000);
  let scratch: string;

  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dstack-examples-"));
  });

  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  for (const example of EXAMPLES) {
    it(`${example}: a project of its own (package.json, tsconfig.json) that type-checks with ts-node and deploys`, async () => {
      const folder = path.join(scratch, example);
      const manifest = installedCopy(example, folder);
      const project = parse(fs.readFileSync(path.join(folder, "Pulumi.yaml"), "utf8")) as { name: string; main?: string; runtime: { name: string; options?: { typescript?: boolean } } };
      assert.deepEqual([project.runtime.name, project.runtime.options?.typescript, project.main, manifest.main, manifest.name], ["nodejs", true, "index.ts", "index.ts", project.name]);
      assert.equal(manifest.dependencies["pulumi-dstack"], "file:../..");
      const tsconfig = JSON.parse(fs.readFileSync(path.join(folder, "tsconfig.json"), "utf8")) as { files: string[] };
      assert.deepEqual(tsconfig.files, ["index.ts"]);
      const engine = new FakeEngine(project.name, "dev");
      answerInvokes(engine.recorder);
      const address = await engine.start();
      try {
        const runner = require.resolve("@pulumi/pulumi/cmd/run", { paths: [folder] });
        const config = { [`${project.name}:config:sshPublicKey`]: SSH_KEY, [`${project.name}:config:allowedCidrs`]: JSON.stringify(["203.0.113.4/32"]) };
        const env = { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_CONFIG: JSON.stringify(config), HF_TOKEN: "example-hf", GHCR_TOKEN: "example-ghcr" };
        const args = [runner, "--monitor", address, "--engine", address, "--project", project.name, "--root-directory", folder, "--stack", "dev", "--pwd", folder, "--parallel", "4", "index.ts"];
        const child = spawn(process.execPath, args, { cwd: folder, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
        const errors = engine.logs.filter((log) => log.severity === 3).map((log) => log.message);
        assert.deepEqual([code, errors], [0, []], output);
        assert.ok(engine.registrations.some((registration) => registration.type === "pulumi:pulumi:Stack"));
        assert.ok(engine.resourceList().some((line) => / \S+-(vm|fleet)$/.test(line)), engine.resourceList().join("\n"));
      } finally {
        engine.stop();
      }
    });
  }
});
