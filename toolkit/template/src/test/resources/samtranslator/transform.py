"""Transforms SAM templates with samtranslator, offline, in one process (the comparison test's reference).

Usage: python3 transform.py OUT_DIR TEMPLATE...   writes OUT_DIR/<n>.json (n = argument index) with the
transformed template, or {"error": "..."} when samtranslator rejects it. Local CodeUri values are rewritten to
s3:// first, as `sam package` would. Managed policy names resolve through cfn-lint's static map (NOTES §3).
"""
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import cfnlint  # noqa: E402
from samtranslator.public.translator import ManagedPolicyLoader  # noqa: E402
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

with open(os.path.join(os.path.dirname(cfnlint.__file__), "data", "Serverless", "ManagedPolicies.json")) as f:
    MANAGED = json.load(f)


class StaticLoader(ManagedPolicyLoader):
    def __init__(self):
        super().__init__(None)

    def load(self):
        return MANAGED


def package(template):
    for res in (template.get("Resources") or {}).values():
        props = res.get("Properties") or {}
        if res.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str) \
                and not props["CodeUri"].startswith("s3://"):
            props["CodeUri"] = "s3://roleproof-artifacts/code.zip"
        if res.get("Type") == "AWS::Serverless::LayerVersion" and isinstance(props.get("ContentUri"), str):
            props["ContentUri"] = "s3://roleproof-artifacts/layer.zip"
    glob = (template.get("Globals") or {}).get("Function") or {}
    if isinstance(glob.get("CodeUri"), str) and not glob["CodeUri"].startswith("s3://"):
        glob["CodeUri"] = "s3://roleproof-artifacts/code.zip"
    return template


def main():
    out_dir = sys.argv[1]
    for i, path in enumerate(sys.argv[2:]):
        try:
            with open(path) as f:
                template = package(yaml_parse(f.read()))
            result = transform(template, {}, StaticLoader())
        except Exception as e:  # samtranslator's errors carry the reasons; keep them for the test's message
            result = {"error": "%s: %s" % (type(e).__name__, e)}
        with open(os.path.join(out_dir, "%d.json" % i), "w") as f:
            json.dump(result, f, indent=1, default=str)


if __name__ == "__main__":
    main()
