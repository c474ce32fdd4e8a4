#!/usr/bin/env python3
"""Score `roleproof check` against a file of judged templates.

Usage:
  score.py JUDGMENTS.json [--templates DIR] [--cache DIR] [--mirror DIR] [--roleproof PATH]
                          [--only TEXT] [--json OUT] [--quiet]

JUDGMENTS.json lists templates with a careful reviewer's judgement (corpus/README.md describes the format): each is
either a public file (repo, path, commit) or a local file ("file", relative to the judgments file or to --templates).
A public file is read from DIR/<owner>+<name>/<commit>/<path> when it is there (--templates), else from the cache
(--cache, default ~/.cache/roleproof-corpus), where it is first materialised from a local mirror of the repository
(--mirror, default $ROLEPROOF_MIRROR or /work/.mirror: <owner>+<name>/repo, a bare git directory or a checkout with
.git, read with git show). The cache never lives inside the repository.

Each template is run once as `roleproof check TEMPLATE --format json --no-color [--param K=V ...]` with the
parameters its judgement lists. Printed per template and in total: flaws found / judged, false alarms (findings that
match no judged flaw and no "acceptable" note: each is listed), templates refused (exit 2, with the reason) and
crashes (any other exit code, unreadable output, a timeout). A refusal of a template whose judgement says
"cloudformation_rejects" is counted apart: CloudFormation would not deploy it either. Exit 0 when every template
ran, 1 when one crashed or could not be materialised, 2 for bad usage.

A judgement with "expect": {"verdict": "pass" | "fail" | "warn"} (the written test sets) is also checked: pass means
no error finding and exit 0; fail means an error finding (exit 1) and every judged flaw found; warn means every judged
flaw found and no error.

Matching: a finding matches a flaw (or an acceptable note) when
  - its check id maps (CATEGORIES below) to the flaw's category, and
  - it names the flaw's logical id, one of the flaw's "also" ids, or a resource derived from the flaw's logical id
    (a SAM or CDK id that starts with it: FnRole, FnSQSEvent, FnServiceRoleDefaultPolicy...).
Findings of severity "note" are neither credited nor counted as alarms (they say what was not judged).
A finding whose check id is not in CATEGORIES matches nothing: it counts as a false alarm, and the run ends with a
line naming the unmapped ids so the table can be brought up to date.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

# Which judged categories a check id of `roleproof check` can stand for. One table, here, because the checker's ids
# change while issue 15 is worked on: add a new id here when a check is added or renamed. Seeded from
# toolkit/template/src/main/java/dev/roleproof/check/NeedKind.java (failed needs are findings named after the need)
# and check/rules/*Check.java (CheckInfo ids). The categories are those of corpus/README.md.
CATEGORIES = {
    # failed needs of a chain
    "trust-lambda": ["missing-permission"],
    "logs": ["missing-permission"],
    "esm-source": ["missing-permission", "kms"],
    "esm-on-failure": ["missing-permission", "kms"],
    "push-invoke": ["missing-permission"],
    "declared-call": ["missing-permission", "kms"],
    "assume-role": ["missing-permission", "cross-account-trust"],
    "assumed-role-call": ["missing-permission"],
    # lints
    "unused-grant": ["unused-grant"],
    "wildcard-resource": ["broad-grant"],
    "broad-managed-policy": ["broad-grant"],
    "shared-role": ["shared-role"],
    "confused-deputy": ["confused-deputy", "public-resource-policy"],
    "trust-account-root": ["cross-account-trust"],
    "batch-item-failures": ["failure-handling"],
    "visibility-timeout": ["visibility-timeout"],
    "no-failure-handling": ["failure-handling"],
    "unknown-action": ["unknown-action"],
    "push-source-missing": ["missing-permission"],
    # notes: never credited, never alarms
    "not-judged": [],
}

REFUSED, TIMEOUT_SECONDS = 2, 300


def repo_root():
    return Path(__file__).resolve().parents[2]


def default_mirror():
    return Path(os.environ.get("ROLEPROOF_MIRROR", "/work/.mirror"))


def label(entry):
    if entry.get("id"):
        return entry["id"]
    if entry.get("file"):
        return entry["file"]
    return "%s:%s" % (entry["repo"], entry["path"])


class Unavailable(Exception):
    pass


def materialise(entry, judgments_dir, templates_dir, cache_dir, mirror_dir):
    """The template's path on disk, copying it out of the mirror into the cache when needed."""
    if entry.get("file"):
        for base in filter(None, [templates_dir, judgments_dir]):
            candidate = Path(base) / entry["file"]
            if candidate.is_file():
                return candidate
        raise Unavailable("local file %s not found" % entry["file"])
    relative = Path(entry["repo"].replace("/", "+")) / entry["commit"] / entry["path"]
    if templates_dir and (Path(templates_dir) / relative).is_file():
        return Path(templates_dir) / relative
    cached = cache_dir / relative
    if cached.is_file():
        return cached
    git_dir = mirror_dir / entry["repo"].replace("/", "+") / "repo"
    if (git_dir / ".git").is_dir():
        git_dir = git_dir / ".git"
    if not git_dir.is_dir():
        raise Unavailable("not materialised and no mirror at %s" % git_dir)
    shown = subprocess.run(
        ["git", "--git-dir=%s" % git_dir, "show", "%s:%s" % (entry["commit"], entry["path"])],
        capture_output=True)
    if shown.returncode != 0:
        raise Unavailable("git show %s:%s failed: %s" % (entry["commit"], entry["path"],
                                                         shown.stderr.decode(errors="replace").strip()))
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(shown.stdout)
    return cached


