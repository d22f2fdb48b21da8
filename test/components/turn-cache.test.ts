/**
 * Answers kept for one turn of the event loop (components/turn-cache.ts), and gitInfo's use of
 * them: environments declared together read a repository once; the next turn reads it again.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gitInfo } from "../../components/git-info";
import { TurnCache } from "../../components/turn-cache";
import { describeNeeds, toolPath } from "../support/system-tools";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("TurnCache", () => {
  it("answers the same key once in a turn, each other key by itself, and every key again in the next turn", async () => {
    const cache = new TurnCache<string>();
    const asked: string[] = [];
    const answer = (key: string) => cache.get(key, () => {
      asked.push(key);
      return `${key}#${asked.length}`;
    });
    assert.deepEqual([answer("a"), answer("a"), answer("b"), answer("a"), answer("b")], ["a#1", "a#1", "b#2", "a#1", "b#2"]);
    assert.deepEqual(asked, ["a", "b"]);
    await Promise.resolve(); // a microtask is still this turn
    assert.equal(answer("a"), "a#1");
    await nextTurn();
    assert.deepEqual([answer("a"), answer("a"), answer("b")], ["a#3", "a#3", "b#4"]);
    assert.deepEqual(asked, ["a", "b", "a", "b"]);
  });

  it("keeps null and undefined answers, and no error", () => {
    const cache = new TurnCache<string | null | undefined>();
    let calls = 0;
    assert.equal(cache.get("null", () => (calls++, null)), null);
    assert.equal(cache.get("null", () => (calls++, "other")), null);
    assert.equal(cache.get("undefined", () => (calls++, undefined)), undefined);
    assert.equal(cache.get("undefined", () => (calls++, "other")), undefined);
    assert.equal(calls, 2);
    assert.throws(() => cache.get("error", () => { throw new Error("boom"); }), { message: "boom" });
    assert.equal(cache.get("error", () => "answered"), "answered");
  });
});

describe("gitInfo in one turn", () => {
  describeNeeds(["git"]);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "turn-cache-"));
  after(() => fs.rmSync(temp, { recursive: true, force: true }));

  function repository(name: string): string {
    const dir = path.join(temp, name);
    fs.mkdirSync(path.join(dir, "sub"), { recursive: true });
    const git = (...args: string[]) => execFileSync(toolPath("git"), args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } });
    git("init", "-q", "-b", "main");
    fs.writeFileSync(path.join(dir, "file.txt"), `${name}\n`);
    git("add", ".");
    git("commit", "-q", "-m", name);
    return dir;
  }

  it("reads a repository once per turn (from any folder in it), each repository by itself, and again in the next turn", async () => {
    await nextTurn();
    const one = repository("one");
    const two = repository("two");
    const first = gitInfo(one);
    assert.equal(first?.top, one);
    assert.equal(first?.uncommitted, 0);
    fs.appendFileSync(path.join(one, "file.txt"), "changed\n");
    assert.equal(gitInfo(one), first, "the same answer in the same turn");
    assert.equal(gitInfo(path.join(one, "sub")), first, "a folder of the same repository, the same answer");
    const other = gitInfo(two);
    assert.equal(other?.top, two);
    assert.notEqual(other?.hash, first?.hash);
    assert.equal(gitInfo(path.join(temp, "none")), null);
    await nextTurn();
    const later = gitInfo(one);
    assert.equal(later?.uncommitted, 1, "the next turn reads the repository again");
    assert.equal(later?.hash, first?.hash);
  });
});
