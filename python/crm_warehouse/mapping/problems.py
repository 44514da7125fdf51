"""What pre-flight found in a mapping: each problem names the mapping file and line, and the data file and column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    mapping_file: str
    line: int | None  # 1-based line of the mapping file
    message: str
    data_file: str | None = None
    column: str | None = None  # column of data_file (the user's column)

    def __str__(self) -> str:
        where = self.mapping_file + (f", line {self.line}" if self.line is not None else "")
        if self.data_file is not None:
            where += f" ({self.data_file}" + (f", column {self.column!r}" if self.column is not None else "") + ")"
        return f"{self.severity.upper()}: {where}: {self.message}"


class MappingError(Exception):
    """The mapping cannot be applied; `problems` lists every problem found (errors, then warnings and notes)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        others = [p for p in self.problems if p.severity != "error"]
        lines = [f"{len(errors)} error(s) in the mapping; nothing was written", *map(str, errors + others)]
        super().__init__("\n".join(lines))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
