# shellcheck shell=bash
# The network volumes (bootstrap/shell/volumes.sh), part of the bootstrap when the dev environment
# has some. Each is found as a whole disk; its filesystem is on the whole disk or on one of its
# partitions; only a blank whole disk of a volume this stack created is ever formatted.

# How long a volume may take to show up.
VOLUME_WAIT_SECONDS=180
# The device that holds the filesystem of the volume being set up (find_filesystem sets it).
FS_DEVICE=""

# disk_link CLOUD ID: the by-id link udev makes for an attached volume: on aws of the EBS volume
# ID (NVMe serial = ID without "-"), on gcp of the persistent disk whose device name is ID.
disk_link() {
  case "$1" in
    aws) printf '%s\n' "$R/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${2//-/}" ;;
    gcp) printf '%s\n' "$R/dev/disk/by-id/google-$2" ;;
  esac
}

# device_of CLOUD ID: the whole disk of an attached volume: its by-id link, else on aws the NVMe
# device whose serial is ID without "-" (when udev made no link).
device_of() {
  local link dev
  link="$(disk_link "$1" "$2")"
  if [ -e "$link" ]; then
    readlink -f "$link"
    return 0
  fi
  [ "$1" = aws ] || return 1
  dev="$(lsblk -dpno NAME,SERIAL 2>/dev/null | awk -v serial="${2//-/}" '$2 == serial { print $1; exit }')"
  [ -n "$dev" ] || return 1
  printf '%s\n' "$dev"
}

# wait_for_device CLOUD ID: the whole disk, once it shows up (at most VOLUME_WAIT_SECONDS).
wait_for_device() {
  local waited=0 dev
  until dev="$(device_of "$1" "$2")"; do
    [ "$waited" -lt "$VOLUME_WAIT_SECONDS" ] || fail "volume $2 is not attached: no device after ${VOLUME_WAIT_SECONDS}s"
    sleep 2
    waited=$((waited + 2))
  done
  printf '%s\n' "$dev"
}

# probe_tag DEVICE TAG: what `blkid -p` finds on DEVICE for TAG (TYPE, USAGE, PTTYPE, UUID), or nothing.
probe_tag() {
  blkid -p -s "$2" -o value "$1" 2>/dev/null || true
}

# probe_status DEVICE: blkid -p's exit status on DEVICE (0 found, 2 nothing, 8 ambivalent). A
# "nothing" is believed only when three answers a second apart agree.
probe_status() {
  local dev=$1 status attempt
  for attempt in 1 2 3; do
    status=0
    blkid -p "$dev" >/dev/null 2>&1 || status=$?
    [ "$status" -eq 2 ] || break
    [ "$attempt" -eq 3 ] || sleep 1
  done
  printf '%s\n' "$status"
}

# filesystem_type DEVICE: the type of the one filesystem blkid -p finds on DEVICE, or nothing
# (nothing found, two signatures, or data that is no filesystem: swap, RAID, LVM, LUKS).
filesystem_type() {
  if [ "$(probe_tag "$1" USAGE)" = filesystem ]; then
    probe_tag "$1" TYPE
  fi
}

# partition_links LINK: the devices of the by-id links LINK-part1, LINK-part2, ..., in that order.
partition_links() {
  local link=$1 part
  for part in "$link"-part*; do
    if [[ "$part" =~ -part([0-9]+)$ ]] && [ -e "$part" ]; then
      printf '%s %s\n' "${BASH_REMATCH[1]}" "$(readlink -f "$part")"
    fi
  done | sort -n | cut -d' ' -f2-
}

# partitions_of DISK LINK: DISK's partitions in order: those of its by-id links, else those lsblk
# lists under DISK (an EBS volume found by its NVMe serial has no link).
partitions_of() {
  local disk=$1 parts
  parts="$(partition_links "$2")"
  if [ -n "$parts" ]; then
    printf '%s\n' "$parts"
  else
    { lsblk -lnpo NAME,TYPE "$disk" 2>/dev/null || true; } | awk '$2 == "part" { print $1 }'
  fi
}

# format_blank DISK NAME FORMAT_IF_BLANK: creates ext4 on the blank DISK, only when
# FORMAT_IF_BLANK is true (this stack created the volume; dstack too formats only the volumes it
# created). A blank volume registered by id stops the boot instead.
format_blank() {
  local disk=$1 name=$2 format=$3
  [ "$format" = true ] || fail "volume $name: $disk is blank and was not created by this stack: not formatting it; to let the dev environment format it, set formatIfBlank: true on its entry in the volumes arg"
  log "volume $name: $disk has no filesystem, creating ext4"
  mkfs.ext4 -q -F "$disk" >&2
}

# use_partition DISK LINK NAME: sets FS_DEVICE to the one partition of DISK that holds a
# filesystem. None, or more than one, stops the boot: which one holds the data is the user's to
# say, and a disk with a partition table is never formatted. Partitions show up just after their
# disk, so an empty answer is asked again twice, a second apart.
use_partition() {
  local disk=$1 link=$2 name=$3 table attempt part type parts=() types=() list
  table="$(probe_tag "$disk" PTTYPE)"
  for attempt in 1 2 3; do
    parts=()
    types=()
    while read -r part; do
      type="$(filesystem_type "$part")"
      if [ -n "$type" ]; then
        parts+=("$part")
        types+=("$type")
      fi
    done < <(partitions_of "$disk" "$link")
    [ "${#parts[@]}" -eq 0 ] || break
    [ "$attempt" -eq 3 ] || sleep 1
  done
  if [ "${#parts[@]}" -eq 0 ]; then
    fail "volume $name: $disk has a $table partition table and no partition with a filesystem; not formatting it"
  elif [ "${#parts[@]}" -gt 1 ]; then
    list=""
    for part in "${!parts[@]}"; do list+="${list:+, }${parts[$part]} (${types[$part]})"; done
    fail "volume $name: $disk has ${#parts[@]} partitions with a filesystem: $list; not choosing one"
  fi
  log "volume $name: $disk has a $table partition table; its partition ${parts[0]} has a ${types[0]} filesystem, kept"
  FS_DEVICE="${parts[0]}"
}

# find_filesystem DISK LINK NAME FORMAT_IF_BLANK: sets FS_DEVICE to the device that holds the
# volume's filesystem, DISK being its whole disk and LINK the disk's by-id link:
# - a filesystem on the whole disk: DISK, kept;
# - a partition table (and no filesystem on the whole disk): its one partition with a filesystem;
# - nothing at all (blank): DISK, formatted ext4 when FORMAT_IF_BLANK is true;
# anything else stops the boot rather than format: data that is no filesystem, or an unclear answer.
find_filesystem() {
  local disk=$1 link=$2 name=$3 format=$4 status type
  status="$(probe_status "$disk")"
  case "$status" in
    0) ;;
    2)
      format_blank "$disk" "$name" "$format"
      FS_DEVICE="$disk"
      return 0
      ;;
    *) fail "volume $name: cannot tell whether $disk holds data (blkid -p exit $status); not formatting it" ;;
  esac
  type="$(probe_tag "$disk" TYPE)"
  if [ -z "$type" ] && [ -n "$(probe_tag "$disk" PTTYPE)" ]; then
    use_partition "$disk" "$link" "$name"
  elif [ -n "$(filesystem_type "$disk")" ]; then
    log "volume $name: $disk has a $type filesystem, kept"
    FS_DEVICE="$disk"
  else
    fail "volume $name: $disk holds ${type:+$type }data but no filesystem; not formatting it"
  fi
}

