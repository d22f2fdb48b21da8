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
  # A boot counts as activity: the inactivity clock starts now.
  touch "$R$STATE_DIR/last-activity"
}

ensure_docker() {
  if ! command -v docker >/dev/null 2>&1; then
    log "installing Docker"
    retry 5 10 apt-get update -q
    DEBIAN_FRONTEND=noninteractive retry 5 10 apt-get install -y -q docker.io
  fi
  systemctl enable --now docker.service
  retry 30 2 docker info >/dev/null
}

ensure_nvidia() {
  command -v nvidia-smi >/dev/null 2>&1 || fail "no NVIDIA driver (nvidia-smi) on a GPU machine: boot it from a GPU image"
  # GCP Deep Learning VM images install the driver at first boot: wait up to 5 minutes.
  retry 30 10 nvidia-smi >/dev/null
  if ! command -v nvidia-ctk >/dev/null 2>&1; then
    log "installing the NVIDIA container toolkit"
    local keyring="$R/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg"
    mkdir -p "$(dirname "$keyring")" "$R/etc/apt/sources.list.d"
    retry 5 10 curl -fsSL -o "$R$RUNTIME_DIR/nvidia.gpg" https://nvidia.github.io/libnvidia-container/gpgkey
    gpg --batch --yes --dearmor -o "$keyring" "$R$RUNTIME_DIR/nvidia.gpg"
    retry 5 10 curl -fsSL -o "$R$RUNTIME_DIR/nvidia.list" https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list
    sed 's#deb https://#deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg] https://#g' \
      "$R$RUNTIME_DIR/nvidia.list" >"$R/etc/apt/sources.list.d/nvidia-container-toolkit.list"
    retry 5 10 apt-get update -q
    DEBIAN_FRONTEND=noninteractive retry 5 10 apt-get install -y -q nvidia-container-toolkit
  fi
  if [[ "$(docker info --format '{{json .Runtimes}}')" != *nvidia* ]]; then
    log "registering the NVIDIA runtime with Docker"
    nvidia-ctk runtime configure --runtime=docker
    systemctl restart docker.service
    retry 30 2 docker info >/dev/null
  fi
}

# device_of_aws VOLUME_ID: the block device of an attached EBS volume (NVMe serial = id without
# "-"), its first partition if it has one.
device_of_aws() {
  local serial="${1//-/}" link dev
  link="$R/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$serial"
  if [ -e "$link-part1" ]; then
    readlink -f "$link-part1"
    return 0
  elif [ -e "$link" ]; then
    readlink -f "$link"
    return 0
  fi
  dev="$(lsblk -dpno NAME,SERIAL 2>/dev/null | awk -v serial="$serial" '$2 == serial { print $1; exit }')"
  [ -n "$dev" ] || return 1
  printf '%s\n' "$dev"
}

# device_of_gcp DEVICE_NAME: the block device of an attached persistent disk (its first partition if it has one).
device_of_gcp() {
  local link="$R/dev/disk/by-id/google-$1"
  if [ -e "$link-part1" ]; then
    readlink -f "$link-part1"
  elif [ -e "$link" ]; then
    readlink -f "$link"
  else
    return 1
  fi
}

# wait_for_device FINDER ID SECONDS: the device, once it shows up.
wait_for_device() {
  local finder=$1 id=$2 timeout=$3 waited=0 dev
  until dev="$("$finder" "$id")"; do
    [ "$waited" -lt "$timeout" ] || fail "volume $id is not attached: no device after ${timeout}s"
    sleep 2
    waited=$((waited + 2))
  done
  printf '%s\n' "$dev"
}

# ensure_filesystem DEVICE NAME: creates ext4 only on a device that carries no filesystem at all.
# blkid -p exits 2 when it finds nothing; that answer is confirmed three times before formatting.
ensure_filesystem() {
  local dev=$1 name=$2 status attempt fstype
  for attempt in 1 2 3; do
    status=0
    blkid -p "$dev" >/dev/null 2>&1 || status=$?
    [ "$status" -eq 2 ] || break
    [ "$attempt" -eq 3 ] || sleep 1
  done
  case "$status" in
    0)
      fstype="$(blkid -p -s TYPE -o value "$dev")"
      [ -n "$fstype" ] || fail "volume $name: $dev holds a partition table or other data but no filesystem; not formatting it"
      log "volume $name: $dev has a $fstype filesystem, kept"
      ;;
    2)
      log "volume $name: $dev has no filesystem, creating ext4"
      mkfs.ext4 -q -F "$dev"
      ;;
    *) fail "volume $name: cannot tell whether $dev holds data (blkid -p exit $status); not formatting it" ;;
  esac
}

# mount_volume DEVICE NAME: mounts at $VOLUMES_DIR/NAME, by UUID in fstab with nofail.
mount_volume() {
  local dev=$1 name=$2 dir="$VOLUMES_DIR/$2" uuid fstype fstab="$R/etc/fstab"
  uuid="$(blkid -p -s UUID -o value "$dev")"
  fstype="$(blkid -p -s TYPE -o value "$dev")"
  [ -n "$uuid" ] || fail "volume $name: $dev has no filesystem UUID"
  mkdir -p "$R$dir"
  touch "$fstab"
  if ! grep -q "^UUID=$uuid $dir $fstype " "$fstab"; then
    grep -v "^[^#]* $dir " "$fstab" >"$R$RUNTIME_DIR/fstab" || true
    printf 'UUID=%s %s %s defaults,nofail 0 2\n' "$uuid" "$dir" "$fstype" >>"$R$RUNTIME_DIR/fstab"
    cat "$R$RUNTIME_DIR/fstab" >"$fstab"
    rm -f "$R$RUNTIME_DIR/fstab"
    log "volume $name: added to /etc/fstab"
  fi
  if mountpoint -q "$R$dir"; then
    log "volume $name: already mounted at $dir"
  else
    mount "$dev" "$R$dir"
    log "volume $name: $dev mounted at $dir"
  fi
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

# add_secret_env NAME FILE: appends NAME=<content of FILE> to the container's secret env file.
add_secret_env() {
  local name=$1 file=$2 value
  value="$(cat "$file")"
  case "$value" in
    *$'\n'*) fail "the secret for $name spans several lines; an environment variable given to Docker cannot" ;;
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
# The settings' hash (arguments, the files mounted into it, the secret values Docker reads once at
# creation) is a label of the container, so a rotated secret replaces the container.
run_container() {
  local name=$1 hash current running
  shift
  hash="$({ printf '%s\0' "$@"; cat "$R$STATE_DIR"/container/*; cat "$R$RUNTIME_DIR/secrets.env" 2>/dev/null || true; } | sha256sum | cut -c1-16)"
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
