/**
 * The recent dstack fields user, shell and priority.
 *
 * Expected values of the `conf-*` cases are the `expect` values of the conformance vectors (what
 * recent dstack returns); error texts are ours.
 */
import assert from "node:assert/strict";
import { PyFloat } from "../../config/py-values";
import { parsePriority } from "../../config/priority";
import { parseShell } from "../../config/shell";
import { parseUser } from "../../config/user";
import { rejects } from "./rejects";

const USER_FORMS = '"user" or "user:group", each a name or a numeric id (e.g. "ubuntu", "1000:1000")';
const SHELL_MESSAGE = (text: string) => `"${text}" is not a valid shell: use "sh", "bash" or an absolute path such as "/usr/bin/zsh"`;

describe("recent dstack fields", () => {
  describe("user", () => {
    it("conf-user, conf-user-int: keeps the text; numbers become text", () => {
      assert.equal(parseUser("1000:1000"), "1000:1000");
      assert.equal(parseUser(1000), "1000");
      assert.equal(parseUser("ubuntu"), "ubuntu");
      assert.equal(parseUser("ubuntu:wheel"), "ubuntu:wheel");
      assert.equal(parseUser(" 1000 :+5"), " 1000 :+5");
      assert.equal(parseUser("-0"), "-0");
      assert.equal(parseUser(new PyFloat(1.5)), "1.5");
      assert.equal(parseUser(null), null);
      assert.equal(parseUser(undefined), null);
    });

    it("conf-user-empty-user, conf-user-too-many-parts and other bad forms", () => {
      rejects(() => parseUser(":wheel"), `invalid user ":wheel": the user name or id before ":" is empty; use ${USER_FORMS}`, "invalid_value");
      rejects(() => parseUser("a:b:c"), `invalid user "a:b:c": too many parts (3); use ${USER_FORMS}`, "invalid_value");
      rejects(() => parseUser("ubuntu:"), `invalid user "ubuntu:": the group name or id after ":" is empty; use ${USER_FORMS}`, "invalid_value");
      rejects(() => parseUser(""), `invalid user "": the user name or id is empty; use ${USER_FORMS}`, "invalid_value");
      rejects(() => parseUser("-1"), 'invalid user "-1": the uid cannot be negative (-1)', "invalid_range");
      rejects(() => parseUser("1000:-1_0"), 'invalid user "1000:-1_0": the gid cannot be negative (-10)', "invalid_range");
      rejects(() => parseUser(["root"]), "expected a string, got a list", "invalid_type");
      rejects(() => parseUser({ name: "root" }), "expected a string, got a mapping", "invalid_type");
    });
  });

  describe("shell", () => {
    it("conf-shell-abs: sh, bash and absolute paths", () => {
      assert.equal(parseShell("/usr/bin/zsh"), "/usr/bin/zsh");
      assert.equal(parseShell("sh"), "sh");
      assert.equal(parseShell("bash"), "bash");
      assert.equal(parseShell("//bin/fish"), "//bin/fish");
      assert.equal(parseShell(null), null);
    });

    it("conf-shell-zsh-invalid: a bare name or a relative path, with a hint", () => {
      rejects(() => parseShell("zsh"), SHELL_MESSAGE("zsh"), "invalid_value", [], 'Use an absolute path such as "/usr/bin/zsh"');
      rejects(() => parseShell("Bash"), SHELL_MESSAGE("Bash"), "invalid_value", [], 'Did you mean "bash"?');
      rejects(() => parseShell("bin/zsh"), SHELL_MESSAGE("bin/zsh"), "invalid_value", [], 'Use an absolute path such as "/bin/zsh"');
      rejects(() => parseShell(""), SHELL_MESSAGE(""), "invalid_value");
      rejects(() => parseShell(5), SHELL_MESSAGE("5"), "invalid_value");
      rejects(() => parseShell(["bash"]), "expected a string, got a list", "invalid_type");
    });
  });

  describe("priority", () => {
    it("conf-priority-ok: 0..100", () => {
      assert.equal(parsePriority(50), 50);
      assert.equal(parsePriority(0), 0);
      assert.equal(parsePriority("100"), 100);
      assert.equal(parsePriority(null), null);
    });

    it("conf-priority-too-high and other bad values", () => {
      rejects(() => parsePriority(101), "priority must be between 0 and 100, got 101", "invalid_range");
      rejects(() => parsePriority(-1), "priority must be between 0 and 100, got -1", "invalid_range");
      rejects(() => parsePriority("high"), 'expected an integer, got "high"', "invalid_type");
      rejects(() => parsePriority([1]), "expected an integer, got a list", "invalid_type");
    });
  });
});
