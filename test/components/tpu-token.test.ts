/**
 * Where the queued TPU's provider gets its access token (components/gcp/tpu-token.ts):
 * GOOGLE_OAUTH_ACCESS_TOKEN, else a gcloud on PATH (here a stand-in script that counts its calls),
 * user login before application default, reused for a while, asked again after a refusal; none
 * working is an error that says how to log in.
 */
import { strict as assert } from "node:assert";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { defaultTokenSource, GCLOUD_TOKEN_SECONDS } from "../../components/gcp/tpu-token";

/** A folder with a `gcloud` that answers `auth print-access-token` (or, with `userLogin: false`, only the application-default form), logging each call. */
function fakeGcloud(userLogin = true): { bin: string; path: string; calls: () => string[] } {
  const bin = mkdtempSync(path.join(tmpdir(), "fake-gcloud-"));
  const log = path.join(bin, "calls.log");
  writeFileSync(log, "");
  const script = [
    "#!/bin/sh",
    `echo "$*" >> '${log}'`,
    `if [ "$*" = "auth print-access-token" ] && [ ${userLogin ? 1 : 0} = 1 ]; then n=$(wc -l < '${log}'); echo "user-token-$n"; exit 0; fi`,
    'if [ "$*" = "auth application-default print-access-token" ]; then echo adc-token; exit 0; fi',
    'echo "ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected." >&2',
    "exit 1",
    "",
  ].join("\n");
  writeFileSync(path.join(bin, "gcloud"), script);
  chmodSync(path.join(bin, "gcloud"), 0o755);
  // The stand-in first; the system's tools (sh, wc) after it.
  return { bin, path: `${bin}:/usr/bin:/bin`, calls: () => readFileSync(log, "utf8").split("\n").filter((line) => line !== "") };
}

describe("queued TPU: the access token", () => {
  it("GOOGLE_OAUTH_ACCESS_TOKEN first: gcloud is not run", async () => {
    const gcloud = fakeGcloud();
    const source = defaultTokenSource({ GOOGLE_OAUTH_ACCESS_TOKEN: " env-token\n", PATH: gcloud.path });
    assert.equal(await source.token(), "env-token");
    assert.deepEqual(gcloud.calls(), []);
  });

  it("gcloud's user login: reused for a while, asked again after a refusal or once the while is over", async () => {
    const gcloud = fakeGcloud();
    let now = 1_000_000;
    const source = defaultTokenSource({ PATH: gcloud.path }, () => now);
    assert.equal(await source.token(), "user-token-1");
    assert.equal(await source.token(), "user-token-1");
    source.invalidate();
    assert.equal(await source.token(), "user-token-2");
    now += GCLOUD_TOKEN_SECONDS * 1000;
    assert.equal(await source.token(), "user-token-3");
    assert.deepEqual(gcloud.calls(), ["auth print-access-token", "auth print-access-token", "auth print-access-token"]);
  });

  it("no user login: application default credentials", async () => {
    const gcloud = fakeGcloud(false);
    assert.equal(await defaultTokenSource({ PATH: gcloud.path }).token(), "adc-token");
    assert.deepEqual(gcloud.calls(), ["auth print-access-token", "auth application-default print-access-token"]);
  });

  it("no token and no gcloud: an error that says what was tried and how to log in", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "no-gcloud-"));
    await assert.rejects(defaultTokenSource({ PATH: empty }).token(), {
      message:
        "no Google credentials for the Cloud TPU API (queued TPUs call it directly): set GOOGLE_OAUTH_ACCESS_TOKEN, or log in with gcloud auth login (or gcloud auth application-default login). " +
        "Tried: gcloud auth print-access-token: spawn gcloud ENOENT; gcloud auth application-default print-access-token: spawn gcloud ENOENT",
    });
    const loggedOut = fakeGcloud(false);
    writeFileSync(path.join(loggedOut.bin, "gcloud"), "#!/bin/sh\necho 'ERROR: (gcloud.auth) not logged in' >&2\nexit 1\n");
    await assert.rejects(defaultTokenSource({ PATH: loggedOut.path }).token(), /Tried: gcloud auth print-access-token: ERROR: \(gcloud\.auth\) not logged in; gcloud auth application-default print-access-token: ERROR: \(gcloud\.auth\) not logged in$/);
  });
});
