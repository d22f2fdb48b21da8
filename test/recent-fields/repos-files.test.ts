/**
 * The recent dstack fields repos and files.
 *
 * Expected values of the `conf-*` cases are the `expect` values of the conformance vectors (what
 * recent dstack returns); error texts are ours.
 */
import assert from "node:assert/strict";
import { isWindowsAbsolute, parseFiles, parseRepos } from "../../config/repos";
import { rejects } from "./rejects";

const REPO = { local_path: null, url: null, branch: null, hash: null, path: ".", if_exists: "error" };

describe("recent dstack fields", () => {
  describe("repos", () => {
    it("conf-repos-local, conf-repos-url-path: the string forms", () => {
      assert.deepStrictEqual(parseRepos(["."]), [{ ...REPO, local_path: "." }]);
      assert.deepStrictEqual(parseRepos(["https://example.com/repo.git:/repo"]), [{ ...REPO, url: "https://example.com/repo.git", path: "/repo" }]);
      assert.deepStrictEqual(parseRepos(["git@github.com:org/repo.git"]), [{ ...REPO, url: "git@github.com:org/repo.git" }]);
      assert.deepStrictEqual(parseRepos(["git@github.com:org/repo.git:~/src"]), [{ ...REPO, url: "git@github.com:org/repo.git", path: "~/src" }]);
      assert.deepStrictEqual(parseRepos(["C:\\src\\repo:/repo"]), [{ ...REPO, local_path: "C:\\src\\repo", path: "/repo" }]);
      assert.deepStrictEqual(parseRepos(["c:/src"]), [{ ...REPO, local_path: "c:/src" }]);
      // dstack's own rules: `host:path` without `@` or `//` is a local path and a container path.
      assert.deepStrictEqual(parseRepos(["github.com:org"]), [{ ...REPO, local_path: "github.com", path: "org" }]);
      assert.deepStrictEqual(parseRepos([]), []);
      assert.deepStrictEqual(parseRepos(undefined), []);
    });

    it("the object form, with defaults", () => {
      assert.deepStrictEqual(parseRepos([{ url: "https://github.com/org/repo", branch: "main", hash: 1234, path: "~", if_exists: "skip" }]), [
        { local_path: null, url: "https://github.com/org/repo", branch: "main", hash: "1234", path: "~", if_exists: "skip" },
      ]);
      assert.deepStrictEqual(parseRepos([{ local_path: "..", url: "" }]), [{ ...REPO, local_path: "..", url: "" }]);
    });

    it("conf-repos-two, conf-repos-tilde-user and other errors", () => {
      rejects(() => parseRepos([".", "https://github.com/org/repo"]), "A maximum of one repo is currently supported; this list has 2", "invalid_value", [1]);
      const tilde = 'Use "~" or "~/dir" for the home directory, or an absolute path';
      rejects(() => parseRepos([{ local_path: ".", path: "~alice/x" }]), 'the "~username" syntax is not supported in a repo path: "~alice/x"', "invalid_value", [0, "path"], tilde);
      rejects(() => parseRepos([".:~alice"]), 'the "~username" syntax is not supported in a repo path: "~alice"', "invalid_value", [0], tilde);
      rejects(() => parseRepos(["a:b:c"]), 'invalid repo "a:b:c": use "source" or "source:path", where source is a local path, a URL or git@host:org/repo.git', "invalid_value", [0]);
      rejects(() => parseRepos([":/repo"]), 'invalid repo ":/repo": the source (a local path or a Git URL) is empty', "invalid_value", [0]);
      rejects(() => parseRepos([{ local_path: ".", url: "https://x" }]), '"local_path" and "url" are mutually exclusive: give one of them', "conflict", [0, "url"]);
      rejects(() => parseRepos([{ branch: "main" }]), 'a repo needs "local_path" (a folder on this machine) or "url" (a Git URL)', "missing_field", [0]);
      rejects(() => parseRepos([{ url: "u", path: null }]), "expected a string, got null", "invalid_type", [0, "path"]);
      rejects(() => parseRepos([{ url: "u", if_exists: "Skip" }]), '"Skip" is not a valid if_exists action; allowed: error, skip', "invalid_choice", [0, "if_exists"], 'Did you mean "skip"?');
      rejects(() => parseRepos([{ url: "u", pth: "/r" }]), 'unknown field "pth" in a repo; allowed: local_path, url, branch, hash, path, if_exists', "unknown_field", [0, "pth"], 'Did you mean "path"?');
      rejects(() => parseRepos(null), "expected a list of repos, got null", "invalid_type");
      rejects(() => parseRepos("."), 'expected a list of repos, got a string (".")', "invalid_type");
      rejects(() => parseRepos([["."]]), 'expected a repo: a path or URL, or a mapping with "local_path" or "url", got a list', "invalid_type", [0]);
    });
  });

  describe("files", () => {
    it("conf-files, conf-files-windows-src: local[:container] and objects", () => {
      assert.deepStrictEqual(parseFiles(["./data:/data", "config.yaml"]), [
        { local_path: "./data", path: "/data" },
        { local_path: "config.yaml", path: "config.yaml" },
      ]);
      assert.deepStrictEqual(parseFiles(["C:\\data:/data"]), [{ local_path: "C:\\data", path: "/data" }]);
      assert.deepStrictEqual(parseFiles([{ local_path: "~/.aws", path: "/root/.aws" }]), [{ local_path: "~/.aws", path: "/root/.aws" }]);
      assert.deepStrictEqual(parseFiles([{ local_path: 1, path: "rel\\win" }]), [{ local_path: "1", path: "rel\\win" }]);
      assert.deepStrictEqual(parseFiles(undefined), []);
    });

    it("conf-files-windows-dest and other errors", () => {
      const hint = 'Use a path such as "/data" or a relative one';
      rejects(() => parseFiles(["d:/path/to"]), 'the container path must be a Unix path, got "d:/path/to"', "invalid_value", [0], hint);
      rejects(() => parseFiles(["ab:\\\\server\\share"]), 'the container path must be a Unix path, got "\\\\\\\\server\\\\share"', "invalid_value", [0], hint);
      rejects(() => parseFiles([{ local_path: "a", path: "C:\\x" }]), 'the container path must be a Unix path, got "C:\\\\x"', "invalid_value", [0, "path"], hint);
      rejects(() => parseFiles(["a:b:c"]), 'invalid file mapping "a:b:c": use "local_path" or "local_path:container_path"', "invalid_value", [0]);
      rejects(() => parseFiles([{ local_path: "a" }]), 'a file mapping needs "path"', "missing_field", [0, "path"]);
      rejects(() => parseFiles([{ path: "/a" }]), 'a file mapping needs "local_path"', "missing_field", [0, "local_path"]);
      rejects(() => parseFiles(null), "expected a list of file mappings, got null", "invalid_type");
    });

    it("reads Windows-absolute container paths as Python 3.9-3.11 do", () => {
      for (const path of ["C:/", "c:\\x", "//server/share", "\\\\a\\b", "//server/", "/\\a\\b", "//?/C:/x"]) assert.equal(isWindowsAbsolute(path), true, path);
      for (const path of ["/x", "//x", "///x", "//a//b", "C:x", "1:/x", "a\\b", "\\x", ""]) assert.equal(isWindowsAbsolute(path), false, path);
    });
  });
});
