# shellcheck shell=bash
# The NVIDIA runtime (bootstrap/shell/nvidia.sh), part of the bootstrap on GPU offers.

# ensure_nvidia: the driver (from the image) answers, the NVIDIA container toolkit is installed
# and registered with Docker.
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
    retry 5 10 apt_get update -q
    retry 5 10 apt_get install -y -q nvidia-container-toolkit
  fi
  if [[ "$(docker info --format '{{json .Runtimes}}')" != *nvidia* ]]; then
    log "registering the NVIDIA runtime with Docker"
    nvidia-ctk runtime configure --runtime=docker
    systemctl restart docker.service
    retry 30 2 docker info >/dev/null
  fi
}
