#!/usr/bin/env python3
"""Dependency and code checks: `make audit` (docs/deploy.md, *Dependency and code checks*).

1. The lock files must be current: every package installed in .venv (built from them, with
   `pip install --require-hashes -r requirements-dev.lock`) must be pinned there at the
   installed version, and requirements.lock must agree with requirements-dev.lock. Otherwise
   a dependency could escape the audit; `make lock` refreshes them. No network needed.
2. pip-audit checks every pinned version in both lock files against PyPI's vulnerability data
   (the PyPI JSON API; pip-audit's default service). A vulnerability fails the audit, unless
   its id is in IGNORED below with the reason it does not apply or cannot be fixed yet.
   The network: a pip-audit run that fails without a report (PyPI not answering) is tried
   again, three times in all. Still nothing, or packages PyPI could not say anything about
   (as on a mirror without the vulnerability data), is reported loudly but does not fail the
   audit, so that CI is not made flaky by the network; AUDIT_STRICT=1 makes both failures,
   for a release checked on a machine with full access to PyPI.
3. bandit over `claims` and `newsroom` (config: [tool.bandit] in pyproject.toml): any finding
   fails; accepted ones carry `# nosec BXXX # why` on their line and are counted.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
LOCKS = (ROOT / "requirements.lock", ROOT / "requirements-dev.lock")
ATTEMPTS = 3

# Vulnerability id -> why it is accepted for now (reviewed when the lock changes). Empty: no
# known vulnerability is accepted.
IGNORED = {}


def say(message):
    print(f"[audit] {message}", flush=True)


def canonical(name):
    return name.lower().replace("_", "-").replace(".", "-")


def pins(text):
    """{name: version} of a lock file: pip-compile's `name==version \\` lines, each followed
    by its `--hash=...` lines and `# via` comments (which are skipped), or `pip freeze` lines."""
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().removesuffix("\\").strip()
        if line and not line.startswith("-"):
            name, _, version = line.partition("==")
            found[canonical(name)] = version.split(";", 1)[0].strip()
    return found


def stale_lock_problems():
    runtime, dev = (pins(lock.read_text()) for lock in LOCKS)
    installed = pins(
        subprocess.run(
            [BIN / "pip", "freeze", "--exclude-editable"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    problems = [
        f"{name} {version} is installed but requirements-dev.lock pins {dev.get(name, 'nothing')}"
        for name, version in sorted(installed.items())
        if dev.get(name) != version
    ]
    problems += [
        f"requirements.lock pins {name} {version}, requirements-dev.lock {dev.get(name, 'nothing')}"
        for name, version in sorted(runtime.items())
        if dev.get(name) != version
    ]
    return problems


def run_pip_audit():
    """pip-audit's JSON report, or None when it could not reach the service."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [BIN / "pip-audit", "--no-deps", "--disable-pip", "--progress-spinner", "off"]
        for lock in LOCKS:
            command += ["-r", lock]
        for vuln_id in IGNORED:
            command += ["--ignore-vuln", vuln_id]
        command += ["--format", "json", "--output", report]
        for attempt in range(1, ATTEMPTS + 1):
            result = subprocess.run(command, capture_output=True, text=True)
            if report.exists():  # written whether or not it found anything
                return json.loads(report.read_text())
            last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
            say(f"pip-audit attempt {attempt} failed without a report: {last_line[:300]}")
            if attempt < ATTEMPTS:
                time.sleep(5 * attempt)
    return None


def run_bandit():
    """Runs bandit; returns whether it found nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "bandit.json"
        result = subprocess.run(
            [BIN / "bandit", "-c", "pyproject.toml", "-r", "claims", "newsroom"]
            + ["--format", "json", "--output", report],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if not report.exists():
            say(f"bandit did not run:\n{result.stdout}{result.stderr}")
            return False
        data = json.loads(report.read_text())
    for issue in data["results"]:
        say(
            f"bandit {issue['test_id']} ({issue['issue_severity'].lower()}): "
            f"{issue['filename']}:{issue['line_number']}: {issue['issue_text']}"
        )
    for error in data["errors"]:
        say(f"bandit could not scan {error['filename']}: {error['reason']}")
    totals = data["metrics"]["_totals"]
    say(
        f"bandit: {totals['loc']} lines of code in claims/ and newsroom/, "
        f"{len(data['results'])} findings, {totals['skipped_tests']} accepted with a "
        "reason (# nosec)"
    )
    return not data["results"] and not data["errors"]


def audit_dependencies(strict, report=None):
    """Runs pip-audit on the lock files (or reads its `report`); returns whether it passes."""
    report = report or run_pip_audit()
    if report is None:
        say("WARNING: pip-audit could not reach PyPI; the dependencies were NOT audited")
        return not strict

    dependencies = report["dependencies"]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    unaudited = [d for d in dependencies if "skip_reason" in d]
    audited = len(dependencies) - len(unaudited)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            say(f"VULNERABLE: {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    say(
        f"pip-audit: {len(dependencies)} pinned packages, {audited} audited, "
        f"{len(vulnerable)} with known vulnerabilities, {len(IGNORED)} ignored by id"
    )
    if unaudited:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in unaudited})
        say(
            f"WARNING: {len(unaudited)} packages could NOT be audited ({'; '.join(reasons)}), "
            f"e.g. {unaudited[0]['name']}: the vulnerability service has no data for them "
            "from here"
        )
    if vulnerable:
        say("FAILED: upgrade (pyproject.toml, then `make lock`) or justify in IGNORED")
        return False
    if unaudited and strict:
        say("FAILED (AUDIT_STRICT=1): not every package could be audited")
        return False
    return True


def main():
    strict = os.environ.get("AUDIT_STRICT") == "1"
    problems = stale_lock_problems()
    if problems:
        for problem in problems:
            say("stale lock: " + problem)
        say("FAILED: the lock files do not match what is installed; run `make lock`")
        return 1

    code_clean = run_bandit()
    dependencies_clean = audit_dependencies(strict)
    if not code_clean:
        say("FAILED: fix what bandit found, or accept it with `# nosec BXXX # why` on its line")
    return 0 if code_clean and dependencies_clean else 1


if __name__ == "__main__":
    sys.exit(main())
