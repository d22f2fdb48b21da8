/**
 * Golden bootstrap scripts (and AWS cloud-configs) for the six scenarios: the rendered text must
 * equal the committed file (UPDATE_GOLDEN=1 rewrites them; read the diff before committing).
 */
import { strict as assert } from "node:assert";
import path from "node:path";
import { parse } from "yaml";
import { renderBootPayload } from "../../bootstrap/render";
import { scenarios } from "../support/bootstrap-scenarios";
import { assertGolden } from "../support/golden";

const DIR = path.resolve(__dirname, "../../../test/fixtures/bootstrap");

function checkGolden(file: string, actual: string): void {
  assertGolden(path.join(DIR, file), actual);
}

describe("bootstrap goldens", () => {
  for (const { name, input } of scenarios()) {
    it(`${name}: script${input.target === "aws-vm" ? " and cloud-config" : " (startup-script)"}`, () => {
      const payload = renderBootPayload(input);
      checkGolden(`${name}.sh`, payload.script);
      if (input.target === "aws-vm") {
        assert.equal(payload.startupScript, null);
        checkGolden(`${name}.cloud-config.yaml`, payload.userData!);
        // The YAML carries the script byte for byte.
        const config = parse(payload.userData!) as { write_files: { path: string; content: string }[] };
        assert.equal(config.write_files[0].path, "/usr/local/lib/dstack-pulumi/bootstrap.sh");
        assert.equal(config.write_files[0].content, payload.script);
      } else {
        assert.equal(payload.userData, null);
        assert.equal(payload.startupScript, payload.script);
      }
    });
  }
});
