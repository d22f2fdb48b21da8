# shellcheck shell=bash
# The functions of the dstack-pulumi bootstrap (bootstrap/shell/bootstrap-lib.sh). The rendered
# script defines its settings above this part and calls these functions below it.
#
# Every path on the host is under "$R" (empty on a VM; a sandbox folder in tests).

R="${DSTACK_BOOTSTRAP_ROOT:-}"
STATE_DIR=/var/lib/dstack-pulumi
RUNTIME_DIR=/run/dstack-pulumi
LOG_FILE="$R/var/log/dstack-bootstrap.log"
VOLUMES_DIR=/mnt/dstack-volumes
STEP=start
mkdir -p "$(dirname "$LOG_FILE")"
# The Docker CLI's credentials live in root-only memory (/run), never on disk: a registry login
# is made again at each boot.
export DOCKER_CONFIG="$R$RUNTIME_DIR/docker"

log() {
  local line
  line="$(date -u +%Y-%m-%dT%H:%M:%SZ) dstack-bootstrap: $*"
  printf '%s\n' "$line" >>"$LOG_FILE"
  printf '%s\n' "$line" >&2
}

step() {
  STEP="$1"
  log "step: $STEP"
}

fail() {
  log "FAILED in step '$STEP': $*"
  exit 1
}

on_error() {
  local status=$?
  log "FAILED in step '$STEP' (exit $status)"
  exit "$status"
}

# retry ATTEMPTS DELAY COMMAND...: runs COMMAND until it succeeds, at most ATTEMPTS times.
retry() {
  local attempts=$1 delay=$2 n=1
  shift 2
  until "$@"; do
    if [ "$n" -ge "$attempts" ]; then
      log "gave up after $attempts attempts: $1"
      return 1
    fi
    log "attempt $n of $attempts failed, again in ${delay}s: $1"
    sleep "$delay"
    n=$((n + 1))
  done
}

# write_if_changed FILE MODE: writes standard input to FILE when the content differs; true when it did.
write_if_changed() {
  local file=$1 mode=$2 new
  new="$(mktemp "$R$RUNTIME_DIR/new.XXXXXX")"
  cat >"$new"
  if [ -f "$file" ] && cmp -s "$new" "$file"; then
    rm -f "$new"
    return 1
  fi
  mkdir -p "$(dirname "$file")"
  chmod "$mode" "$new"
  mv -f "$new" "$file"
}

prepare() {
  mkdir -p "$R$STATE_DIR" "$R$RUNTIME_DIR" "$R/var/log/dstack-pulumi"
  chmod 0700 "$R$RUNTIME_DIR"
  mkdir -p "$DOCKER_CONFIG"
  chmod 0700 "$DOCKER_CONFIG"
  # Docker does without the file until a login; podman's Docker CLI needs it.
  [ -f "$DOCKER_CONFIG/config.json" ] || echo '{}' >"$DOCKER_CONFIG/config.json"
  # A boot counts as activity: the inactivity clock starts now.
  touch "$R$STATE_DIR/last-activity"
}

# At the first boot, unattended-upgrades (and cloud-init's own package runs) hold the package
# manager's locks for minutes: apt waits for them up to APT_LOCK_WAIT_SECONDS instead of failing.
APT_LOCK_WAIT_SECONDS=900

# wait_for_apt: waits while a process holds dpkg's or apt's lock (fuser; without fuser, apt's own
# DPkg::Lock::Timeout waits), then goes on after APT_LOCK_WAIT_SECONDS whatever holds it.
wait_for_apt() {
  local waited=0
  while fuser "$R/var/lib/dpkg/lock-frontend" "$R/var/lib/dpkg/lock" "$R/var/lib/apt/lists/lock" >/dev/null 2>&1; do
    if [ "$waited" -ge "$APT_LOCK_WAIT_SECONDS" ]; then
      log "the package manager is still busy after ${waited}s: going on"
      return 0
    fi
    [ "$waited" -eq 0 ] && log "waiting for the package manager (unattended-upgrades or another apt holds its lock)"
    sleep 5
    waited=$((waited + 5))
  done
  [ "$waited" -eq 0 ] || log "the package manager is free after ${waited}s"
}

# apt_get ARG...: apt-get once the package manager is free, waiting for its lock besides.
apt_get() {
  wait_for_apt
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT_SECONDS" "$@"
}

# ensure_tool COMMAND PACKAGE: installs the Debian/Ubuntu PACKAGE when COMMAND is missing.
ensure_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2"
  retry 5 10 apt_get update -q
  retry 5 10 apt_get install -y -q "$2"
}

