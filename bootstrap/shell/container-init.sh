#!/bin/sh
# dstack-pulumi: the command of the dev-environment container (mounted at /dstack-pulumi).
# Starts sshd on 127.0.0.1:10022 for the user's key only (reached through the VM's SSH), installs
# the IDE server, runs `init` once per container, then keeps the container up.
# Settings come from /dstack-pulumi/container.env.
set -u
# shellcheck source=/dev/null
. /dstack-pulumi/container.env
LOG=/var/log/dstack-pulumi/container.log
mkdir -p /var/log/dstack-pulumi
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

start_sshd() {
  if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then
    log "installing openssh-server"
    install_sshd || { log "cannot install openssh-server: no apt-get, yum or apk"; return 1; }
  fi
  mkdir -p /run/sshd
  ssh-keygen -A >/dev/null
  /usr/sbin/sshd -p 10022 -o ListenAddress=127.0.0.1 -o PasswordAuthentication=no \
    -o KbdInteractiveAuthentication=no -o PermitRootLogin=prohibit-password \
    -o AuthorizedKeysFile=/dstack-pulumi/authorized_keys -o StrictModes=no -o PidFile=/run/sshd-dstack.pid
  log "sshd listens on 127.0.0.1:10022"
}

# The environment SSH sessions see (sshd does not pass the container's on).
write_profile() {
  {
    export -p | grep -E "^export ($DSTACK_ENV_NAMES)="
    # shellcheck disable=SC2016 # expanded when the profile is read
    printf '%s\n' 'cd "$DSTACK_WORKING_DIR" 2>/dev/null || true'
  } >/etc/profile.d/dstack-env.sh
  chmod 0600 /etc/profile.d/dstack-env.sh
}

fetch() {
  if command -v curl >/dev/null 2>&1; then curl -fsSL "$1"; else wget -qO- "$1"; fi
}

install_ide() {
  arch=x64
  [ "$(uname -m)" = aarch64 ] && arch=arm64
  case "$DSTACK_IDE" in
    vscode)
      dir="$HOME/.vscode-server/bin/$DSTACK_IDE_VERSION"
      url="https://update.code.visualstudio.com/commit:$DSTACK_IDE_VERSION/server-linux-$arch/stable"
      ;;
    cursor)
      dir="$HOME/.cursor-server/cli/servers/Stable-$DSTACK_IDE_VERSION/server"
      url="https://cursor.blob.core.windows.net/remote-releases/$DSTACK_IDE_VERSION/vscode-reh-linux-$arch.tar.gz"
      ;;
    *) return 0 ;;
  esac
  if [ -d "$dir/bin" ]; then
    log "$DSTACK_IDE server $DSTACK_IDE_VERSION is installed"
    return 0
  fi
  log "installing the $DSTACK_IDE server $DSTACK_IDE_VERSION"
  mkdir -p "$dir"
  fetch "$url" | tar --no-same-owner -xz --strip-components=1 -C "$dir"
}

run_init() {
  if [ -e /var/lib/dstack-pulumi-init.done ]; then
    log "init ran in this container already"
    return 0
  fi
  log "running init"
  cd "$DSTACK_WORKING_DIR" || return 1
  # The output goes to the container's log and to the VM's /var/log/dstack-pulumi/init.log.
  { "$DSTACK_SHELL" /dstack-pulumi/init.sh 2>&1; echo "$?" >/tmp/dstack-init.status; } | tee -a /var/log/dstack-pulumi/init.log
  if [ "$(cat /tmp/dstack-init.status)" = 0 ]; then
    touch /var/lib/dstack-pulumi-init.done
    log "init done"
  else
    log "init FAILED (see /var/log/dstack-pulumi/init.log); the container stays up so you can connect"
  fi
}

mkdir -p "$DSTACK_WORKING_DIR"
start_sshd || log "sshd FAILED to start"
write_profile
if [ -n "$DSTACK_IDE_VERSION" ]; then install_ide || log "IDE server install FAILED"; fi
run_init
log "ready"
exec tail -f /dev/null
