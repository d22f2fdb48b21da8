#!/usr/bin/env python3
# dstack-pulumi (AWS VMs launched by an EC2 Fleet): run before the bootstrap at every boot. The
# launch template holds only this fetcher (so that a changed boot script changes no input of the
# fleet and never replaces its VM); the bootstrap itself is kept in SSM Parameter Store, gzipped,
# base64-encoded, in parts of at most 4 KB: PREFIX/boot/0 is the manifest {"sha256", "parts"},
# PREFIX/boot/1.. the parts. The VM's role reads them (ssm:GetParameter on exactly these names),
# signed with SigV4 from the instance metadata's credentials: python3's standard library only, as
# the images have no AWS CLI before the bootstrap runs. A manifest that does not match its parts
# (an update in progress) is read again; when SSM cannot be read (30 tries at the first boot, 3
# later), the bootstrap already there is kept. Usage: fetch-boot-ssm.py REGION PREFIX. DSTACK_BOOTSTRAP_ROOT, DSTACK_IMDS_URL,
# DSTACK_SSM_URL and DSTACK_FETCH_ATTEMPTS are for tests.
import base64
import datetime
import gzip
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.parse
import urllib.request

REGION, PREFIX = sys.argv[1], sys.argv[2]
TARGET = os.environ.get("DSTACK_BOOTSTRAP_ROOT", "") + "/usr/local/lib/dstack-pulumi/bootstrap.sh"
IMDS = os.environ.get("DSTACK_IMDS_URL", "http://169.254.169.254/latest")
SSM = os.environ.get("DSTACK_SSM_URL", "https://ssm.%s.amazonaws.com/" % REGION)
ATTEMPTS = int(os.environ.get("DSTACK_FETCH_ATTEMPTS", "30"))


def http(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def credentials():
    token = http(IMDS + "/api/token", method="PUT", headers={"X-aws-ec2-metadata-token-ttl-seconds": "300"}).decode()
    auth = {"X-aws-ec2-metadata-token": token}
    role = http(IMDS + "/meta-data/iam/security-credentials/", headers=auth).decode().split()[0]
    return json.loads(http(IMDS + "/meta-data/iam/security-credentials/" + role, headers=auth))


def sign(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def parameter(creds, name):
    body = json.dumps({"Name": name}).encode()
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": urllib.parse.urlparse(SSM).netloc,
        "x-amz-date": stamp,
        "x-amz-security-token": creds["Token"],
        "x-amz-target": "AmazonSSM.GetParameter",
    }
    names = ";".join(sorted(headers))
    listed = "".join("%s:%s\n" % (key, headers[key]) for key in sorted(headers))
    canonical = "\n".join(["POST", "/", "", listed, names, hashlib.sha256(body).hexdigest()])
    scope = "%s/%s/ssm/aws4_request" % (day, REGION)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + creds["SecretAccessKey"]).encode()
    for part in (day, REGION, "ssm", "aws4_request"):
        key = sign(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (creds["AccessKeyId"], scope, names, signature)
    del headers["host"]
    return json.loads(http(SSM, data=body, headers=headers, method="POST"))["Parameter"]["Value"]


def fetch():
    creds = credentials()
    manifest = json.loads(parameter(creds, PREFIX + "/boot/0"))
    text = "".join(parameter(creds, "%s/boot/%d" % (PREFIX, part)) for part in range(1, manifest["parts"] + 1))
    script = gzip.decompress(base64.b64decode(text))
    if hashlib.sha256(script).hexdigest() != manifest["sha256"]:
        raise ValueError("the parts do not match the manifest (an update in progress?)")
    return script


def main():
    script = None
    attempts = min(ATTEMPTS, 3) if os.path.exists(TARGET) else ATTEMPTS
    for attempt in range(attempts):
        try:
            script = fetch()
            break
        except Exception as error:  # noqa: BLE001 - every failure is reported and retried the same way
            print("dstack-pulumi: cannot read the boot script from SSM: %s" % error, file=sys.stderr)
            if attempt + 1 < attempts:
                time.sleep(min(2 ** attempt, 10))
    if script is None:
        return 0 if os.path.exists(TARGET) else 1
    current = open(TARGET, "rb").read() if os.path.exists(TARGET) else None
    if script != current:
        os.makedirs(os.path.dirname(TARGET), exist_ok=True)
        with open(TARGET + ".new", "wb") as out:
            out.write(script)
        os.chmod(TARGET + ".new", 0o700)
        os.replace(TARGET + ".new", TARGET)
        print("dstack-pulumi: the bootstrap was taken from SSM Parameter Store")
    return 0


sys.exit(main())
