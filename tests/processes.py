"""Run this project's interpreter in a child process, as an operator would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(*args: str, env: Mapping[str, str], timeout: int = 600) -> str:
    """Run ``python args`` in the project root; on failure fail the test with the
    ends of its output; return its standard output."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout
