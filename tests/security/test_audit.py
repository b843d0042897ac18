"""`make audit` (.ci/audit.py) fails on a known vulnerability and passes without one;
what PyPI could not say (a mirror without vulnerability data) fails only with AUDIT_STRICT=1.

pip-audit's own report is fed in, so this needs no network; CI runs the real audit."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit.py"


@pytest.fixture(scope="module")
def audit():
    spec = importlib.util.spec_from_file_location("audit_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-0", "fix_versions": ["5.2.2"], "aliases": []}],
}
UNAUDITED = {"name": "nh3", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_a_known_vulnerability_fails_the_audit(audit, capsys):
    assert audit.audit_dependencies(False, {"dependencies": [CLEAN, VULNERABLE]}) is False
    assert "VULNERABLE: django 5.2.1: PYSEC-2025-0 (fixed in 5.2.2)" in capsys.readouterr().out


def test_no_known_vulnerability_passes(audit, capsys):
    assert audit.audit_dependencies(True, {"dependencies": [CLEAN]}) is True
    assert "1 pinned packages, 1 audited, 0 with known vulnerabilities" in capsys.readouterr().out


def test_packages_that_could_not_be_audited_are_reported_and_fail_only_when_strict(audit, capsys):
    report = {"dependencies": [CLEAN, UNAUDITED]}
    assert audit.audit_dependencies(False, report) is True
    assert "1 packages could NOT be audited" in capsys.readouterr().out
    assert audit.audit_dependencies(True, report) is False


def test_the_lock_files_pin_what_pins_reads(audit):
    pinned = audit.pins("# a comment\nDjango==5.2.19\nlxml_html_clean==0.4.6\n")
    assert pinned == {"django": "5.2.19", "lxml-html-clean": "0.4.6"}
    assert audit.pins(Path(SCRIPT.parent.parent / "requirements.lock").read_text())["django"]


def test_pins_reads_the_hashed_lock_format(audit):
    lock = (
        "#    pip-compile --generate-hashes --output-file=requirements.lock pyproject.toml\n"
        "asgiref==3.13.0 \\\n"
        "    --hash=sha256:034cc8cbf72d00553b4be256703ac545120b4e50af13b49dec99da899aeeecb4 \\\n"
        "    --hash=sha256:f9596a2434512686473d50f96ff6207fbba49ae1a785dfac614df4aeb085674d\n"
        "    # via\n"
        "    #   django\n"
        'tomli==2.5.0 ; python_version < "3.11" \\\n'
        "    --hash=sha256:0000\n"
    )
    assert audit.pins(lock) == {"asgiref": "3.13.0", "tomli": "2.5.0"}
    dev = audit.pins(Path(SCRIPT.parent.parent / "requirements-dev.lock").read_text())
    runtime = audit.pins(Path(SCRIPT.parent.parent / "requirements.lock").read_text())
    assert runtime and all(dev[name] == version for name, version in runtime.items())
