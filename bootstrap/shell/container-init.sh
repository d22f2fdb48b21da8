#!/bin/sh
# dstack-pulumi: the command of the dev-environment container, mounted at /dstack-pulumi with its
# settings (container.env), the user's key and the commands (init.sh). Docker runs it with
# /bin/sh as root, replacing the image's ENTRYPOINT and USER, as dstack's shim does. As root it
# resolves `user`, gives SSH sessions the run's environment (a file in the container's tmpfs),
# starts sshd on 127.0.0.1 for the user's key with the host keys kept on the VM, then runs
# itself again as the user ("init-container.sh ide" or "init"): the IDE server, and once per
# container `setup` and `init` through the image's interactive shell, as dstack does. Then it
# keeps the container up.
set -u
# shellcheck source=/dev/null
. /dstack-pulumi/container.env
RUN=/run/dstack-pulumi
LOG=/var/log/dstack-pulumi/container.log
INIT_LOG=/var/log/dstack-pulumi/init.log
DONE=/var/lib/dstack-pulumi-init.done
# As the user, the output goes to init.log (opened by root): the log is root's.
[ $# -eq 0 ] || LOG=/dev/null
log() { printf '%s dstack-container: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" | tee -a "$LOG"; }

install_sshd() {
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server
  elif command -v yum >/dev/null 2>&1; then
    yum install -y openssh-server
  elif command -v apk >/dev/null 2>&1; then
    apk add --no-cache openssh-server
  else
    return 1
  fi
}

# start_sshd: sshd on 127.0.0.1 (reached through the VM's SSH) for the user's key, with the host
# keys of the VM's $STATE_DIR/ssh-host-keys, reading ~/.ssh/environment at each session.
start_sshd() {
  if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then
    log "installing openssh-server"
    install_sshd || { log "cannot install openssh-server: no apt-get, yum or apk"; return 1; }
  fi
  mkdir -p /run/sshd
  keys=""
  for key in "$RUN"/host-keys/ssh_host_*_key; do keys="$keys -o HostKey=$key"; done
  # shellcheck disable=SC2086 # one word per option
  /usr/sbin/sshd -p "$DSTACK_SSH_PORT" -o ListenAddress=127.0.0.1 -o PasswordAuthentication=no \
    -o KbdInteractiveAuthentication=no -o PermitRootLogin=prohibit-password -o PermitUserEnvironment=yes \
    -o AuthorizedKeysFile=/dstack-pulumi/authorized_keys -o StrictModes=no -o PidFile=/run/sshd-dstack.pid $keys
  log "sshd listens on 127.0.0.1:$DSTACK_SSH_PORT"
}

# field NAME COLUMN FILE: the COLUMNth field of the entry NAME (first field) of a passwd-like FILE.
field() {
  awk -F: -v name="$1" -v column="$2" '$1 == name { print $column; exit }' "$3"
}

# add_uid_user UID: the passwd entry `dstack` with the uid UID, the name SSH logs in as for a
# numeric `user` (the component's `User dstack`; setpriv needs an entry too): the image's entry
# `dstack` when it has that uid, else one added (to /etc/passwd, and /etc/shadow for PAM's account
# check: no password, never expires) with the group, home and shell of the image's entry of that
# uid if there is one, else group 0 (as Docker runs a uid without an entry), /home/dstack and
# /bin/sh. An image whose `dstack` has another uid stops here.
add_uid_user() {
  if [ -n "$(field dstack 1 /etc/passwd)" ]; then
    [ "$(field dstack 3 /etc/passwd)" = "$1" ] && return 0
    log "uid $1: the image's user dstack has another uid"
    return 1
  fi
  entry="$(awk -F: -v uid="$1" '$3 == uid { print; exit }' /etc/passwd)"
  entry="dstack:x:$1:$(printf '%s\n' "${entry:-x:x:x:0::/home/dstack:/bin/sh}" | cut -d: -f4-)"
  printf '%s\n' "$entry" >>/etc/passwd
  [ ! -f /etc/shadow ] || printf '%s\n' 'dstack:*::0:99999:7:::' >>/etc/shadow
  log "uid $1: added to /etc/passwd as $entry"
}

# set_up_user: RUN_NAME, RUN_UID, RUN_GID and RUN_HOME of `user` (DSTACK_USER: a name or uid,
# then ":group" or ":gid"; none: root, with HOME as set). A name must be in the image's
# /etc/passwd, a group name in its /etc/group; a uid logs in as `dstack` (add_uid_user). When one
# of them is not there, init does not run.
set_up_user() {
  RUN_NAME=root RUN_UID=0 RUN_GID=0 RUN_HOME=$HOME
  [ -n "$DSTACK_USER" ] || return 0
  RUN_NAME=${DSTACK_USER%%:*}
  case $RUN_NAME in
    *[!0-9]*)
      if [ -z "$(field "$RUN_NAME" 1 /etc/passwd)" ]; then
        log "user $RUN_NAME is not in the image's /etc/passwd"
        return 1
      fi
      ;;
    *)
      add_uid_user "$RUN_NAME" || return 1
      RUN_NAME=dstack
      ;;
  esac
  RUN_UID="$(field "$RUN_NAME" 3 /etc/passwd)" RUN_GID="$(field "$RUN_NAME" 4 /etc/passwd)" RUN_HOME="$(field "$RUN_NAME" 6 /etc/passwd)"
  case $DSTACK_USER in
    *:*[!0-9]*) RUN_GID="$(field "${DSTACK_USER#*:}" 3 /etc/group)" ;;
    *:*) RUN_GID=${DSTACK_USER#*:} ;;
  esac
  if [ -z "$RUN_GID" ]; then
    log "group ${DSTACK_USER#*:} is not in the image's /etc/group"
    return 1
  fi
  if [ ! -d "$RUN_HOME" ]; then
    mkdir -p "$RUN_HOME"
    chown "$RUN_UID:$RUN_GID" "$RUN_HOME"
  fi
  # The repository was cloned by root on the VM: the user's from now on (not the network volumes
  # mounted below /workflow: -xdev).
  if [ "$(stat -c %u /workflow)" != "$RUN_UID" ]; then
    find /workflow -xdev -exec chown "$RUN_UID:$RUN_GID" {} +
    log "/workflow now belongs to $RUN_NAME"
  fi
}

