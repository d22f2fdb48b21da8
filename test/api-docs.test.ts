/**
 * docs/api/ (the API reference pages, as a Pulumi Registry package lays them out) is exactly what
 * scripts/api-docs.ts renders from the built schema and package.json: after a change to the args
 * or their JSDoc, `npm run docs` writes the pages again.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import { currentApiDocs, DOCS_DIR, pascalCase, snakeCase } from "../scripts/api-docs";

describe("API reference pages (docs/api)", () => {
  const pages = currentApiDocs();

  it("are the committed pages, file for file (else run `npm run docs`)", () => {
    assert.deepEqual(fs.readdirSync(DOCS_DIR).sort(), Object.keys(pages).sort());
    for (const [file, text] of Object.entries(pages)) assert.equal(fs.readFileSync(path.join(DOCS_DIR, file), "utf8"), text, `docs/api/${file} differs: run npm run docs`);
  });

  it("have an index, one page per resource with every input and output, and each supporting type once per page", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(DOCS_DIR, "..", "..", "provider", "schema.json"), "utf8")) as { resources: Record<string, { inputProperties: object; properties: object }> };
    assert.deepEqual(Object.keys(pages).sort(), ["_index.md", "devenvironment.md", "tpuqueuedresource.md", "volume.md"]);
    for (const [token, resource] of Object.entries(schema.resources)) {
      const page = pages[`${token.split(":").pop()!.toLowerCase()}.md`];
      assert.ok(page.includes(`\`${token}\``));
      for (const section of ["## Create a", "## Inputs", "## Outputs", "## Supporting types", "```python", "```go", "```csharp", "```yaml", "```typescript"]) assert.ok(page.includes(section), `${token}: ${section}`);
      for (const name of [...Object.keys(resource.inputProperties), ...Object.keys(resource.properties)]) assert.match(page, new RegExp(`#### \`${name}\``), `${token}: ${name}`);
      const anchors = page.match(/<a id="[a-z]+"><\/a>/g) ?? [];
      assert.equal(new Set(anchors).size, anchors.length);
    }
    assert.match(pages["_index.md"], /## Package details[\s\S]*Repository: https:\/\/github\.com\/[\s\S]*License: Apache-2\.0/);
  });

  it("name each property as every language's SDK does", () => {
    assert.deepEqual([snakeCase("sshPublicKey"), snakeCase("instance_type"), snakeCase("ideUrl"), snakeCase("maxPrice")], ["ssh_public_key", "instance_type", "ide_url", "max_price"]);
    assert.deepEqual([pascalCase("sshPublicKey"), pascalCase("instance_type"), pascalCase("aws")], ["SshPublicKey", "InstanceType", "Aws"]);
  });
});
