"""What a production install carries: the desk, and neither the demo desk nor the benchmark
(their passwords and content are claims.devtools, left out of the wheel and not installed
unless DEBUG or DESK_DEVTOOLS asks)."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVELOPER_COMMANDS = {"load_demo", "seed_bench", "bench_probe", "spot_benchmark"}


def commands(**env):
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DESK_DEVTOOLS")}
    environ["DATABASE_URL"] = "sqlite:///:memory:"
    environ.update(env)
    listed = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(listed.stdout.split())


def test_production_settings_offer_no_demo_or_benchmark_command():
    assert not DEVELOPER_COMMANDS & commands(DEBUG="0")
    assert DEVELOPER_COMMANDS <= commands(DEBUG="0", DESK_DEVTOOLS="1")
    assert DEVELOPER_COMMANDS <= commands(DEBUG="1")


def test_the_production_wheel_has_no_demo_or_benchmark_code(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path, "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode != 0:
        pytest.fail(f"pip wheel . failed (it needs setuptools from PyPI):\n{built.stderr[-2000:]}")
    [wheel] = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()

    assert "claims/workflow.py" in names and "newsroom/settings.py" in names
    # Every package of the desk is in it (a folder without __init__.py would be left out).
    packages = {
        str(path.parent.relative_to(ROOT))
        for path in (ROOT / "claims").rglob("*.py")
        if "devtools" not in path.parts and "__pycache__" not in path.parts
    }
    assert {f"{package}/__init__.py" for package in packages} <= set(names)
    assert "claims/web/cache/store.py" in names
    assert not [name for name in names if name.startswith("claims/devtools/")]
    assert not [n for n in names if "demo" in n or "seed_bench" in n or "spot_benchmark" in n]
