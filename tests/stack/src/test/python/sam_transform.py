#!/usr/bin/env python3
"""Expand a SAM template offline with samtranslator, as CloudFormation would, and print the result as JSON.

Usage: sam_transform.py [--parse-only] TEMPLATE.yaml > template.json
  --parse-only  only read the YAML (CloudFormation short-form tags included) and print it as JSON: for plain
                CloudFormation templates such as target-account/template.yaml, which have no SAM transform.
Exit 3 with one line on stderr when samtranslator or cfn-lint (its managed-policy map) is missing.
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
except ImportError:
    print("samtranslator is not installed for " + sys.executable + " (pip install aws-sam-translator)", file=sys.stderr)
    sys.exit(3)

try:
    import cfnlint.data.Serverless
except ImportError:
    print("cfn-lint is not installed for " + sys.executable + " (its ManagedPolicies.json is needed)", file=sys.stderr)
    sys.exit(3)


class OfflinePolicyLoader(ManagedPolicyLoader):
    """samtranslator asks IAM for managed policy ARNs; cfn-lint ships the same name->ARN map, so no AWS call."""

    def __init__(self):
        super().__init__(iam_client=None)
        path = os.path.join(os.path.dirname(cfnlint.data.Serverless.__file__), "ManagedPolicies.json")
        with open(path, encoding="utf-8") as f:
            self._policies = json.load(f)

    def load(self):
        return self._policies


def rewrite_code_uris(template):
    """sam package uploads local CodeUri folders and rewrites them to s3:// URIs; do the same with a fake bucket."""
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            props = resource.setdefault("Properties", {})
            if not str(props.get("CodeUri", "s3://")).startswith("s3://"):
                props["CodeUri"] = "s3://roleproof-offline-transform/code.zip"
    function_globals = template.get("Globals", {}).get("Function", {})
    if "CodeUri" in function_globals and not str(function_globals["CodeUri"]).startswith("s3://"):
        function_globals["CodeUri"] = "s3://roleproof-offline-transform/code.zip"


def main():
    args = sys.argv[1:]
    parse_only = "--parse-only" in args
    args = [a for a in args if a != "--parse-only"]
    if len(args) != 1:
        print("usage: sam_transform.py [--parse-only] TEMPLATE", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        template = yaml_parse(f.read())
    if parse_only:
        json.dump(template, sys.stdout, indent=1, sort_keys=True)
        return 0
    rewrite_code_uris(template)
    result = transform(template, {}, OfflinePolicyLoader())
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