# mount_volume DEVICE NAME: mounts at $VOLUMES_DIR/NAME, by UUID in fstab with nofail.
mount_volume() {
  local dev=$1 name=$2 dir="$VOLUMES_DIR/$2" uuid fstype fstab="$R/etc/fstab"
  uuid="$(probe_tag "$dev" UUID)"
  fstype="$(probe_tag "$dev" TYPE)"
  [ -n "$uuid" ] || fail "volume $name: $dev has no filesystem UUID"
  mkdir -p "$R$dir"
  touch "$fstab"
  if ! grep -q "^UUID=$uuid $dir $fstype " "$fstab"; then
    fstab_drop "$dir"
    printf 'UUID=%s %s %s defaults,nofail 0 2\n' "$uuid" "$dir" "$fstype" >>"$fstab"
    log "volume $name: added to /etc/fstab"
  fi
  if mountpoint -q "$R$dir"; then
    log "volume $name: already mounted at $dir"
  else
    mount "$dev" "$R$dir"
    log "volume $name: $dev mounted at $dir"
  fi
}

# filesystem_bytes TYPE DEVICE: the size of the ext4 or xfs filesystem on DEVICE, in bytes.
filesystem_bytes() {
  local count size
  case "$1" in
    # "Block count:   65536" and "Block size:   1024"
    ext4) read -r count size < <(dumpe2fs -h "$2" 2>/dev/null | awk -F': *' '$1 == "Block count" { n = $2 } $1 == "Block size" { b = $2 } END { print n, b }') ;;
    # "data     =     bsize=4096   blocks=76800, imaxpct=25"
    xfs) read -r count size < <(xfs_info "$2" 2>/dev/null | awk -F'[ =,]+' '$1 == "data" { print $5, $3 }') ;;
    *) return 1 ;;
  esac
  [[ "$count" =~ ^[0-9]+$ && "$size" =~ ^[0-9]+$ ]] || return 1
  printf '%s\n' "$((count * size))"
}