# load_secrets: exports the secret env values of the VM's tmpfs file, mounted read-only (so they
# are in no Docker setting and on no disk), read at each start of the container.
load_secrets() {
  [ -f "$RUN/secrets.env" ] || return 0
  while IFS= read -r line; do
    case ${line%%=*} in
      "" | [0-9]* | *[!A-Za-z0-9_]*) log "secret ${line%%=*}: not a name the shell can export" ;;
      *) export "${line?}" ;;
    esac
  done <"$RUN/secrets.env"
}

# write_session_env: the run's environment (the container's, the secrets included, less what each
# session sets itself) in the tmpfs file that sshd reads at the start of every SSH session
# (PermitUserEnvironment; root's and the user's ~/.ssh/environment link to it). Login shells
# also go to the working directory.
write_session_env() {
  (umask 077 && env | grep -E '^[^=]+=' | grep -vE '^(HOME|PWD|OLDPWD|SHLVL|_|TERM|USER|LOGNAME|SHELL|MAIL)=' >"$RUN/environment")
  chown "$RUN_UID:$RUN_GID" "$RUN/environment"
  for home in "$(field root 6 /etc/passwd)" "$RUN_HOME"; do
    mkdir -p "${home:-/root}/.ssh"
    ln -sfn "$RUN/environment" "${home:-/root}/.ssh/environment"
  done
  chown "$RUN_UID:$RUN_GID" "$RUN_HOME/.ssh"
  # shellcheck disable=SC2016 # expanded when the profile is read
  printf '%s\n' 'cd "$DSTACK_WORKING_DIR" 2>/dev/null || true' >/etc/profile.d/dstack-pulumi.sh
}