# authorize_host_key USER KEY: USER's ~/.ssh/authorized_keys on the VM holds KEY and nothing else.
# AWS VMs have no key pair: the key comes with the user data, so a new key reaches the VM with a
# stop and start, and the old one stops working (a key pair's key would stay in the file).
authorize_host_key() {
  local dir="$R/home/$1/.ssh"
  mkdir -p "$dir"
  chmod 0700 "$dir"
  if printf '%s\n%s\n' "# dstack-pulumi: rewritten at every boot from the user data" "$2" | write_if_changed "$dir/authorized_keys" 0600; then
    log "the SSH key of $1 is set"
  fi
  chown -R "$1:$1" "$dir" 2>/dev/null || true
}

ensure_docker() {
  ensure_tool docker docker.io
  systemctl enable --now docker.service
  retry 30 2 docker info >/dev/null
}

# The volumes' mount points: /etc/fstab, the folders the container mounts (the network volumes
# themselves are set up by bootstrap/shell/volumes.sh).

# fstab_drop DIR: removes the lines of /etc/fstab that mount at DIR (the file is rewritten in place).
fstab_drop() {
  local fstab="$R/etc/fstab" new="$R$RUNTIME_DIR/fstab"
  awk -v dir="$1" '$1 ~ /^#/ || $2 != dir' "$fstab" >"$new"
  cat "$new" >"$fstab"
  rm -f "$new"
}

# forget_removed_volumes NAME...: removes from /etc/fstab the lines this script added (mount points
# $VOLUMES_DIR/*) for volumes other than NAME... (those of the configuration), so that a volume
# taken out of the configuration is not mounted at the next boot. Nothing is unmounted now and no
# device is touched: the cloud may keep the volume attached.
forget_removed_volumes() {
  local fstab="$R/etc/fstab" dirs=() dir name
  [ -f "$fstab" ] || return 0
  mapfile -t dirs < <(awk -v top="$VOLUMES_DIR" '$1 !~ /^#/ && $2 ~ "^" top "/[^/]+$" { print $2 }' "$fstab")
  for dir in "${dirs[@]}"; do
    name="${dir#"$VOLUMES_DIR/"}"
    # Volume names hold no space (render-script.ts checks them).
    case " $* " in *" $name "*) continue ;; esac
    fstab_drop "$dir"
    log "volume $name: no longer in the configuration: removed from /etc/fstab, not unmounted"
  done
}

# require_mounted NAME...: stops the boot unless each volume's folder is a mount point now. The
# container (restart policy `no`, so Docker never starts it by itself) is started only after this.
require_mounted() {
  local name
  for name in "$@"; do
    mountpoint -q "$R$VOLUMES_DIR/$name" || fail "volume $name: $VOLUMES_DIR/$name is not a mount point: not starting the container"
  done
}

# instance_path PATH OPTIONAL: true when the host folder is there to mount (created unless optional).
instance_path() {
  local path=$1 optional=$2
  if [ -d "$R$path" ]; then
    return 0
  fi
  if [ "$optional" = true ]; then
    log "instance volume $path: missing and optional, not mounted"
    return 1
  fi
  mkdir -p "$(dirname "$R$path")"
  mkdir -m 0777 "$R$path"
  log "instance volume $path: created"
}

# fetch_secret_aws REGION PARAMETER FILE: an SSM SecureString into FILE (mode 600), with the VM's role.
fetch_secret_aws() {
  local region=$1 parameter=$2 file=$3
  if command -v aws >/dev/null 2>&1; then
    (umask 077 && aws ssm get-parameter --region "$region" --name "$parameter" --with-decryption --query Parameter.Value --output text >"$file")
  else
    (umask 077 && docker run --rm --network host public.ecr.aws/aws-cli/aws-cli:latest \
      ssm get-parameter --region "$region" --name "$parameter" --with-decryption --query Parameter.Value --output text >"$file")
  fi
}

# fetch_secret_gcp PROJECT SECRET FILE: the latest Secret Manager version into FILE (mode 600), with the VM's service account.
fetch_secret_gcp() {
  local project=$1 secret=$2 file=$3
  if command -v gcloud >/dev/null 2>&1; then
    (umask 077 && gcloud secrets versions access latest --project "$project" --secret "$secret" >"$file")
  else
    (umask 077 && docker run --rm --network host gcr.io/google.com/cloudsdktool/google-cloud-cli:slim \
      gcloud secrets versions access latest --project "$project" --secret "$secret" >"$file")
  fi
}

# add_secret_env NAME FILE: appends NAME=<content of FILE> to the container's secret env file
# ($RUNTIME_DIR/secrets.env, root only, in memory): the container mounts it read-only and its
# init exports the values and writes them to the SSH sessions' environment file, on its tmpfs.
add_secret_env() {
  local name=$1 file=$2 value
  value="$(cat "$file")"
  case "$value" in
    *$'\n'*) fail "the secret for $name spans several lines; an environment variable cannot" ;;
  esac
  (umask 077 && printf '%s=%s\n' "$name" "$value" >>"$R$RUNTIME_DIR/secrets.env")
}