# grow_filesystem DEVICE DISK NAME: grows the mounted filesystem on DEVICE to the size of DISK,
# which the cloud may have enlarged since the last boot: ext4 with resize2fs (online), xfs with
# xfs_growfs (on its mount point). When the filesystem fills the disk nothing happens (a tail
# under 1 MiB is alignment slack, not growth: clouds grow volumes by whole GiB). A filesystem on a
# partition is not grown: the partition would have to grow first, and that is the user's to do.
# A growth that fails is logged and the boot goes on: the volume works at its old size.
grow_filesystem() {
  local dev=$1 disk=$2 name=$3 fstype size before after status=0 output="$R$RUNTIME_DIR/grow.log"
  if [ "$dev" != "$disk" ]; then
    log "volume $name: its filesystem is on the partition $dev of $disk: not grown"
    return 0
  fi
  fstype="$(probe_tag "$dev" TYPE)"
  if ! before="$(filesystem_bytes "$fstype" "$dev")"; then
    log "volume $name: a $fstype filesystem is not grown"
    return 0
  fi
  size="$(blockdev --getsize64 "$dev")"
  [ $((size - before)) -ge $((1024 * 1024)) ] || return 0
  case "$fstype" in
    ext4) resize2fs "$dev" ;;
    xfs) xfs_growfs "$R$VOLUMES_DIR/$name" ;;
  esac >"$output" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    log "volume $name: growing its $fstype filesystem failed (exit $status: $(awk 'NF { line = $0 } END { print line }' "$output")); it stays at $before bytes"
    rm -f "$output"
    return 0
  fi
  rm -f "$output"
  after="$(filesystem_bytes "$fstype" "$dev")"
  log "volume $name: its $fstype filesystem grew from $before to $after bytes (the volume has $size)"
}

# set_up_volume CLOUD ID NAME FORMAT_IF_BLANK: the volume NAME (see disk_link for CLOUD and ID)
# ready at $VOLUMES_DIR/NAME: its disk waited for, its filesystem found (or made), mounted, grown.
set_up_volume() {
  local cloud=$1 id=$2 name=$3 disk
  # `|| exit`: the reason is logged inside; the ERR trap would log the failure a second time.
  disk="$(wait_for_device "$cloud" "$id")" || exit $?
  find_filesystem "$disk" "$(disk_link "$cloud" "$id")" "$name" "$4"
  mount_volume "$FS_DEVICE" "$name"
  grow_filesystem "$FS_DEVICE" "$disk" "$name"
}
