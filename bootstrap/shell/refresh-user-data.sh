#!/bin/bash
# dstack-pulumi (AWS): run before the bootstrap at every boot. cloud-init writes the bootstrap
# from the user data at the first boot only; when `pulumi up` changed the user data of a stopped
# VM, this takes the new bootstrap from the instance metadata (IMDSv2). Any failure keeps the
# bootstrap that is there. Paths are under $DSTACK_BOOTSTRAP_ROOT (empty on a VM; a sandbox in tests).
set -euo pipefail
R="${DSTACK_BOOTSTRAP_ROOT:-}"
target="$R/usr/local/lib/dstack-pulumi/bootstrap.sh"
downloaded="$R/run/dstack-user-data"
imds=http://169.254.169.254/latest
token="$(curl -fsS -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$imds/api/token")" || exit 0
umask 077
curl -fsS -m 10 -H "X-aws-ec2-metadata-token: $token" -o "$downloaded" "$imds/user-data" || exit 0
python3 - "$downloaded" "$target" /usr/local/lib/dstack-pulumi/bootstrap.sh <<'PY' || true
import gzip, os, sys, yaml
downloaded, target, path = sys.argv[1:4]
with open(downloaded, "rb") as handle:
    data = handle.read()
if data[:2] == b"\x1f\x8b":  # user data above 16 KB is sent gzipped
    data = gzip.decompress(data)
document = yaml.safe_load(data)
for entry in (document or {}).get("write_files", []):
    if entry.get("path") == path:
        content = entry["content"]
        current = open(target).read() if os.path.exists(target) else None
        if content != current:
            with open(target + ".new", "w") as out:
                out.write(content)
            os.chmod(target + ".new", 0o700)
            os.replace(target + ".new", target)
            print("dstack-pulumi: the bootstrap was updated from the user data")
PY
rm -f "$downloaded"
