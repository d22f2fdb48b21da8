/**
 * How every command fails: the documented exit codes (0 ok, 1 invalid input or refused, 2 usage,
 * 3 no offer, 70 internal) and, with `--json`, one error object on stdout and nothing on stderr;
 * `--json` on the commands that succeed without a table (`lock`, `catalog update`, `schema`,
 * `completion`). Run in-process over the hand-made catalog written to a file.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import { runCatalogUpdateCommand } from "../../cli/catalog-update";
import { main } from "../../cli/main";
import { PLAIN } from "../../cli/format-issues";
import { cliWorkspace } from "../support/cli-workspace";
import { run, runAsync, type Run } from "../support/run-cli";

const { dir, catalogFile, config } = cliWorkspace("cli-failures-");

/** The exit code and the JSON on stdout of a `--json` run, after checking stderr is empty. */
function jsonRun(result: Run): [number, unknown] {
  assert.equal(result.stderr, "", "with --json nothing goes to stderr");
  assert.ok(result.stdout.endsWith("}\n"), result.stdout);
  return [result.code, JSON.parse(result.stdout)];
}

describe("CLI: exit codes and JSON errors", () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("2, usage: an unknown command, option or shell, a missing argument, a bad flag value; text or one JSON object", () => {
    const file = config("ok.yml", "");
    const usage = (message: string) => ({ error: { code: "usage", message } });
    assert.deepEqual(jsonRun(run("frob", "--json")), [2, usage("unknown command 'frob'")]);
    assert.deepEqual(jsonRun(run("offers", "--json")), [2, usage("missing required argument 'file'")]);
    assert.deepEqual(jsonRun(run("validate", "--json")), [2, usage("missing required argument 'files'")]);
    assert.deepEqual(jsonRun(run("plan", "--json", "--frob", file)), [2, usage("unknown option '--frob'")]);
    assert.deepEqual(jsonRun(run("offers", "--json", "--max-price", "-1", file)), [2, usage("option '--max-price <usd>' argument '-1' is invalid. expected a positive number of USD per hour, e.g. 2.5")]);
    assert.deepEqual(jsonRun(run("plan", "--json", "--spot-policy", "cheap", file)), [2, usage("option '--spot-policy <policy>' argument 'cheap' is invalid. Allowed choices are spot, on-demand, auto.")]);
    assert.deepEqual(jsonRun(run("completion", "--json", "tcsh")), [2, usage("command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.")]);
    assert.deepEqual(jsonRun(run("lock", "--json", "-")), [2, usage("lock needs a configuration file (the lock is written next to it)")]);
    const text = run("frob");
    assert.deepEqual([text.code, text.stdout, text.stderr.split("\n").slice(0, 3)], [2, "", ["error: unknown command 'frob'", "", "Usage: dstack-pulumi [options] [command]"]]);
    assert.equal(run("lock", "-").stderr, "dstack-pulumi: lock needs a configuration file (the lock is written next to it)\n");
  });

  it("1, invalid input: the configuration's errors, an unreadable file, a catalog, a refused configuration", () => {
    const bad = config("bad.yml", "spot_polcy: auto\n");
    assert.deepEqual(jsonRun(run("offers", "--json", "--catalog", catalogFile, bad)), [
      1,
      {
        error: {
          code: "invalid_config",
          message: `${bad}: 1 error`,
          file: bad,
          issues: [{ line: 3, column: 1, path: "spot_polcy", message: 'unknown field "spot_polcy": not a field of a dev-environment configuration', code: "unknown_field", hint: 'Did you mean "spot_policy"?' }],
        },
      },
    ]);
    const missing = path.join(dir, "nope.yml");
    assert.deepEqual(jsonRun(run("lock", "--json", missing)), [
      1,
      {
        error: {
          code: "unreadable_file",
          message: `${missing}: cannot read the file: no such file`,
          file: missing,
          issues: [{ line: 1, column: 1, path: "", message: "cannot read the file: no such file", code: "unreadable_file" }],
        },
      },
    ]);
    const ok = config("ok.yml", "");
    const noCatalog = path.join(dir, "nope.json");
    assert.deepEqual(jsonRun(run("offers", "--json", "--catalog", noCatalog, ok)), [1, { error: { code: "invalid_catalog", message: `${noCatalog}: cannot read the catalog: ENOENT` } }]);
    const arm = config("arm.yml", "resources:\n  cpu: arm:2..\n");
    const refused = `${arm}: resources.cpu: arm needs an image: dstack's default image (dstackai/base) is x86 only; give an arm64 image (image: ...) or drop arm`;
    assert.deepEqual(jsonRun(run("offers", "--json", "--catalog", catalogFile, arm)), [1, { error: { code: "refused", message: refused } }]);
    assert.deepEqual(run("offers", "--catalog", catalogFile, arm), { code: 1, stdout: "", stderr: `dstack-pulumi: ${refused}\n` });
  });

  it("1, one clear message for another dstack type (no follow-on field errors), from every command", () => {
    const file = path.join(dir, "service.yml");
    fs.writeFileSync(file, "type: service\nport: 8000\ncommands: [python app.py]\nresources:\n  gpu: 24GB\n");
    const issue = {
      line: 1,
      column: 7,
      path: "type",
      message: 'type "service" is a dstack service configuration: pulumi-dstack provisions dev environments only (type: dev-environment)',
      code: "invalid_choice",
      hint: "Run services with dstack itself (dstack apply)",
    };
    for (const command of ["offers", "lock"]) {
      assert.deepEqual(jsonRun(run(command, "--json", file)), [1, { error: { code: "invalid_config", message: `${file}: 1 error`, file, issues: [issue] } }]);
    }
    assert.deepEqual(run("validate", file), {
      code: 1,
      stdout: "",
      stderr: [`${file}:1:7  type: ${issue.message}`, "  1 | type: service", "    |       ^^^^^^^", `    = hint: ${issue.hint}`, "", `${file}: 1 error`, ""].join("\n"),
    });
  });

  it("3, no offer: offers and lock give the reason, the constraint, the nearest offers and the warnings", () => {
    const file = config("cheap.yml", "max_price: 0.001\nregions: [us-east-1, us-east1-1]\n");
    const [code, json] = jsonRun(run("lock", "--json", "--catalog", catalogFile, file));
    const error = (json as { error: Record<string, unknown> }).error;
    assert.equal(code, 3);
    assert.deepEqual(Object.keys(error), ["code", "message", "constraint", "nearest", "warnings"]);
    assert.deepEqual([error.code, error.message, error.constraint, error.warnings], [
      "no_offers",
      "no offer for any machine, on-demand, at most $0.001/h: max_price $0.001/h removed the last 6 candidates",
      "max_price",
      ['regions: us-east1-1 is in no offer of the catalog (Did you mean "us-east-1"?)'],
    ]);
    assert.deepEqual((error.nearest as { instance_type: string; misses: string[] }[]).map((near) => `${near.instance_type}: ${near.misses}`), [
      "t3.large: $0.067/h (max_price $0.001/h)",
      "m5.large: $0.096/h (max_price $0.001/h)",
      "g6.xlarge: $0.805/h (max_price $0.001/h)",
    ]);
    assert.equal(fs.existsSync(path.join(dir, "cheap.lock.json")), false, "nothing written");
    const text = run("offers", "--catalog", catalogFile, file);
    assert.deepEqual([text.code, text.stdout], [3, ""]);
    assert.deepEqual(text.stderr.split("\n").slice(0, 2), [
      'warning: regions: us-east1-1 is in no offer of the catalog (Did you mean "us-east-1"?)',
      "no offer for any machine, on-demand, at most $0.001/h: max_price $0.001/h removed the last 6 candidates",
    ]);
  });

  it("70, internal: a bug is one line (or the error object), never a stack trace", () => {
    const broken = (json: boolean) => {
      let stderr = "";
      let stdout = "";
      const code = main(["schema", ...(json ? ["--json"] : [])], {
        stdout: (text) => {
          if (!text.startsWith('{\n  "error"')) throw new Error("stdout is gone");
          stdout += text;
        },
        stderr: (text) => void (stderr += text),
        palette: PLAIN,
      });
      return { code, stdout, stderr };
    };
    assert.deepEqual(broken(false), { code: 70, stdout: "", stderr: "dstack-pulumi: internal error: stdout is gone\n" });
    assert.deepEqual(broken(true), { code: 70, stdout: '{\n  "error": {\n    "code": "internal",\n    "message": "internal error: stdout is gone"\n  }\n}\n', stderr: "" });
  });

  it("--json where a command succeeds without a table: lock, schema, completion, catalog update", async () => {
    const file = config(".dstack.yml", "resources:\n  gpu: T4\n");
    const [code, lock] = jsonRun(run("lock", "--json", "--catalog", catalogFile, file));
    assert.equal(code, 0);
    assert.deepEqual(lock, {
      lock_file: path.join(dir, ".dstack.lock.json"),
      offer: {
        backend: "gcp", region: "us-central1", zones: ["us-central1-a", "us-central1-b"], instance_type: "n1-standard-4", cpus: 4, memory_gb: 15, arch: "x86",
        gpu: { vendor: "nvidia", name: "T4", memory_gb: 16, count: 1 }, tpu: null, disk_gb: 100, spot: false, price_per_hour: 0.54, estimated_price: false,
      },
      zone: "us-central1-a",
      replaced: null,
    });
    const [schemaCode, schema] = jsonRun(run("schema", "--json"));
    assert.deepEqual([schemaCode, (schema as { $schema: string }).$schema], [0, "https://json-schema.org/draft/2020-12/schema"]);
    const [completionCode, completion] = jsonRun(run("completion", "--json", "fish"));
    assert.deepEqual([completionCode, Object.keys(completion as object)], [0, ["shell", "script"]]);
    assert.equal((completion as { script: string }).script, run("completion", "fish").stdout);
    const out = path.join(dir, "catalog-update.json");
    let stdout = "";
    const output = { stdout: (text: string) => void (stdout += text), stderr: () => undefined, palette: PLAIN };
    const updated = await runCatalogUpdateCommand({ json: true, out }, output, "2026-09-01", async () => ({ instances: 12, prices: 34 }));
    assert.deepEqual([updated, JSON.parse(stdout)], [0, { file: out, instances: 12, prices: 34 }]);
    assert.deepEqual(jsonRun(await runAsync("catalog", "update", "--json", "--out", out, "--region", "moon-1")), [
      1,
      { error: { code: "catalog_update_failed", message: "catalog update: not a region: moon-1 (AWS regions look like us-east-1, GCP regions like us-central1)" } },
    ]);
  });
});
