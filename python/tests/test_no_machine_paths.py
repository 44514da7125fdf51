"""No file of the repository names a path of one machine (issue 10, item 20): files are referred to relative to
the repository root. Scans every tracked text file for the absolute prefixes of the machines it was written on."""

from __future__ import annotations

import re
import subprocess

from crm_warehouse import PROJECT_ROOT

# /work/<dir>/ (the shared workspace), home directories; /tmp/ examples in docs are a user's choice, not ours.
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|home/\w+|Users/\w+)/[\w.-]+")


def test_no_tracked_file_names_a_machine_path() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    found = []
    for name in filter(None, tracked):
        try:
            text = (PROJECT_ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        found += [f"{name}: {m.group(0)}" for m in MACHINE_PATH.finditer(text)]
    assert not found, found