# registry_login USER REGISTRY FILE: docker login with the password in FILE, on standard input
# (REGISTRY empty = Docker Hub).
registry_login() {
  local user=$1 registry=$2 file=$3
  if [ -n "$registry" ]; then
    docker login --username "$user" --password-stdin "$registry" <"$file" >/dev/null
  else
    docker login --username "$user" --password-stdin <"$file" >/dev/null
  fi
}

# pull_image IMAGE: pulls with retries; an image already here is kept unless its tag is latest.
pull_image() {
  local image=$1
  if [[ "$image" != *:latest && "$image" == *:* ]] && docker image inspect "$image" >/dev/null 2>&1; then
    log "image $image is here"
    return 0
  fi
  retry 5 15 docker pull --quiet "$image" >/dev/null
  log "image $image pulled"
}

# run_container NAME ARG...: starts the container unless one with the same settings runs already.
# The settings' hash (arguments and the files mounted at /dstack-pulumi) is a label of the
# container. Secret values are not part of it (nor of anything Docker keeps): the container reads
# them from the mounted tmpfs file each time it starts, so a rotated secret reaches it at its next
# start (the next boot) without replacing it. Its restart policy is `no`
# (bootstrap/container-settings.ts): at boot the container is started here, after
# require_mounted, and never by dockerd before the volumes are mounted.
run_container() {
  local name=$1 hash current running
  shift
  hash="$({ printf '%s\0' "$@"; cat "$R$STATE_DIR"/container/*; } | sha256sum | cut -c1-16)"
  current="$(docker inspect --format '{{ index .Config.Labels "dstack-pulumi.config" }}' "$name" 2>/dev/null || true)"
  if [ "$current" = "$hash" ]; then
    running="$(docker inspect --format '{{ .State.Running }}' "$name")"
    if [ "$running" = true ]; then
      log "container $name is running with these settings"
    else
      docker start "$name" >/dev/null
      log "container $name started again"
    fi
    return 0
  fi
  if [ -n "$current" ]; then
    log "container $name has other settings: replacing it"
    docker rm -f "$name" >/dev/null
  fi
  docker run --detach --name "$name" --label "dstack-pulumi.config=$hash" "$@" >/dev/null
  log "container $name started"
}

# ensure_host_keys: the host keys of the container's sshd, made once and kept on the VM
# ($STATE_DIR/ssh-host-keys, root only) and mounted into every container, so that a new container
# (a changed setting) answers with the key the clients know (`StrictHostKeyChecking accept-new`).
ensure_host_keys() {
  local dir="$R$STATE_DIR/ssh-host-keys" type
  mkdir -p "$dir"
  chmod 0700 "$dir"
  for type in ed25519 ecdsa; do
    [ ! -f "$dir/ssh_host_${type}_key" ] || continue
    ensure_tool ssh-keygen openssh-client
    rm -f "$dir/new" "$dir/new.pub"
    ssh-keygen -q -t "$type" -N '' -C dstack-pulumi -f "$dir/new"
    mv "$dir/new.pub" "$dir/ssh_host_${type}_key.pub"
    mv "$dir/new" "$dir/ssh_host_${type}_key"
    log "made the container's $type SSH host key"
  done
}

# install_timers INACTIVITY_SECONDS MAX_SECONDS: the timer that powers the VM off (0 = no limit).
install_timers() {
  local inactivity=$1 max=$2 units="$R/etc/systemd/system" changed=false
  if [ "$inactivity" -eq 0 ] && [ "$max" -eq 0 ]; then
    if [ -e "$units/dstack-idle.timer" ]; then
      systemctl disable --now dstack-idle.timer
      rm -f "$units/dstack-idle.timer" "$units/dstack-idle.service"
      systemctl daemon-reload
    fi
    log "no inactivity or duration limit"
    return 0
  fi
  printf 'DSTACK_INACTIVITY_SECONDS=%s\nDSTACK_MAX_SECONDS=%s\n' "$inactivity" "$max" |
    write_if_changed "$R$STATE_DIR/limits.env" 0644 && changed=true
  printf '%s\n' "[Unit]" "Description=dstack-pulumi: power off after inactivity or max_duration" "" \
    "[Service]" "Type=oneshot" "EnvironmentFile=$STATE_DIR/limits.env" "ExecStart=/bin/bash $STATE_DIR/idle-check.sh" |
    write_if_changed "$units/dstack-idle.service" 0644 && changed=true
  printf '%s\n' "[Unit]" "Description=dstack-pulumi: check inactivity and max_duration every minute" "" \
    "[Timer]" "OnBootSec=1min" "OnUnitActiveSec=1min" "" "[Install]" "WantedBy=timers.target" |
    write_if_changed "$units/dstack-idle.timer" 0644 && changed=true
  if [ "$changed" = true ]; then
    systemctl daemon-reload
  fi
  systemctl enable --now dstack-idle.timer
  log "power off after ${inactivity}s without SSH (0 = never) or ${max}s of uptime (0 = never)"
}
