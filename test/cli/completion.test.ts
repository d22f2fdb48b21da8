/**
 * `dstack-pulumi completion bash|zsh|fish`: each script is loaded into its real shell, which is
 * asked to complete command lines (bash through its completion function, zsh through its
 * completion system in a pseudo-terminal, fish through `complete -C`). A test whose shell is not
 * installed reports itself skipped with the install command; with `CI=true` it fails instead.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { run } from "../support/run-cli";
import { requireTools } from "../support/system-tools";

/** Command lines to complete, and the words each shell must offer (sorted). */
const CASES: [string, string[]][] = [
  ["dstack-pulumi ", ["catalog", "completion", "diff", "lock", "offers", "plan", "schema", "up", "validate"]],
  ["dstack-pulumi catalog ", ["update"]],
  ["dstack-pulumi completion ", ["bash", "fish", "zsh"]],
  ["dstack-pulumi plan --spot-policy ", ["auto", "on-demand", "spot"]],
  ["dstack-pulumi catalog update --backend ", ["aws", "gcp"]],
  ["dstack-pulumi --color ", ["always", "auto", "never"]],
  ["dstack-pulumi offers --", ["--backend", "--catalog", "--color", "--help", "--json", "--limit", "--max-price", "--region", "--spot-policy", "--version"]],
  ["dstack-pulumi plan --max", ["--max-price"]],
];

const BASH_DRIVER = `source "$1"; shift
read -r -a COMP_WORDS <<< "$1"
[[ "$1" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_dstack_pulumi
printf '%s\\n' "\${COMPREPLY[@]}"
`;

/** A zsh started in a pseudo-terminal with the completion system, reporting each match it adds. */
const ZSHRC = (fpath: string) => `PROMPT=
fpath=(${fpath} $fpath)
autoload -U compinit && compinit -u -D
compadd () {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits; builtin compadd -A __hits "$@"; local ret=$?
  (( $#__hits )) || return $ret
  for ((i=1;i<=$#__hits;i++)); do echo -E - "MATCH:\${__hits[i]}"; done
  builtin compadd -Q -U ''
}
bindkey '^I' complete-word
comppostfuncs=( exit )
`;
const ZSH_DRIVER = `zmodload zsh/zpty
zpty z "ZDOTDIR=$1 zsh -d -i"
zpty -n -w z "$2"$'\\t'
while zpty -r z line; do [[ $line == *MATCH:* ]] && print -r -- \${\${line#*MATCH:}%%$'\\r'*}; done
`;

describe("CLI completion: bash, zsh and fish complete commands, flags and flag values", () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-completion-"));
    for (const [shell, file] of [["bash", "dstack-pulumi.bash"], ["zsh", "_dstack-pulumi"], ["fish", "dstack-pulumi.fish"]]) {
      const result = run("completion", shell);
      assert.deepEqual([result.code, result.stderr], [0, ""]);
      fs.writeFileSync(path.join(dir, file), result.stdout);
    }
    fs.writeFileSync(path.join(dir, "bash-driver.sh"), BASH_DRIVER);
    fs.mkdirSync(path.join(dir, "zdotdir"));
    fs.writeFileSync(path.join(dir, "zdotdir", ".zshrc"), ZSHRC(dir));
    fs.writeFileSync(path.join(dir, "zsh-driver.zsh"), ZSH_DRIVER);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The sorted words a shell offers for `line`. */
  function complete(argv: string[]): string[] {
    const result = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", timeout: 20_000, env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir } });
    assert.equal(result.error, undefined);
    return result.stdout.split("\n").map((word) => word.split("\t")[0]).filter((word) => word !== "").sort();
  }

  it("bash", function () {
    requireTools(this, ["bash"]);
    for (const [line, words] of CASES) assert.deepEqual(complete(["bash", path.join(dir, "bash-driver.sh"), path.join(dir, "dstack-pulumi.bash"), line]), words, line);
    // File names where a file is expected.
    fs.writeFileSync(path.join(dir, "box.dstack.yml"), "");
    assert.deepEqual(complete(["bash", path.join(dir, "bash-driver.sh"), path.join(dir, "dstack-pulumi.bash"), `dstack-pulumi plan ${dir}/box`]), [`${dir}/box.dstack.yml`]);
  });

  it("zsh", function () {
    requireTools(this, ["zsh"]);
    for (const [line, words] of CASES) assert.deepEqual(complete(["zsh", "-f", path.join(dir, "zsh-driver.zsh"), path.join(dir, "zdotdir"), line]), words, line);
  });

  it("fish", function () {
    requireTools(this, ["fish"]);
    for (const [line, words] of CASES) assert.deepEqual(complete(["fish", "--no-config", "-c", `source ${path.join(dir, "dstack-pulumi.fish")}; complete -C '${line}'`]), words, line);
  });
});
