/**
 * `dstack-pulumi catalog update` from the command line: the real launcher with no credentials fails
 * with one clear line and exit 1; usage errors; a bad file at `--out` is named. (The rebuild itself
 * is tested through the SDK clients with recorded answers in test/catalog-update*.test.ts.)
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runAsync } from "./support/run-cli";

const ROOT = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-update-cli-"));

describe("CLI catalog update", () => {
  it("without AWS credentials: one line naming the API and what to do, exit 1, nothing written", () => {
    const out = path.join(dir, "aws.json");
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: "true", AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "none"), AWS_CONFIG_FILE: path.join(dir, "none"), HOME: dir };
    for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) delete env[key];
    const result = spawnSync(path.join(ROOT, "bin", "dstack-pulumi"), ["catalog", "update", "--backend", "aws", "--out", out], { env, encoding: "utf8", timeout: 60_000 });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    const lines = result.stderr.split("\n").filter((line) => line.startsWith("dstack-pulumi:"));
    assert.deepEqual(lines, [
      "dstack-pulumi: catalog update: AWS credentials (default credential chain) failed: CredentialsProviderError: Could not load credentials from any providers. Check the AWS credentials (aws configure, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).",
    ]);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    assert.equal(fs.existsSync(out), false);
  });

  it("a region that is no region, before any cloud is asked", async () => {
    const result = await runAsync("catalog", "update", "--out", path.join(dir, "x.json"), "--region", "moon-1");
    assert.equal(result.code, 1);
    assert.equal(result.stderr, "dstack-pulumi: catalog update: not a region: moon-1 (AWS regions look like us-east-1, GCP regions like us-central1)\n");
  });

  it("a file at --out that is not a catalog is named and left alone", async () => {
    const out = path.join(dir, "notes.json");
    fs.writeFileSync(out, "hello");
    const result = await runAsync("catalog", "update", "--out", out);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^dstack-pulumi: .*notes\.json: not a catalog: .* \(move it away to start from the bundled catalog\)\n$/);
    assert.equal(fs.readFileSync(out, "utf8"), "hello");
  });

  it("an unknown backend is a usage error", async () => {
    const result = await runAsync("catalog", "update", "--backend", "azure");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /argument 'azure' is invalid\. Allowed choices are aws, gcp\./);
  });
});
