/**
 * `--version` on every command (`{"version"}` with `--json`), and colour: `--color
 * auto|always|never`, `FORCE_COLOR`, `NO_COLOR` and the terminal decide whether stderr is
 * coloured; stdout never is. Colour is checked through the real launcher, whose stderr is a pipe.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { colorEnabled } from "../../cli/color";
import { packageVersion } from "../../cli/version";
import { run } from "../support/run-cli";

const ROOT = path.resolve(__dirname, "../../..");
const BIN = path.join(ROOT, "bin", "dstack-pulumi");
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** Runs the launcher with `env` replacing the colour variables of this process. */
function launch(argv: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const base = { ...process.env };
  for (const key of ["FORCE_COLOR", "NO_COLOR", "TERM"]) delete base[key];
  return spawnSync(process.execPath, [BIN, ...argv], { cwd: ROOT, encoding: "utf8", env: { ...base, ...env } });
}

describe("CLI: --version and colour", () => {
  let dir: string;
  let bad: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-color-"));
    bad = path.join(dir, "bad.dstack.yml");
    fs.writeFileSync(bad, "type: dev-environment\nide: vscode\nspot_polcy: auto\n");
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("--version and -V on the program and on every command print the package's version", () => {
    assert.match(VERSION, /^\d+\.\d+\.\d+/);
    for (const argv of [["--version"], ["-V"], ["validate", "--version"], ["offers", "--version"], ["plan", "-V"], ["lock", "--version"], ["catalog", "--version"], ["catalog", "update", "--version"], ["schema", "--version"], ["completion", "--version"]]) {
      assert.deepEqual(run(...argv), { code: 0, stdout: `${VERSION}\n`, stderr: "" }, argv.join(" "));
    }
    assert.deepEqual(run("offers", "--json", "--version"), { code: 0, stdout: `{\n  "version": "${VERSION}"\n}\n`, stderr: "" });
  });

  it("the version comes from this package's package.json, in a clone or installed under node_modules", () => {
    const installed = path.join(dir, "app", "node_modules", "pulumi-dstack", "dist", "cli");
    fs.mkdirSync(installed, { recursive: true });
    fs.writeFileSync(path.join(dir, "app", "package.json"), JSON.stringify({ name: "app", version: "9.9.9" }));
    fs.writeFileSync(path.join(dir, "app", "node_modules", "pulumi-dstack", "package.json"), JSON.stringify({ name: "pulumi-dstack", version: "1.2.3" }));
    assert.deepEqual([packageVersion(installed), packageVersion(path.join(dir, "app")), packageVersion(path.join(ROOT, "dist", "cli"))], ["1.2.3", "unknown", VERSION]);
  });

  it("decides colour: --color first, then FORCE_COLOR, then NO_COLOR, then a terminal that is not dumb", () => {
    const cases: [Parameters<typeof colorEnabled>, boolean][] = [
      [["always", { NO_COLOR: "1" }, false], true],
      [["never", { FORCE_COLOR: "1" }, true], false],
      [["auto", { FORCE_COLOR: "1", NO_COLOR: "1" }, false], true],
      [["auto", { FORCE_COLOR: "3" }, false], true],
      [["auto", { FORCE_COLOR: "0" }, true], false],
      [["auto", { FORCE_COLOR: "false" }, true], false],
      [["auto", { FORCE_COLOR: "" }, true], true],
      [["auto", { NO_COLOR: "1" }, true], false],
      [["auto", { NO_COLOR: "" }, true], true],
      [["auto", { TERM: "dumb" }, true], false],
      [["auto", {}, true], true],
      [["auto", {}, false], false],
    ];
    for (const [args, expected] of cases) assert.equal(colorEnabled(...args), expected, JSON.stringify(args));
  });

  it("through the launcher: FORCE_COLOR colours stderr without a terminal, NO_COLOR and --color never do not, --color always wins", () => {
    const coloured = "\u001b[1m" + bad + ":3:1\u001b[22m  \u001b[36mspot_polcy\u001b[39m: \u001b[31munknown field \"spot_polcy\": not a field of a dev-environment configuration\u001b[39m";
    const plain = `${bad}:3:1  spot_polcy: unknown field "spot_polcy": not a field of a dev-environment configuration`;
    const firstLine = (argv: string[], env: Record<string, string>) => {
      const result = launch(argv, env);
      assert.deepEqual([result.status, result.stdout], [1, ""]);
      return result.stderr.split("\n")[0];
    };
    assert.equal(firstLine(["validate", bad], { FORCE_COLOR: "1" }), coloured);
    assert.equal(firstLine(["validate", bad], {}), plain, "a pipe is not a terminal");
    assert.equal(firstLine(["validate", bad], { FORCE_COLOR: "0" }), plain);
    assert.equal(firstLine(["--color", "never", "validate", bad], { FORCE_COLOR: "1" }), plain);
    assert.equal(firstLine(["validate", "--color", "always", bad], { NO_COLOR: "1" }), coloured);
    const ok = launch(["validate", "examples/cpu/.dstack.yml"], { FORCE_COLOR: "1" });
    assert.deepEqual([ok.status, ok.stdout, ok.stderr], [0, "examples/cpu/.dstack.yml: ok\n", ""], "stdout is never coloured");
  });
});