def run_check(roleproof, template, params):
    command = [str(roleproof), "check", str(template), "--format", "json", "--no-color"]
    for key, value in (params or {}).items():
        command += ["--param", "%s=%s" % (key, value)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return {"status": "crash", "reason": "timed out after %d s" % TIMEOUT_SECONDS, "findings": []}
    stderr = done.stderr.strip()
    if done.returncode == REFUSED:
        return {"status": "refused", "reason": stderr.splitlines()[0] if stderr else "exit 2", "findings": []}
    if done.returncode not in (0, 1):
        return {"status": "crash", "reason": "exit %d: %s" % (done.returncode, stderr[-500:]), "findings": []}
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return {"status": "crash", "reason": "output is not JSON: %s" % done.stdout[:200], "findings": []}
    return {"status": "ok", "exit": done.returncode, "findings": report.get("findings", []),
            "patterns": report.get("patterns", [])}


def names(judged):
    return {judged["resource"], *judged.get("also", [])}


def resource_matches(resource, judged):
    if not resource:
        return False
    if resource in names(judged):
        return True
    # SAM and CDK derive logical ids from the one the author wrote: FnRole, FnS3EventPermission, FnServiceRole...
    return resource.startswith(judged["resource"])


def matches(finding, judged, categories):
    return bool(set(categories) & set(judged.get("categories", [judged.get("category")]))) \
        and resource_matches(finding.get("resource"), judged)


def score_entry(entry, result):
    flaws = entry.get("flaws", [])
    acceptable = entry.get("acceptable", [])
    found, alarms, unmapped = set(), [], set()
    for finding in result["findings"]:
        if finding.get("severity") == "note":
            continue
        rule = finding.get("rule")
        categories = CATEGORIES.get(rule)
        if categories is None:
            unmapped.add(rule)
            categories = []
        hit = [f["id"] for f in flaws if matches(finding, f, categories)]
        found.update(hit)
        if not hit and not any(matches(finding, a, categories) for a in acceptable):
            alarms.append(finding)
    verdict = None
    expect = entry.get("expect", {}).get("verdict")
    if expect and result["status"] == "ok":
        failed = result["exit"] == 1 or any(f.get("severity") == "error" for f in result["findings"])
        all_found = len(found) == len(flaws)
        # pass: nothing at error level; fail: an error (exit 1) and the judged link found; warn: the judged link
        # found as a warning, no error. A failure for another reason is not the right verdict.
        verdict = {"pass": not failed, "fail": failed and all_found, "warn": not failed and all_found}.get(expect)
    return {"found": sorted(found), "missed": [f["id"] for f in flaws if f["id"] not in found],
            "alarms": alarms, "unmapped": sorted(unmapped), "verdict_right": verdict}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("judgments")
    parser.add_argument("--templates", help="folder where templates are already materialised")
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "roleproof-corpus"))
    parser.add_argument("--mirror", default=str(default_mirror()))
    parser.add_argument("--roleproof", default=str(repo_root() / "roleproof"))
    parser.add_argument("--only", help="score only templates whose label contains this text")
    parser.add_argument("--json", help="also write the per-template results here")
    parser.add_argument("--quiet", action="store_true", help="print only the totals")
    args = parser.parse_args(argv)

    judgments_path = Path(args.judgments).resolve()
    try:
        document = json.loads(judgments_path.read_text())
    except (OSError, ValueError) as e:
        print("score.py: cannot read %s: %s" % (args.judgments, e), file=sys.stderr)
        return 2
    cache = Path(args.cache).expanduser().resolve()
    if cache == repo_root() or repo_root() in cache.parents:
        print("score.py: the cache %s is inside the repository; choose a folder outside it" % cache,
              file=sys.stderr)
        return 2

    entries = [e for e in document["templates"] if not args.only or args.only in label(e)]
    totals = {"templates": 0, "judged": 0, "found": 0, "alarms": 0, "refused": 0, "refused_invalid": 0,
              "crashes": 0, "unavailable": 0, "verdicts": 0, "verdicts_right": 0}
    by_category, unmapped, rows = {}, set(), []
    for entry in entries:
        name = label(entry)
        totals["templates"] += 1
        flaws = entry.get("flaws", [])
        try:
            template = materialise(entry, judgments_path.parent, args.templates, cache, Path(args.mirror))
        except Unavailable as e:
            totals["unavailable"] += 1
            print("%s\n  UNAVAILABLE: %s" % (name, e))
            rows.append({"template": name, "status": "unavailable", "reason": str(e)})
            continue
        result = run_check(args.roleproof, template, entry.get("params"))
        totals["judged"] += len(flaws)
        row = {"template": name, "status": result["status"], "judged": len(flaws)}
        if result["status"] != "ok":
            if result["status"] == "refused" and entry.get("cloudformation_rejects"):
                # CloudFormation itself rejects this template: a clear refusal is not a loader failure.
                totals["refused_invalid"] += 1
                result["status"] = "refused-invalid"
            else:
                totals["refused" if result["status"] == "refused" else "crashes"] += 1
            row["reason"] = result["reason"]
            for f in flaws:
                by_category.setdefault(f["category"], [0, 0])[1] += 1
            if not args.quiet:
                print("%s\n  %s: %s  (0/%d flaws)" % (name, result["status"].upper(), result["reason"], len(flaws)))
            rows.append(row)
            continue
        s = score_entry(entry, result)
        unmapped.update(s["unmapped"])
        totals["found"] += len(s["found"])
        totals["alarms"] += len(s["alarms"])
        if s["verdict_right"] is not None:
            totals["verdicts"] += 1
            totals["verdicts_right"] += int(s["verdict_right"])
        for f in flaws:
            counts = by_category.setdefault(f["category"], [0, 0])
            counts[1] += 1
            counts[0] += int(f["id"] in s["found"])
        row.update(found=s["found"], missed=s["missed"], verdict_right=s["verdict_right"],
                   alarms=[{k: a.get(k) for k in ("rule", "severity", "resource", "message")} for a in s["alarms"]])
        rows.append(row)
        if args.quiet:
            continue
        verdict = "" if s["verdict_right"] is None else ", verdict %s" % ("right" if s["verdict_right"] else "WRONG")
        print("%s\n  found %d/%d, false alarms %d%s" % (name, len(s["found"]), len(flaws), len(s["alarms"]), verdict))
        for missed in s["missed"]:
            print("    missed  %s" % missed)
        for a in s["alarms"]:
            print("    alarm   %s %s %s: %s" % (a.get("severity"), a.get("rule"), a.get("resource"),
                                               " ".join(str(a.get("message", "")).split())[:160]))

    judged = totals["judged"]
    print("\nTotal: %d templates; flaws found %d/%d (%s); false alarms %d; refused %d%s; crashes %d%s" % (
        totals["templates"], totals["found"], judged,
        "%.0f %%" % (100.0 * totals["found"] / judged) if judged else "n/a",
        totals["alarms"], totals["refused"],
        " (+%d that CloudFormation rejects too)" % totals["refused_invalid"] if totals["refused_invalid"] else "",
        totals["crashes"],
        "; unavailable %d" % totals["unavailable"] if totals["unavailable"] else ""))
    if totals["verdicts"]:
        print("Verdicts right: %d/%d" % (totals["verdicts_right"], totals["verdicts"]))
    print("By category: " + ", ".join("%s %d/%d" % (c, n[0], n[1]) for c, n in sorted(by_category.items())))
    if unmapped:
        print("Unmapped check ids (counted as false alarms; add them to CATEGORIES in %s): %s"
              % (Path(__file__).name, ", ".join(sorted(unmapped))))
    if args.json:
        Path(args.json).write_text(json.dumps({"totals": totals, "by_category": by_category, "templates": rows},
                                              indent=1) + "\n")
    return 1 if totals["crashes"] or totals["unavailable"] else 0


if __name__ == "__main__":
    sys.exit(main())
