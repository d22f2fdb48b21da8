# shellcheck shell=bash
# The code in /workflow (bootstrap/shell/workflow-repo.sh): the user's repository, cloned on the
# VM into the folder the container sees as /workflow, at the first boot and before the container
# starts (so that `init` finds it), then never touched again. Part of the bootstrap only when the
# dev environment has a repository (BootstrapInput.repo).

# repo_git TOKEN_FILE GIT_ARG...: git with the token in TOKEN_FILE (none when empty) given through
# GIT_ASKPASS: the helper reads the root-only file in memory, so that the token is in no argument,
# URL, log or git config. No credential helper may keep it, and git never asks on a terminal.
repo_git() {
  local token=$1
  shift
  GIT_TERMINAL_PROMPT=0 GIT_ASKPASS="${token:+$R$RUNTIME_DIR/git-askpass}" DSTACK_GIT_TOKEN_FILE="$token" git -c credential.helper= "$@"
}

# repo_checkout DIR BRANCH HASH TOKEN_FILE: the branch (BRANCH, else the one the clone checked out)
# reset to the commit HASH, fetched first when the clone does not hold it; a clone without a
# branch (the remote has no HEAD) is left at HASH, detached. (Called in a condition, where `set -e`
# does not apply: each failure returns.)
repo_checkout() {
  local dir=$1 branch=$2 hash=$3
  if ! git -C "$dir" cat-file -e "$hash^{commit}" 2>/dev/null; then
    repo_git "$4" -C "$dir" fetch --quiet origin "$hash" || return 1
  fi
  if [ -z "$branch" ] && ! branch="$(git -C "$dir" symbolic-ref --quiet --short HEAD)"; then
    git -C "$dir" checkout --quiet --detach "$hash"
  else
    git -C "$dir" checkout --quiet -B "$branch" "$hash"
  fi
}

# clone_attempt URL BRANCH HASH SINGLE_BRANCH DIR TOKEN_FILE: one clone into the empty DIR (git's
# messages in $RUNTIME_DIR/git.log); when it fails, DIR is emptied again.
clone_attempt() {
  local url=$1 branch=$2 hash=$3 dir=$5 args=(clone --quiet)
  [ -z "$branch" ] || args+=(--branch "$branch")
  [ "$4" = false ] || args+=(--single-branch)
  if { repo_git "$6" "${args[@]}" -- "$url" "$dir" && { [ -z "$hash" ] || repo_checkout "$dir" "$branch" "$hash" "$6"; }; } 2>"$R$RUNTIME_DIR/git.log"; then
    return 0
  fi
  find "$dir" -mindepth 1 -delete
  return 1
}

# clone_repo URL BRANCH HASH SINGLE_BRANCH SUBDIR [CLOUD WHERE SECRET]: the repository at URL in
# /workflow SUBDIR (empty, or /a/path), at the first boot only: the branch BRANCH (empty: the
# remote's default; only that branch when SINGLE_BRANCH is true), reset to the commit HASH when
# given. The marker $STATE_DIR/workflow-repo (the commit) records the clone: later boots fetch,
# reset and touch nothing (the folder holds the user's work), and a folder that is not empty is
# never cloned into. The token of a private repository (CLOUD aws or gcp, WHERE its region or
# project, SECRET its parameter or secret) is read from the secret store into a root-only file in
# memory, removed after the clone. A clone that fails 3 times stops the boot and leaves the folder
# empty for the next boot.
clone_repo() {
  local url=$1 branch=$2 where="/workflow$5" dir="$R$STATE_DIR/workflow$5" marker="$R$STATE_DIR/workflow-repo" token="" file="$R$RUNTIME_DIR/repo-token"
  if [ -e "$marker" ]; then
    log "$where: cloned at the first boot, left as it is"
    return 0
  fi
  mkdir -p "$dir"
  if [ -n "$(ls -A "$dir")" ]; then
    log "$where is not empty: $url is not cloned into it"
    return 0
  fi
  ensure_tool git git
  if [ $# -gt 5 ]; then
    retry 5 5 "fetch_secret_$6" "$7" "$8" "$file"
    token=$file
    # shellcheck disable=SC2016 # expanded by the helper
    printf '%s\n' '#!/bin/sh' 'case "$1" in Username*) echo x-access-token ;; *) cat "$DSTACK_GIT_TOKEN_FILE" ;; esac' >"$R$RUNTIME_DIR/git-askpass"
    chmod 0700 "$R$RUNTIME_DIR/git-askpass"
  fi
  if ! retry 3 10 clone_attempt "$url" "$branch" "$3" "$4" "$dir" "$token"; then
    rm -f "$file"
    fail "cloning $url into $where failed ($(tail -n 1 "$R$RUNTIME_DIR/git.log")); $where is left empty"
  fi
  rm -f "$file" "$R$RUNTIME_DIR/git.log" "$R$RUNTIME_DIR/git-askpass"
  git -C "$dir" rev-parse HEAD >"$marker"
  log "$where: $url cloned, ${branch:-the default branch} at $(cat "$marker")"
}