# as_user PHASE: this script's PHASE (ide or init) as the run's user, output to init.log.
as_user() {
  if [ "$RUN_UID" = 0 ]; then
    /bin/sh /dstack-pulumi/init-container.sh "$1"
  elif command -v setpriv >/dev/null 2>&1; then
    HOME=$RUN_HOME USER=$RUN_NAME LOGNAME=$RUN_NAME setpriv --reuid "$RUN_UID" --regid "$RUN_GID" --init-groups /bin/sh /dstack-pulumi/init-container.sh "$1"
  else
    su -s /bin/sh -c "/bin/sh /dstack-pulumi/init-container.sh $1" "$RUN_NAME"
  fi >>"$INIT_LOG" 2>&1
}

fetch() {
  if command -v curl >/dev/null 2>&1; then curl -fsSL "$1"; else wget -qO- "$1"; fi
}

# install_ide: the VS Code or Cursor server of `version` (as the user, in its home), then dstack's
# extensions for it. A failed download leaves nothing behind, so the next start tries again.
install_ide() {
  arch=x64
  [ "$(uname -m)" = aarch64 ] && arch=arm64
  case "$DSTACK_IDE" in
    vscode)
      dir="$HOME/.vscode-server/bin/$DSTACK_IDE_VERSION"
      url="https://update.code.visualstudio.com/commit:$DSTACK_IDE_VERSION/server-linux-$arch/stable"
      server=code-server
      ;;
    cursor)
      dir="$HOME/.cursor-server/cli/servers/Stable-$DSTACK_IDE_VERSION/server"
      url="https://cursor.blob.core.windows.net/remote-releases/$DSTACK_IDE_VERSION/vscode-reh-linux-$arch.tar.gz"
      server=cursor-server
      ;;
    *) return 0 ;;
  esac
  if [ -d "$dir/bin" ]; then
    log "$DSTACK_IDE server $DSTACK_IDE_VERSION is installed"
    return 0
  fi
  log "installing the $DSTACK_IDE server $DSTACK_IDE_VERSION"
  mkdir -p "$dir"
  if ! fetch "$url" | tar --no-same-owner -xz --strip-components=1 -C "$dir"; then
    rm -rf "$dir"
    return 1
  fi
  "$dir/bin/$server" --install-extension ms-python.python --install-extension ms-toolsai.jupyter ||
    log "installing the $DSTACK_IDE extensions FAILED"
}

# run_init: as the user, the IDE server, then once per container the commands of init.sh (ipykernel,
# `setup`, `init`) through "$DSTACK_SHELL" -i -c in the working directory, as dstack runs them, so
# that the image's ~/.bashrc takes effect (dstack's image activates its Python environment there).
run_init() {
  if [ -e "$DONE" ]; then
    log "init ran in this container already"
    as_user ide
    return 0
  fi
  log "running init as $RUN_NAME"
  if as_user init; then
    touch "$DONE"
    log "init done"
  else
    log "init FAILED (exit $?, see $INIT_LOG); the container stays up so you can connect"
  fi
}

if [ $# -gt 0 ]; then
  if [ -n "$DSTACK_IDE_VERSION" ]; then install_ide || log "$DSTACK_IDE server install FAILED"; fi
  [ "$1" = init ] || exit 0
  cd "$DSTACK_WORKING_DIR" || exit 1
  exec "$DSTACK_SHELL" -i -c "$(cat /dstack-pulumi/init.sh)" </dev/null
fi
mkdir -p /var/log/dstack-pulumi "$DSTACK_WORKING_DIR"
user_ok=true
set_up_user || user_ok=false
load_secrets
write_session_env
start_sshd || log "sshd FAILED to start"
if [ "$user_ok" = true ]; then run_init; else log "init FAILED: user $DSTACK_USER cannot be set up; init did not run"; fi
log "ready"
# Up until stopped: `docker stop` (or the VM's shutdown) ends it at once.
trap 'exit 0' TERM
while :; do
  sleep 86400 &
  wait $!
done
