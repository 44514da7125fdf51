"""What pre-flight settled on: per entity, the user's file and how each contract column is filled."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm_warehouse.contract import Entity
from crm_warehouse.mapping.problems import Problem
from crm_warehouse.mapping.spec import ColumnRule, EntityMapping


@dataclass
class EntityPlan:
    entity: Entity
    mapping: EntityMapping
    source: str  # SQL relation of the user's file
    rules: dict[str, ColumnRule]  # contract column -> how it is filled (unmapped optional columns absent)


@dataclass
class Plan:
    extract_date: str | None = None
    written: list[EntityPlan] = field(default_factory=list)
    header_only: list[Entity] = field(default_factory=list)  # required entities declared absent
    absent: list[str] = field(default_factory=list)  # every entity the extract will not have, contract order
    on_invalid: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
