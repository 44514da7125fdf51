"""import_method: the import deadlock a dbt build hit (two Python models on parallel threads, scikit-learn and
statsmodels both reaching narwhals.stable, whose __init__ imports its own submodule v2) is reproduced with a small
package of the same shape, and goes away when both threads import through the lock the models use."""

from __future__ import annotations

import importlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from crm_warehouse.model_imports import import_method


def write_package(root: Path, name: str) -> None:
    """<name> (slow to import) / stable (imports its submodule, like narwhals.stable) / sub."""
    (root / name / "stable").mkdir(parents=True)
    (root / name / "__init__.py").write_text("import time\ntime.sleep(0.5)\n")
    (root / name / "stable" / "__init__.py").write_text(f"from {name}.stable import sub\n")
    (root / name / "stable" / "sub.py").write_text("VALUE = 1\n")


def import_together(name: str, importer: Callable[[str], ModuleType]) -> list[BaseException]:
    """<name>.stable on one thread; 0.1 s later, while the first still imports <name>, <name>.stable.sub."""
    errors: list[BaseException] = []

    def load(module: str) -> None:
        try:
            importer(module)
        except BaseException as error:  # the deadlock error is what the test looks for
            errors.append(error)

    threads = [threading.Thread(target=load, args=(m,)) for m in (f"{name}.stable", f"{name}.stable.sub")]
    threads[0].start()
    time.sleep(0.1)
    threads[1].start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.fixture
def package(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    name = f"package_{request.node.name}"
    write_package(tmp_path, name)
    sys.path.insert(0, str(tmp_path))
    yield name
    sys.path.remove(str(tmp_path))
    for module in [m for m in sys.modules if m.startswith(name)]:
        del sys.modules[module]


def test_parallel_imports_deadlock_without_the_lock(package: str) -> None:
    errors = import_together(package, importlib.import_module)
    assert any("deadlock" in str(error) for error in errors), errors


def test_parallel_imports_load_through_import_method(package: str) -> None:
    assert import_together(package, import_method) == []
    assert sys.modules[f"{package}.stable.sub"].VALUE == 1


def test_every_python_model_imports_through_the_lock() -> None:
    from crm_warehouse import PROJECT_ROOT

    models = sorted((PROJECT_ROOT / "models").rglob("*.py"))
    assert models
    for model in models:
        imports = [
            line
            for line in model.read_text().splitlines()
            if line.startswith(("import ", "from ")) and line != "from crm_warehouse.model_imports import import_method"
        ]
        assert imports == [], f"{model.relative_to(PROJECT_ROOT)}: import through import_method, not {imports}"
