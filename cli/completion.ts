/**
 * `dstack-pulumi completion bash|zsh|fish`: shell completion scripts, generated from the program's
 * own commands and flags (so they cannot drift): command names, each command's flags, the values
 * of flags with a fixed set (`--backend aws|gcp`, `--spot-policy`, `--color`, the shell), and
 * file names where a file is expected.
 */
import type { Argument, Command, Option } from "commander";

/** What a flag or an argument takes: a fixed set of words, a file, or any text. */
export type Values = { words: readonly string[] } | "files" | "any";

export interface FlagSpec {
  /** `--backend`, or `-V` and `--version`. */
  names: string[];
  description: string;
  /** null for a flag without a value. */
  value: Values | null;
  repeatable: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  flags: FlagSpec[];
  subcommands: CommandSpec[];
  /** What the operands are; null when the command takes none. */
  operands: Values | null;
}

/** Values of flags that commander does not know as choices (they are collected, and checked later). */
const FLAG_VALUES: Record<string, Values> = {
  "--backend": { words: ["aws", "gcp"] },
  "--catalog": "files",
  "--out": "files",
  "--ssh-public-key": "files",
};

const HELP: FlagSpec = { names: ["-h", "--help"], description: "show help", value: null, repeatable: false };

function flagSpec(option: Option): FlagSpec {
  const names = [option.short, option.long].filter((name): name is string => name !== undefined);
  const takesValue = option.required || option.optional;
  const value: Values | null = !takesValue ? null : option.argChoices ? { words: option.argChoices } : (FLAG_VALUES[option.long ?? ""] ?? "any");
  // A flag whose parser collects (`--region a --region b`) is described as "repeat for more".
  return { names, description: option.description, value, repeatable: /repeat for/.test(option.description) };
}

function operandsOf(args: readonly Argument[]): Values | null {
  if (args.length === 0) return null;
  return args[0].argChoices ? { words: args[0].argChoices } : "files";
}

/** The program as data: its commands, their flags (with the program's global flags) and operands. */
export function describeCommands(command: Command, global: FlagSpec[] = []): CommandSpec {
  const flags = [...command.options.map(flagSpec), ...global, HELP];
  const inherited = global.length === 0 ? command.options.filter((option) => option.long !== "--version").map(flagSpec) : global;
  return {
    name: command.name(),
    description: command.description(),
    flags,
    subcommands: command.commands.map((sub) => describeCommands(sub, inherited)),
    operands: operandsOf(command.registeredArguments),
  };
}

/** Every command below the program with its path (`["catalog", "update"]`), the program first with `[]`. */
function withPaths(spec: CommandSpec, path: string[] = []): { path: string[]; spec: CommandSpec }[] {
  return [{ path, spec }, ...spec.subcommands.flatMap((sub) => withPaths(sub, [...path, sub.name]))];
}

const shellWords = (values: Values | null): string => (values === null || values === "any" ? "" : values === "files" ? "@files" : values.words.join(" "));

/** The bash script: `_dstack_pulumi` reads COMP_WORDS/COMP_CWORD and sets COMPREPLY. */
export function bashCompletion(program: CommandSpec): string {
  const entries = withPaths(program);
  const caseOf = (body: (entry: { path: string[]; spec: CommandSpec }) => string | null) =>
    entries.map((entry) => [entry, body(entry)] as const).filter(([, text]) => text !== null && text !== "").map(([entry, text]) => `    "${entry.path.join(" ")}") ${text} ;;`).join("\n");
  const valued = entries.flatMap(({ path, spec }) => spec.flags.filter((flag) => flag.value !== null).flatMap((flag) => flag.names.map((name) => ({ key: `${path.join(" ")}|${name}`, words: shellWords(flag.value) }))));
  return `# bash completion for ${program.name}: source <(${program.name} completion bash)
_dstack_pulumi_commands() {
  case "$1" in
${caseOf(({ spec }) => (spec.subcommands.length ? `echo "${spec.subcommands.map((sub) => sub.name).join(" ")}"` : null))}
  esac
}
_dstack_pulumi_flags() {
  case "$1" in
${caseOf(({ spec }) => `echo "${spec.flags.flatMap((flag) => flag.names).join(" ")}"`)}
  esac
}
_dstack_pulumi_operands() {
  case "$1" in
${caseOf(({ spec }) => (spec.operands ? `echo "${shellWords(spec.operands)}"` : null))}
  esac
}
# The words a flag's value may be (@files: a file name); fails for a flag without a value.
_dstack_pulumi_flag_values() {
  case "$1|$2" in
${valued.map(({ key, words }) => `    "${key}") echo "${words}" ;;`).join("\n")}
    *) return 1 ;;
  esac
}
_dstack_pulumi_reply() {
  if [[ "$1" == "@files" ]]; then
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$2"))
  elif [[ -n "$1" ]]; then
    COMPREPLY=($(compgen -W "$1" -- "$2"))
  fi
}
_dstack_pulumi() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word i values
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if _dstack_pulumi_flag_values "$path" "$word" >/dev/null; then i=$((i + 1)); continue; fi
    [[ "$word" == -* ]] && continue
    [[ " $(_dstack_pulumi_commands "$path") " == *" $word "* ]] && path="\${path:+$path }$word"
  done
  if ((COMP_CWORD > 1)) && values="$(_dstack_pulumi_flag_values "$path" "\${COMP_WORDS[COMP_CWORD - 1]}")"; then
    _dstack_pulumi_reply "$values" "$cur"
  elif [[ "$cur" == -* ]]; then
    _dstack_pulumi_reply "$(_dstack_pulumi_flags "$path")" "$cur"
  elif [[ -n "$(_dstack_pulumi_commands "$path")" ]]; then
    _dstack_pulumi_reply "$(_dstack_pulumi_commands "$path")" "$cur"
  else
    _dstack_pulumi_reply "$(_dstack_pulumi_operands "$path")" "$cur"
  fi
  return 0
}
complete -F _dstack_pulumi ${program.name}
`;
}

