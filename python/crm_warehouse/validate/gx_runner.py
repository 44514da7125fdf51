"""Runs expectation lists through Great Expectations' pandas datasource and builds Data Docs."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from crm_warehouse.validate.expectations import Expect

logging.getLogger("great_expectations").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Failure:
    mart: str
    expectation: Expect
    detail: str

    def __str__(self) -> str:
        column = f".{self.expectation.column}" if self.expectation.column else ""
        return f"{self.mart}{column}: {self.expectation.describe()} [{self.expectation.why}] -> {self.detail}"


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Decimals as floats and dates as ISO strings, so they compare with plain numeric and ISO bounds."""
    out = frame.copy()
    for column in out.columns:
        sample = out[column].dropna()
        first = sample.iloc[0] if len(sample) else None
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif isinstance(first, Decimal):
            out[column] = out[column].astype("float64")
        elif isinstance(first, dt.date):
            out[column] = out[column].map(lambda v: v.isoformat() if isinstance(v, dt.date) else None)
    return out


def _detail(result: Any) -> str:
    info = result.result or {}
    if "observed_value" in info:
        return f"observed {info['observed_value']}"
    examples = info.get("partial_unexpected_list") or []
    count = info.get("unexpected_count")
    return f"{count} unexpected value(s), e.g. {examples[:5]!r}"


class GxRunner:
    def __init__(self, docs_dir: Path) -> None:
        self.context = gx.get_context(mode="ephemeral")
        # GX draws a progress bar per metric; the failure summary is what a person needs.
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        docs_dir.mkdir(parents=True, exist_ok=True)
        self.context.add_data_docs_site(
            site_name="marts",
            site_config={
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            },
        )
        self.source = self.context.data_sources.add_pandas("marts")

    def validate(self, mart: str, frame: pd.DataFrame, expectations: list[Expect]) -> list[Failure]:
        batch = self.source.add_dataframe_asset(mart).add_batch_definition_whole_dataframe("whole")
        suite = self.context.suites.add(gx.ExpectationSuite(name=mart))
        for index, expectation in enumerate(expectations):
            gx_class = getattr(gx.expectations, expectation.kind)
            suite.add_expectation(gx_class(**expectation.kwargs, meta={"index": index}))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=mart, data=batch, suite=suite)
        )
        checkpoint = self.context.checkpoints.add(
            gx.Checkpoint(
                name=mart,
                validation_definitions=[definition],
                # No UpdateDataDocsAction: it rebuilds the whole site after every mart (41 rebuilds, each slower
                # than the last, most of the gate's time). Each run stores its result; build_docs renders them once.
                actions=[],
                result_format={"result_format": "SUMMARY"},
            )
        )
        run = checkpoint.run(batch_parameters={"dataframe": _comparable(frame)})
        failures = []
        for validation in run.run_results.values():
            for result in validation.results:
                if not result.success:
                    expectation = expectations[result.expectation_config.meta["index"]]
                    failures.append(Failure(mart, expectation, _detail(result)))
        return failures

    def build_docs(self) -> None:
        self.context.build_data_docs()
