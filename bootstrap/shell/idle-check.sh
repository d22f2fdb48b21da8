#!/bin/bash
# dstack-pulumi: run every minute by dstack-idle.timer. Powers the VM off once it has been up for
# DSTACK_MAX_SECONDS (max_duration), or once no SSH connection (host port 22, container port 10022)
# has been seen for DSTACK_INACTIVITY_SECONDS (inactivity_duration). 0 = no such limit.
set -euo pipefail
R="${DSTACK_BOOTSTRAP_ROOT:-}"
activity="$R/var/lib/dstack-pulumi/last-activity"
log() { printf '%s dstack-idle: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" | tee -a "$R/var/log/dstack-bootstrap.log" >&2; }

inactivity="${DSTACK_INACTIVITY_SECONDS:-0}"
max="${DSTACK_MAX_SECONDS:-0}"
uptime="$(cut -d. -f1 "${DSTACK_UPTIME_FILE:-/proc/uptime}")"

if [ "$max" -gt 0 ] && [ "$uptime" -ge "$max" ]; then
  log "max_duration reached (${uptime}s up, limit ${max}s): powering off"
  systemctl poweroff
  exit 0
fi

if [ "$inactivity" -gt 0 ]; then
  if [ -n "$(ss -Htn state established '( sport = :22 or sport = :10022 )' 2>/dev/null)" ]; then
    touch "$activity"
  fi
  [ -e "$activity" ] || touch "$activity"
  idle=$(($(date +%s) - $(stat -c %Y "$activity")))
  if [ "$idle" -ge "$inactivity" ]; then
    log "no SSH connection for ${idle}s (limit ${inactivity}s): powering off"
    systemctl poweroff
  fi
fi
