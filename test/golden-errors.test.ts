/**
 * Golden files of `validate`'s human error output: for every invalid fixture
 * `test/fixtures/invalid/NAME.dstack.yml`, stderr must equal `NAME.errors.txt` exactly.
 *
 * Regenerate the goldens with `UPDATE_GOLDEN=1 npx mocha` (then read every diff).
 */
import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { PLAIN } from "../cli/format-issues";
import { main } from "../cli/main";
import type { Output } from "../cli/validate";
import { assertGolden } from "./support/golden";

/** `dist/test` after compilation: the repository root is two levels up. */
const REPO_ROOT = join(__dirname, "..", "..");
/** Fixtures are read from the source tree, not from dist. */
const INVALID_DIR = join(REPO_ROOT, "test", "fixtures", "invalid");
const SUFFIX = ".dstack.yml";

const fixtures = readdirSync(INVALID_DIR)
  .filter((name) => name.endsWith(SUFFIX))
  .sort();

/** The fixture's path as the user would type it from the repository root (always with `/`). */
function relativePath(name: string): string {
  return relative(REPO_ROOT, join(INVALID_DIR, name)).split("\\").join("/");
}

function goldenPath(name: string): string {
  return join(INVALID_DIR, name.slice(0, -SUFFIX.length) + ".errors.txt");
}

/** Runs the CLI in-process from the repository root, collecting what it writes. */
function run(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const output: Output = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), palette: PLAIN };
  const previous = process.cwd();
  process.chdir(REPO_ROOT);
  try {
    const code = main(args, output) as number; // validate is synchronous
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

interface JsonError {
  line: unknown;
  column: unknown;
  path: unknown;
  message: unknown;
  code: unknown;
  hint?: unknown;
}

describe("golden error output of validate (test/fixtures/invalid)", () => {
  it("has at least 15 invalid fixtures", () => {
    assert.ok(fixtures.length >= 15, `only ${fixtures.length} fixtures in ${INVALID_DIR}`);
  });

  for (const name of fixtures) {
    it(`${name}: prints the golden errors and exits 1`, () => {
      const file = relativePath(name);
      const result = run(["validate", file]);
      assert.equal(result.code, 1, `exit code of validate ${file}`);
      assert.equal(result.stdout, "", "nothing on stdout");
      assertGolden(goldenPath(name), result.stderr, `validate ${file}`);
    });
  }

  it("validate --json reports every error with a position, path, message and code, sorted by position", () => {
    const files = fixtures.map(relativePath);
    const result = run(["validate", "--json", ...files]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, "");
    const lines = result.stdout.trimEnd().split("\n");
    assert.equal(lines.length, files.length, "one JSON line per file");
    lines.forEach((line, index) => {
      const report = JSON.parse(line) as { file: string; ok: boolean; errors?: JsonError[] };
      assert.equal(report.file, files[index]);
      assert.equal(report.ok, false, `${report.file} is invalid`);
      assert.ok(Array.isArray(report.errors) && report.errors.length > 0, `${report.file} has errors`);
      const errors = report.errors;
      for (const error of errors) {
        const where = `${report.file}: ${JSON.stringify(error)}`;
        assert.ok(Number.isInteger(error.line) && (error.line as number) >= 1, `line >= 1 in ${where}`);
        assert.ok(Number.isInteger(error.column) && (error.column as number) >= 1, `column >= 1 in ${where}`);
        assert.equal(typeof error.path, "string", `path in ${where}`);
        assert.ok(typeof error.message === "string" && error.message.length > 0, `message in ${where}`);
        assert.ok(typeof error.code === "string" && error.code.length > 0, `code in ${where}`);
        if (error.hint !== undefined) assert.equal(typeof error.hint, "string", `hint in ${where}`);
      }
      for (let i = 1; i < errors.length; i++) {
        const a = errors[i - 1];
        const b = errors[i];
        const ordered = (a.line as number) < (b.line as number) || (a.line === b.line && (a.column as number) <= (b.column as number));
        assert.ok(ordered, `${report.file}: errors not sorted by (line, column): ${JSON.stringify(a)} before ${JSON.stringify(b)}`);
      }
    });
  });
});
