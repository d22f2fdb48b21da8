/**
 * The npm package as published: metadata (license, keywords Pulumi's registry reads, repository),
 * dependencies (@pulumi/pulumi a peer, the cloud SDKs optional peers) and a lean tarball (`npm pack`:
 * the build, the plugin folder with its schema, LICENSE; no examples, tests, benches or scripts).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

interface Manifest {
  license: string;
  keywords: string[];
  repository: { type: string; url: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  engines: { node: string };
}

describe("the npm package", function () {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;

  it("has its license file and the metadata Pulumi's registry and npm read", () => {
    assert.equal(manifest.license, "Apache-2.0");
    assert.match(fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8"), /^\s*Apache License\s+Version 2\.0, January 2004/);
    for (const keyword of ["pulumi", "kind/component"]) assert.ok(manifest.keywords.includes(keyword), keyword);
    assert.equal(manifest.repository.type, "git");
    assert.match(manifest.repository.url, /^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
  });

  it("takes @pulumi/pulumi as a caret peer (one SDK with the program's) and each cloud SDK as an optional peer", () => {
    assert.deepEqual(Object.keys(manifest.dependencies).filter((name) => name.startsWith("@pulumi/")), []);
    assert.equal(manifest.peerDependencies["@pulumi/pulumi"], "^3.248.0");
    assert.equal(manifest.peerDependenciesMeta["@pulumi/pulumi"], undefined);
    for (const [sdk, range] of [["@pulumi/aws", "^7.48.0"], ["@pulumi/gcp", "^9.37.0"]]) {
      assert.equal(manifest.peerDependencies[sdk], range);
      assert.equal(manifest.peerDependenciesMeta[sdk]?.optional, true);
      assert.equal(manifest.devDependencies[sdk], range);
    }
    // 3.248 is the last @pulumi/pulumi for Node 20; the repository's own install stays on it.
    assert.equal(manifest.devDependencies["@pulumi/pulumi"], "~3.248.0");
    assert.equal(manifest.engines.node, ">=20");
  });

  it("packs the build, the plugin folder and LICENSE, and no examples, tests, benches or scripts", () => {
    const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" })) as { files: { path: string }[] }[];
    const files = pack.files.map((file) => file.path);
    for (const file of ["LICENSE", "README.md", "package.json", "bin/dstack-pulumi", "dist/index.js", "dist/index.d.ts", "dist/provider/host.js", "provider/PulumiPlugin.yaml", "provider/package.json", "provider/index.js", "provider/install.js", "provider/schema.json"]) {
      assert.ok(files.includes(file), `${file} is not packed`);
    }
    assert.ok(files.some((file) => file.startsWith("catalog/data/")), "the catalog data is not packed");
    const unwanted = files.filter((file) => /^(examples|test|bench|scripts|docs|program|conformance)\/|^dist\/(examples|program|test|bench|scripts)\/|^provider\/(node_modules|package-lock\.json)/.test(file));
    assert.deepEqual(unwanted, []);
  });
});