/** Text inside a zsh single-quoted `_arguments` spec: no brackets, quotes escaped. */
const zshText = (text: string): string => text.replace(/\[/g, "(").replace(/\]/g, ")").replace(/'/g, "'\\''");

function zshAction(values: Values, label: string): string {
  if (values === "files") return `:${label}:_files`;
  if (values === "any") return `:${label}: `;
  return `:${label}:(${values.words.join(" ")})`;
}

function zshFlag(flag: FlagSpec): string {
  const description = `[${zshText(flag.description)}]`;
  const value = flag.value === null ? "" : zshAction(flag.value, flag.names[flag.names.length - 1].replace(/^-+/, ""));
  if (flag.names.length > 1) return `'(${flag.names.join(" ")})'{${flag.names.join(",")}}'${description}${value}'`;
  return `'${flag.repeatable ? "*" : ""}${flag.names[0]}${description}${value}'`;
}

const zshFunction = (path: string[]): string => ["_dstack_pulumi", ...path].join("_");

/** The zsh script: a `#compdef` function (for `fpath`) that also registers itself when sourced. */
export function zshCompletion(program: CommandSpec): string {
  const functions = withPaths(program).map(({ path, spec }) => {
    const items = spec.flags.map(zshFlag);
    const call = (head: string, extra: string[]) => [head, ...[...items, ...extra].map((item) => `    ${item}`).join(" \\\n").split("\n")];
    if (spec.subcommands.length === 0) {
      const operands = spec.operands === null ? [] : [`'*${zshAction(spec.operands, "operand")}'`];
      return [`${zshFunction(path)}() {`, ...call("  _arguments -s \\", operands), "}"].join("\n");
    }
    const described = spec.subcommands.map((sub) => `        '${sub.name}:${zshText(sub.description)}'`);
    const dispatch = spec.subcommands.map((sub) => `        ${sub.name}) ${zshFunction([...path, sub.name])} ;;`);
    return [
      `${zshFunction(path)}() {`,
      '  local curcontext="$curcontext" state line',
      ...call("  _arguments -C \\", ["'1: :->command'", "'*:: :->operand'"]),
      "  case $state in",
      "    command)",
      "      local -a commands",
      "      commands=(",
      ...described,
      "      )",
      "      _describe -t commands command commands ;;",
      "    operand)",
      "      case $line[1] in",
      ...dispatch,
      "      esac ;;",
      "  esac",
      "}",
    ].join("\n");
  });
  return `#compdef ${program.name}
# zsh completion for ${program.name}: ${program.name} completion zsh > "\${fpath[1]}/_${program.name}"
# (or, after compinit: source <(${program.name} completion zsh))
${functions.join("\n\n")}

if [[ "\${funcstack[1]}" == "_${program.name}" ]]; then
  _dstack_pulumi "$@"
else
  compdef _dstack_pulumi ${program.name}
fi
`;
}

/** Text inside a fish single-quoted string. */
const fishText = (text: string): string => text.replace(/\\/g, "\\\\").replace(/'/g, "\\'");

/** The fish script: one `complete` line per command, flag and operand set. */
export function fishCompletion(program: CommandSpec): string {
  const name = program.name;
  const lines = [`# fish completion for ${name}: ${name} completion fish > ~/.config/fish/completions/${name}.fish`, `complete -c ${name} -f`];
  for (const { path, spec } of withPaths(program)) {
    const inside = path.length === 0 ? "" : `__fish_seen_subcommand_from ${path[path.length - 1]}`;
    const below = spec.subcommands.map((sub) => sub.name).join(" ");
    const here = path.length === 0 ? "__fish_use_subcommand" : `${inside}; and not __fish_seen_subcommand_from ${below}`;
    for (const sub of spec.subcommands) lines.push(`complete -c ${name} -n '${here}' -a ${sub.name} -d '${fishText(sub.description)}'`);
    const flagsWhen = spec.subcommands.length > 0 ? here : inside;
    for (const flag of spec.flags) {
      const names = flag.names.map((flagName) => (flagName.startsWith("--") ? `-l ${flagName.slice(2)}` : `-s ${flagName.slice(1)}`)).join(" ");
      const value = flag.value === null ? "" : flag.value === "files" ? " -r -F" : flag.value === "any" ? " -x" : ` -x -a '${flag.value.words.join(" ")}'`;
      lines.push(`complete -c ${name} -n '${flagsWhen}' ${names}${value} -d '${fishText(flag.description)}'`);
    }
    if (spec.operands !== null && inside) {
      lines.push(spec.operands === "files" ? `complete -c ${name} -n '${inside}' -F` : `complete -c ${name} -n '${inside}' -a '${shellWords(spec.operands)}'`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The completion script for `shell`, from the program's commands. */
export function completionScript(shell: "bash" | "zsh" | "fish", program: Command): string {
  const spec = describeCommands(program);
  return shell === "bash" ? bashCompletion(spec) : shell === "zsh" ? zshCompletion(spec) : fishCompletion(spec);
}
