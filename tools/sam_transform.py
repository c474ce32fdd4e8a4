#!/usr/bin/env python3
"""Expand SAM templates offline with samtranslator, as CloudFormation's AWS::Serverless transform would.

Usage:
  sam_transform.py [--parse-only] TEMPLATE        print the transformed template as JSON
  sam_transform.py --out DIR TEMPLATE...          write DIR/<n>.json for the n-th template (from 0), or
                                                  {"error": "..."} where samtranslator rejects it
  --parse-only  only read the YAML (CloudFormation short-form tags included) and print it as JSON: for plain
                CloudFormation templates, which have no SAM transform.

Local CodeUri/ContentUri values become s3:// URIs first, as `sam package` would. samtranslator asks IAM for managed
policy ARNs; moto's copy of every AWS managed policy (with its path) answers instead, so nothing calls AWS.
Run it with the project's Python (tools/ensure which python), which has both pinned. Exit 3 with one line on stderr
when one is missing.
"""
import json
import os
import sys

# samtranslator resolves pseudo parameters and partitions from the region.
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

try:
    from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
    from moto.iam.aws_managed_policies import aws_managed_policies_data
except ImportError as e:
    print("%s is not installed for %s (run: tools/ensure python)" % (e.name, sys.executable), file=sys.stderr)
    sys.exit(3)


class OfflinePolicyLoader(ManagedPolicyLoader):
    def __init__(self):
        super().__init__(iam_client=None)
        self._policies = {
            name: "arn:aws:iam::aws:policy" + policy["Path"] + name
            for name, policy in json.loads(aws_managed_policies_data).items()
        }

    def load(self):
        return self._policies


def package(template):
    for resource in (template.get("Resources") or {}).values():
        props = resource.get("Properties") or {}
        kind = resource.get("Type")
        if kind == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str) \
                and not props["CodeUri"].startswith("s3://"):
            props["CodeUri"] = "s3://roleproof-offline-transform/code.zip"
        if kind == "AWS::Serverless::LayerVersion" and isinstance(props.get("ContentUri"), str):
            props["ContentUri"] = "s3://roleproof-offline-transform/layer.zip"
    function_globals = (template.get("Globals") or {}).get("Function") or {}
    if isinstance(function_globals.get("CodeUri"), str) and not function_globals["CodeUri"].startswith("s3://"):
        function_globals["CodeUri"] = "s3://roleproof-offline-transform/code.zip"
    return template


def read(path):
    with open(path, encoding="utf-8") as f:
        return yaml_parse(f.read())


def main():
    args = sys.argv[1:]
    if args[:1] == ["--out"] and len(args) >= 3:
        loader = OfflinePolicyLoader()
        for i, path in enumerate(args[2:]):
            try:
                result = transform(package(read(path)), {}, loader)
            except Exception as e:  # samtranslator's errors carry the reasons: keep them for the test's message
                result = {"error": "%s: %s" % (type(e).__name__, e)}
            with open(os.path.join(args[1], "%d.json" % i), "w", encoding="utf-8") as f:
                json.dump(result, f, indent=1, default=str)
        return 0
    parse_only = "--parse-only" in args
    args = [a for a in args if a != "--parse-only"]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    template = read(args[0])
    result = template if parse_only else transform(package(template), {}, OfflinePolicyLoader())
    json.dump(result, sys.stdout, indent=1, sort_keys=True, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
