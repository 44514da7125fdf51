"""Running `dbt build` for the driver and reading what it did from target/run_results.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.build.settings import vars_json

# A selection that matches nothing (a typo in --select, an extract dir dbt cannot see) must fail, not pass empty.
WARN_ERROR_OPTIONS = '{"error": ["NoNodesForSelectionCriteria"]}'
QUARANTINE_GATE_TEST = "quarantine_share_within_thresholds"
SKIP_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    status: str  # success, error, fail, warn, pass, skipped
    message: str | None

    @property
    def failed(self) -> bool:
        return self.status in ("error", "fail")

    @property
    def name(self) -> str:
        return self.unique_id.split(".", 2)[-1]


@dataclass(frozen=True)
class DbtRun:
    returncode: int
    results: list[NodeResult]  # empty when dbt stopped before running any node

    @property
    def failures(self) -> list[NodeResult]:
        return [r for r in self.results if r.failed]

    def built(self, model: str) -> bool:
        """Whether this run (re)built the model: only then do its rows describe this extract."""
        return any(r.unique_id.endswith(f".{model}") and r.status == "success" for r in self.results)

    @property
    def stopped_on_quarantine_gate(self) -> bool:
        return any(QUARANTINE_GATE_TEST in r.unique_id for r in self.failures)


def dbt_executable() -> str:
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def dbt_build_command(dbt_vars: Mapping[str, object], target_path: Path) -> list[str]:
    # Unit tests check this project's SQL against fixtures, not the user's data: `make test` runs them once
    # (dbt test --select test_type:unit), so a build spends its time on the extract.
    command = [dbt_executable(), "build", "--quiet", "--target-path", str(target_path), *SKIP_UNIT_TESTS]
    command += ["--warn-error-options", WARN_ERROR_OPTIONS]
    if dbt_vars:
        command += ["--vars", vars_json(dbt_vars)]
    return command


def run_dbt_build(
    command: list[str], env: Mapping[str, str], target_path: Path, pass_fds: tuple[int, ...] = ()
) -> DbtRun:
    """Run dbt with its output going straight to the terminal, then read this run's results."""
    results_file = target_path / "run_results.json"
    # A run that fails before executing anything writes no results: never read the previous run's.
    results_file.unlink(missing_ok=True)
    completed = subprocess.run(command, cwd=PROJECT_ROOT, env={**os.environ, **env}, check=False, pass_fds=pass_fds)
    return DbtRun(completed.returncode, read_run_results(results_file))


def read_run_results(path: Path) -> list[NodeResult]:
    if not path.is_file():
        return []
    return [
        NodeResult(result["unique_id"], result["status"], result.get("message"))
        for result in json.loads(path.read_text())["results"]
    ]
