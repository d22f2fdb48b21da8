/**
 * The `dstack-pulumi` CLI: `validate` (human and `--json` output, exit codes), `schema`, usage errors;
 * run in-process through `main`, and once through the real launcher `bin/dstack-pulumi`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { run } from "./support/run-cli";
import { FIELD_NAMES } from "../config/fields";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin", "dstack-pulumi");

/** The `--json` lines of a run, parsed. */
function jsonLines(output: string): Record<string, unknown>[] {
  assert.ok(output.endsWith("\n"), "output ends with a newline");
  return output
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function configOf(file: string): Record<string, unknown> {
  const result = run("validate", "--json", file);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(result.stderr, "");
  const lines = jsonLines(result.stdout);
  assert.equal(lines.length, 1);
  assert.deepEqual(Object.keys(lines[0]), ["file", "ok", "config"]);
  assert.equal(lines[0].file, file);
  assert.equal(lines[0].ok, true);
  return lines[0].config as Record<string, unknown>;
}

const NO_STACK_TRACE = /^\s+at .+[(:]\d+/m;

describe("cli", () => {
  let cwd: string;
  let tmp: string;
  let badFile: string;
  let goodFile: string;

  before(() => {
    cwd = process.cwd();
    process.chdir(ROOT);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dstack-pulumi-cli-"));
    badFile = path.join(tmp, "bad.dstack.yml");
    fs.writeFileSync(badFile, "type: dev-environment\nide: vscode\npython: \"3.11\"\nspot_polcy: auto\n");
    goodFile = path.join(tmp, "good.dstack.yml");
    fs.writeFileSync(
      goodFile,
      [
        "type: dev-environment",
        "ide: vscode",
        "image: ghcr.io/acme/toolbox:1.0",
        "registry_auth:",
        "  username: acme-bot",
        "  password: ghp_e49HcZ9oYwBzUbcSk2080gXZOU2hiT9AeSR5",
        "env:",
        "  - HF_TOKEN",
        "  - HF_HUB_ENABLE_HF_TRANSFER=1",
        "resources:",
        "  gpu: A100:80GB:2",
        "  disk: 500GB..",
        "max_duration: 2h",
        "",
      ].join("\n"),
    );
  });

  after(() => {
    process.chdir(cwd);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe("validate", () => {
    it("prints FILE: ok for a valid file and exits 0", () => {
      assert.deepEqual(run("validate", "examples/cpu/.dstack.yml"), { code: 0, stdout: "examples/cpu/.dstack.yml: ok\n", stderr: "" });
    });

    it("accepts every bundled example", () => {
      const files = fs.readdirSync("examples").sort().map((name) => `examples/${name}/.dstack.yml`).filter((file) => fs.existsSync(file));
      assert.ok(files.length >= 5);
      assert.deepEqual(run("validate", ...files), { code: 0, stdout: files.map((file) => `${file}: ok\n`).join(""), stderr: "" });
    });

    it("prints each problem compiler-style with the source line, a caret and a hint, and exits 1", () => {
      const result = run("validate", badFile);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.equal(
        result.stderr,
        [
          `${badFile}:4:1  spot_polcy: unknown field "spot_polcy": not a field of a dev-environment configuration`,
          "  4 | spot_polcy: auto",
          "    | ^^^^^^^^^^",
          '    = hint: Did you mean "spot_policy"?',
          "",
          `${badFile}: 1 error`,
          "",
        ].join("\n"),
      );
    });

    it("checks several files, one result each, and exits 1 if any is invalid", () => {
      const result = run("validate", "examples/cpu/.dstack.yml", badFile, "examples/gpu/.dstack.yml");
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "examples/cpu/.dstack.yml: ok\nexamples/gpu/.dstack.yml: ok\n");
      assert.match(result.stderr, /^.*bad\.dstack\.yml:4:1  spot_polcy: /);
    });

    it("reports a missing file as unreadable and exits 1", () => {
      const missing = path.join(tmp, "missing.dstack.yml");
      const result = run("validate", missing);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr, `${missing}:1:1  cannot read the file: no such file\n\n${missing}: 1 error\n`);
      assert.doesNotMatch(result.stderr, NO_STACK_TRACE);
    });
  });

  describe("validate --json", () => {
    it("prints one line {file, ok: true, config} with every field present", () => {
      const result = run("validate", "--json", "examples/cpu/.dstack.yml");
      assert.equal(result.code, 0);
      assert.equal(result.stderr, "");
      assert.equal(result.stdout.split("\n").length, 2, "a single line");
      const config = configOf("examples/cpu/.dstack.yml");
      assert.deepEqual(FIELD_NAMES.filter((name) => !(name in config)), []);
      assert.equal(config.type, "dev-environment");
      assert.equal(config.ide, "vscode");
      assert.equal(config.python, "3.11");
      assert.equal(config.image, null);
      assert.equal(config.registry_auth, null);
      assert.deepEqual(config.resources, {
        cpu: { min: 4, max: 8 },
        memory: { min: 16, max: 32 },
        shm_size: null,
        gpu: null,
        disk: { size: { min: 100, max: null } },
      });
    });

    it("normalises the GPU short form A100:80GB:2", () => {
      const resources = configOf(goodFile).resources as Record<string, unknown>;
      assert.deepEqual(resources.gpu, {
        vendor: null,
        name: ["A100"],
        count: { min: 2, max: 2 },
        memory: { min: 80, max: 80 },
        total_memory: null,
        compute_capability: null,
      });
      assert.deepEqual(resources.disk, { size: { min: 500, max: null } });
      assert.deepEqual(resources.cpu, { min: 2, max: null });
      assert.deepEqual(resources.memory, { min: 8, max: null });
    });

    it("masks the registry password and never prints it", () => {
      const result = run("validate", "--json", goodFile);
      assert.doesNotMatch(result.stdout, /ghp_e49HcZ9oYwBzUbcSk2080gXZOU2hiT9AeSR5/);
      assert.deepEqual(configOf(goodFile).registry_auth, { username: "acme-bot", password: "[secret]" });
    });

    it("shows an env name without a value as {key: NAME}", () => {
      assert.deepEqual(configOf(goodFile).env, { HF_TOKEN: { key: "HF_TOKEN" }, HF_HUB_ENABLE_HF_TRANSFER: "1" });
    });

    it("serialises max_duration as a string of seconds (dstack 0.18.2x)", () => {
      assert.equal(configOf(goodFile).max_duration, "7200");
    });

    it("reads the bundled examples as documented", () => {
      const gpu = configOf("examples/gpu/.dstack.yml");
      assert.deepEqual((gpu.env as Record<string, unknown>).HF_TOKEN, { key: "HF_TOKEN" });
      assert.deepEqual(gpu.volumes, [{ name: "hf-cache", path: "/volume_data" }]);
      const custom = configOf("examples/custom-image/.dstack.yml");
      assert.deepEqual(custom.registry_auth, { username: "acme-bot", password: "[secret]" });
      const tpu = configOf("examples/tpu/.dstack.yml");
      assert.deepEqual(tpu.backends, ["gcp"]);
      assert.deepEqual(((tpu.resources as Record<string, unknown>).gpu as Record<string, unknown>).name, ["v5litepod-8"]);
      const spot = configOf("examples/spot/.dstack.yml");
      assert.equal(spot.spot_policy, "auto");
      assert.equal(spot.max_price, 0.8);
      assert.equal(spot.max_duration, "28800");
      const multi = configOf("examples/multi-gpu/.dstack.yml");
      assert.deepEqual(((multi.resources as Record<string, unknown>).gpu as Record<string, unknown>).count, { min: 2, max: 2 });
    });

    it("prints one line per file and exits 1 if any is invalid", () => {
      const result = run("validate", "--json", "examples/cpu/.dstack.yml", badFile);
      assert.equal(result.code, 1);
      assert.equal(result.stderr, "");
      const lines = jsonLines(result.stdout);
      assert.deepEqual(
        lines.map((line) => [line.file, line.ok]),
        [
          ["examples/cpu/.dstack.yml", true],
          [badFile, false],
        ],
      );
      assert.deepEqual(lines[1], {
        file: badFile,
        ok: false,
        errors: [
          {
            line: 4,
            column: 1,
            path: "spot_polcy",
            message: 'unknown field "spot_polcy": not a field of a dev-environment configuration',
            code: "unknown_field",
            hint: 'Did you mean "spot_policy"?',
          },
        ],
      });
    });

    it("gives a missing file an error entry with code unreadable_file", () => {
      const missing = path.join(tmp, "missing.dstack.yml");
      const result = run("validate", "--json", missing);
      assert.equal(result.code, 1);
      assert.deepEqual(jsonLines(result.stdout), [
        { file: missing, ok: false, errors: [{ line: 1, column: 1, path: "", message: "cannot read the file: no such file", code: "unreadable_file" }] },
      ]);
    });
  });

  describe("usage errors", () => {
    for (const argv of [["frob"], ["validate"], ["validate", "--jsn", "examples/cpu/.dstack.yml"], []]) {
      it(`${JSON.stringify(argv)} exits non-zero with a usage message and no stack trace`, () => {
        const result = run(...argv);
        assert.notEqual(result.code, 0);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /Usage: dstack-pulumi/);
        assert.doesNotMatch(result.stderr, NO_STACK_TRACE);
        assert.doesNotMatch(result.stderr, /internal error/);
      });
    }

    it("names the unknown command", () => {
      assert.match(run("frob").stderr, /unknown command 'frob'/);
    });

    it("names the missing files argument", () => {
      assert.match(run("validate").stderr, /missing required argument 'files'/);
    });
  });

  describe("schema", () => {
    it("prints a JSON Schema that parses and exits 0", () => {
      const result = run("schema");
      assert.equal(result.code, 0);
      assert.equal(result.stderr, "");
      const schema = JSON.parse(result.stdout) as Record<string, unknown>;
      assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
      assert.deepEqual(Object.keys(schema.properties as object), FIELD_NAMES);
    });
  });

  describe("bin/dstack-pulumi launcher", () => {
    it("validates a file in a child process with the right exit code", () => {
      const ok = spawnSync(process.execPath, [BIN, "validate", "examples/cpu/.dstack.yml"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      assert.equal(ok.error, undefined);
      assert.deepEqual([ok.status, ok.stdout, ok.stderr], [0, "examples/cpu/.dstack.yml: ok\n", ""]);
      const bad = spawnSync(process.execPath, [BIN, "validate", badFile], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      assert.equal(bad.status, 1);
      assert.equal(bad.stdout, "");
      assert.match(bad.stderr, /bad\.dstack\.yml:4:1  spot_polcy: unknown field "spot_polcy"/);
    });

    it("reads standard input for -", () => {
      const result = spawnSync(process.execPath, [BIN, "validate", "--json", "-"], {
        cwd: ROOT,
        encoding: "utf8",
        input: fs.readFileSync(path.join(ROOT, "examples/tpu/.dstack.yml"), "utf8"),
      });
      assert.equal(result.status, 0, result.stderr);
      const [line] = jsonLines(result.stdout);
      assert.equal(line.file, "<stdin>");
      assert.equal(line.ok, true);
    });
  });
});
