"""Expectations as plain data, so the rules are testable without running GX."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Expect:
    """One GX expectation: its class name in `great_expectations.expectations` and its arguments."""

    kind: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    why: str = ""

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column")

    def describe(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items() if k != "column")
        return f"{self.kind}({args})" if args else self.kind
