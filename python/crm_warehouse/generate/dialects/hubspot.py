"""Rewrite a contract extract (CSV) into the HubSpot export, in the Fivetran schema, that the adapter reads.

One table per HubSpot table, `<table>.csv`, with exactly the columns models/staging/hubspot/_hubspot__sources.yml
declares (and, for the tables the adapter does not read, engagement and deal_pipeline, the columns of the shared
sample samples/hubspot_fivetran/). Ids are numeric like HubSpot's: 13 digits, '9', a two-digit object code, the
contract id's digit count and its number in 9 digits (ACC-000001 -> 9116000000001), derived from the contract ids
and reversible (contract_id()). Stages are one deal pipeline, 'default', with HubSpot's default stage ids and labels
(a custom 'Prospecting' stage first) and the world's stage probabilities; ticket stages one ticket pipeline, '0'.
Booleans true/false, timestamps as Fivetran writes them ('YYYY-MM-DD HH:MM:SS'); enumerations the HubSpot way
(industries, ticket categories and priorities upper snake case).

The standard HubSpot properties the adapter reads as optional columns (the shared sample lacks them) are filled
from the world: a contact's associatedcompanyid and phone; a company's numberofemployees and hubspot_owner_id; a
deal's dealtype (new -> newbusiness, upsell -> existingbusiness, renewal and cross_sell as the portal's own
options), deal_currency_code, closed_lost_reason, hs_next_step and hs_lastmodifieddate; the hubspot_owner_id of
calls and meetings, a call's hs_call_duration (milliseconds), a meeting's hs_activity_type (Demo, Event; empty
for a plain meeting); a ticket's source_type (web -> FORM, the others upper-cased).

Where a contract row goes: accounts -> company; contacts -> contact; opportunities -> deal (the account as the
primary, type 5, deal_company link); opportunity_stage_history -> deal_stage (every row an active version);
activities -> one engagement each (engagement + the type's table): calls -> engagement_call, emails ->
engagement_email, meetings, demos and events -> engagement_meeting (end = start + duration), samples and proposals
-> engagement_task (task type TODO; HubSpot has no such types), with engagement_deal / _company / _contact links;
users -> owner (+ owner_team and team for the team); tickets -> ticket (+ ticket_company); engagement_events ->
email_event for the email events (SENT, OPEN, CLICK; recipient = the contact's or lead's email; HubSpot's
email_event holds no web visits, forms, webinars or list changes, so those are not written).

Quirks the adapter must leave out, none of them part of the world: a few is_deleted / _fivetran_deleted rows per
table that has the flag (companies, contacts, deals, calls, emails, notes, tasks, tickets), deals merged into a
world deal (a deal row, its stage and company link, and its merged_deal row), superseded (_fivetran_active = false)
deal_stage versions before the first stage of every 10th deal, a second, non-primary deal_company link of every
5th deal (to a company with a lower id than its primary one, so the pick by association type matters) and a link to
a deleted company, a non-primary second team of the first owner with a team, and email delivery events (DELIVERED
for every 5th send, PROCESSED) and filtered_event opens.

The entities HubSpot does not carry (leads, products, orders, subscriptions, surveys, ...) are copied as contract
files beside the export, their references to HubSpot-carried entities rewritten to HubSpot ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.generate.deals import STAGE_PROBABILITY, STAGES
from crm_warehouse.generate.dialects import common
from crm_warehouse.generate.dialects.common import DialectExport, fivetran_timestamp

SOURCES_YAML = PROJECT_ROOT / "models" / "staging" / "hubspot" / "_hubspot__sources.yml"

# The contract entities the adapter fills (macros/sources/crm_source_entities.sql, 'hubspot').
FILLED_ENTITIES = (
    "accounts",
    "contacts",
    "opportunities",
    "opportunity_stage_history",
    "activities",
    "users",
    "tickets",
    "engagement_events",
)

# Contract id prefix -> two-digit HubSpot object code of the id.
OBJECT_CODES = {"ACC": 11, "CON": 12, "OPP": 13, "USR": 14, "ACT": 15, "TCK": 16, "EVT": 17}
CONTRACT_PREFIXES = {code: prefix for prefix, code in OBJECT_CODES.items()}
CONTRACT_ID = re.compile(rf"^({'|'.join(OBJECT_CODES)})-(\d{{1,9}})$")
HUBSPOT_ID = re.compile(rf"(?<![0-9A-Za-z.])9({'|'.join(map(str, CONTRACT_PREFIXES))})(\d)(\d{{9}})(?![0-9A-Za-z.])")
# HubSpot ids of the quirk rows: numbers no contract id uses.
QUIRK_NUMBER = 900_000_000

PIPELINE_ID = "default"
# Contract stage -> (stage_id, label) in the deal pipeline: HubSpot's default pipeline, a custom first stage.
DEAL_STAGES = {
    "prospecting": ("1010101", "Prospecting"),
    "qualification": ("qualifiedtobuy", "Qualified To Buy"),
    "demo": ("presentationscheduled", "Presentation Scheduled"),
    "proposal": ("decisionmakerboughtin", "Decision Maker Bought-In"),
    "negotiation": ("contractsent", "Contract Sent"),
    "closed_won": ("closedwon", "Closed Won"),
    "closed_lost": ("closedlost", "Closed Lost"),
}
UNUSED_STAGE = ("appointmentscheduled", "Appointment Scheduled", "0.2")  # in the pipeline, no deal uses it
STAGE_PROBABILITIES = {stage: f"{p / 100:g}" for stage, p in zip(STAGES, STAGE_PROBABILITY.tolist(), strict=True)}
PRIMARY_ASSOCIATION, OTHER_ASSOCIATION = "5", "341"  # deal-to-company association types (5: primary)

TICKET_PIPELINE_ID = "0"
# Contract ticket status -> (stage_id, label, is_closed, ticket_state) in the ticket pipeline.
TICKET_STAGES = {
    "open": ("1", "New", "false", "OPEN"),
    "pending": ("2", "Waiting on contact", "false", "OPEN"),
    "closed": ("4", "Closed", "true", "CLOSED"),
    "resolved": ("5", "Resolved", "true", "CLOSED"),
}
UNUSED_TICKET_STAGE = ("3", "Waiting on us", "false", "OPEN")
# Contract ticket category -> HubSpot's (hs_ticket_category: its four defaults, the others custom options).
TICKET_CATEGORIES = {
    "billing": "BILLING_ISSUE",
    "technical": "PRODUCT_ISSUE",
    "feature_request": "FEATURE_REQUEST",
    "how_to": "GENERAL_INQUIRY",
}

# Contract activity type -> HubSpot engagement type (the engagement_<type> table).
ENGAGEMENT_TYPES = {
    "call": "CALL",
    "email": "EMAIL",
    "meeting": "MEETING",
    "demo": "MEETING",
    "event": "MEETING",
    "sample": "TASK",
    "proposal": "TASK",
}
# Contract opportunity type -> HubSpot dealtype (its two defaults; renewal and cross_sell as the portal's own options).
DEAL_TYPES = {"new": "newbusiness", "upsell": "existingbusiness"}
# Contract activity type -> the meeting's call and meeting type (hs_activity_type, the portal's own options).
MEETING_TYPES = {"demo": "Demo", "event": "Event"}
# Contract ticket channel -> HubSpot's ticket source_type.
TICKET_SOURCES = {"web": "FORM"}
EMAIL_EVENT_TYPES = {"email_sent": "SENT", "email_open": "OPEN", "email_click": "CLICK"}
PORTAL_ID = "62515"
# Columns of the tables the adapter does not read, as the shared sample has them.
ENGAGEMENT_COLUMNS = ["id", "type", "_fivetran_synced", "portal_id"]
DEAL_PIPELINE_COLUMNS = [
    "pipeline_id",
    "_fivetran_deleted",
    "_fivetran_synced",
    "active",
    "display_order",
    "label",
    "created_at",
    "updated_at",
]


def hubspot_id(prefix: str, number: int, width: int) -> str:
    """13 digits: '9', the object code of the contract prefix, the digit count, the number in 9 digits."""
    return f"9{OBJECT_CODES[prefix]}{width}{number:09d}"


def to_hubspot_id(contract_id: str) -> str:
    """The HubSpot id of a contract id of a HubSpot-carried entity (ACC-000001 -> 9116000000001); other text
    (LEA-0000001, CMP-00005, free text) unchanged."""
    match = CONTRACT_ID.match(contract_id)
    if not match:
        return contract_id
    prefix, digits = match.groups()
    return hubspot_id(prefix, int(digits), len(digits))


def contract_id(value: str | None) -> str | None:
    """Every HubSpot id of ours in value back as the contract id it was derived from: the inverse of
    to_hubspot_id, also inside composite text such as 'opportunity_created:<id>'; other text unchanged."""
    if value is None:
        return None

    def replace(match: re.Match[str]) -> str:
        code, width, number = match.groups()
        return f"{CONTRACT_PREFIXES[int(code)]}-{int(number):0{int(width)}d}"

    return HUBSPOT_ID.sub(replace, value)


def declared_columns() -> dict[str, list[str]]:
    return common.declared_columns(SOURCES_YAML)


def later(value: str, seconds: str) -> str:
    """Fivetran timestamp of a contract timestamp plus a number of seconds (empty when either is empty)."""
    if not value or not seconds:
        return ""
    start = datetime.fromisoformat(value.removesuffix("Z"))
    return (start + timedelta(seconds=int(seconds))).strftime("%Y-%m-%d %H:%M:%S")


def upper_snake(value: str) -> str:
    return value.upper() if value else ""


class HubSpotExport(DialectExport):
    """Reads a contract extract in `source` and writes the HubSpot export into `out`."""

    def __init__(self, source: Path, out: Path) -> None:
        super().__init__(source, out, declared_columns())

    @staticmethod
    def quirk_id(prefix: str, n: int) -> str:
        return hubspot_id(prefix, QUIRK_NUMBER + n, 9)

    def run(self) -> dict[str, int]:
        users = self.entity("users")
        teams = sorted({u["team"] for u in users if u["team"]})
        team_ids = {team: str(1000 + n) for n, team in enumerate(teams, start=1)}
        self.write("owner", self.owners(users))
        self.write("team", ({"id": team_id, "name": team} for team, team_id in team_ids.items()))
        self.write("owner_team", self.owner_teams(users, team_ids))
        accounts = self.entity("accounts")
        self.write("company", self.companies(accounts))
        contacts = self.entity("contacts")
        self.write("contact", self.contacts(contacts))
        opportunities = self.entity("opportunities")
        self.write("deal_pipeline", self.pipelines(), DEAL_PIPELINE_COLUMNS)
        self.write("deal_pipeline_stage", self.deal_stages())
        self.write("deal", self.deals(opportunities))
        self.write("merged_deal", self.merged_deals(opportunities))
        self.write("deal_company", self.deal_companies(opportunities, accounts))
        self.write("deal_stage", self.stage_history(self.entity("opportunity_stage_history"), opportunities))
        activities = self.entity("activities")
        self.write("engagement", self.engagements(activities), ENGAGEMENT_COLUMNS)
        self.write("engagement_call", self.calls(activities))
        self.write("engagement_email", self.emails(activities))
        self.write("engagement_meeting", self.meetings(activities))
        self.write("engagement_note", self.notes())
        self.write("engagement_task", self.tasks(activities))
        for link, column in (("deal", "opportunity_id"), ("company", "account_id"), ("contact", "contact_id")):
            self.write(f"engagement_{link}", self.engagement_links(activities, link, column))
        tickets = self.entity("tickets")
        self.write("ticket_pipeline_stage", self.ticket_stages())
        self.write("ticket", self.tickets(tickets))
        self.write("ticket_company", self.ticket_companies(tickets))
        emails = {c["contact_id"]: c["email"] for c in contacts} | {
            lead["lead_id"]: lead["email"] for lead in self.entity("leads")
        }
        self.write("email_event", self.email_events(self.entity("engagement_events"), emails))
        self.copy_other_entities(FILLED_ENTITIES, to_hubspot_id)
        return dict(self.rows)

    # --- one generator per HubSpot table -----------------------------------------------------------------------

    def owners(self, users: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for u in users:
            first, _, last = u["full_name"].partition(" ")
            yield {
                "owner_id": to_hubspot_id(u["user_id"]),
                "email": u["email"],
                "first_name": first,
                "last_name": last,
                # The owner record dates from the hire (the adapter's hired_at).
                "created_at": f"{u['hired_at']} 00:00:00" if u["hired_at"] else "",
                "updated_at": fivetran_timestamp(u["updated_at"]),
            }

    def owner_teams(self, users: list[dict[str, str]], team_ids: dict[str, str]) -> Iterator[dict[str, str]]:
        with_team = [u for u in users if u["team"]]
        for u in with_team:
            yield {"owner_id": to_hubspot_id(u["user_id"]), "team_id": team_ids[u["team"]], "is_team_primary": "true"}
        # Quirk: the first owner with a team is also in another team, not as primary (no fan-out).
        others = [team_id for team, team_id in team_ids.items() if with_team and team != with_team[0]["team"]]
        if others:
            yield {"owner_id": to_hubspot_id(with_team[0]["user_id"]), "team_id": others[0], "is_team_primary": "false"}

    def companies(self, accounts: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for a in accounts:
            yield {
                "id": to_hubspot_id(a["account_id"]),
                "is_deleted": "false",
                "_fivetran_synced": fivetran_timestamp(a["updated_at"]),
                "property_name": a["account_name"],
                "property_createdate": fivetran_timestamp(a["created_at"]),
                "property_industry": upper_snake(a["industry"]),
                "property_country": a["country"],
                "property_annualrevenue": a["annual_revenue"],
                "property_numberofemployees": a["employee_count"],
                "property_hubspot_owner_id": to_hubspot_id(a["owner_user_id"]),
            }
        for n in (1, 2):
            yield {"id": self.quirk_id("ACC", n), "is_deleted": "true", "property_name": f"Deleted company {n}"}

    def contacts(self, contacts: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for c in contacts:
            yield {
                "id": to_hubspot_id(c["contact_id"]),
                "_fivetran_deleted": "false",
                "_fivetran_synced": fivetran_timestamp(c["updated_at"]),
                "property_email": c["email"],
                "property_firstname": c["first_name"],
                "property_lastname": c["last_name"],
                "property_jobtitle": c["title"],
                "property_createdate": fivetran_timestamp(c["created_at"]),
                "property_phone": c["phone"],
                "property_associatedcompanyid": to_hubspot_id(c["account_id"]),
            }
        yield {"id": self.quirk_id("CON", 1), "_fivetran_deleted": "true", "property_lastname": "Deleted"}

    @staticmethod
    def pipelines() -> Iterator[dict[str, str]]:
        yield {
            "pipeline_id": PIPELINE_ID,
            "_fivetran_deleted": "false",
            "active": "true",
            "display_order": "0",
            "label": "Sales Pipeline",
        }

    @staticmethod
    def deal_stages() -> Iterator[dict[str, str]]:
        rows = [(*DEAL_STAGES["prospecting"], STAGE_PROBABILITIES["prospecting"]), UNUSED_STAGE]
        rows += [(*DEAL_STAGES[stage], STAGE_PROBABILITIES[stage]) for stage in STAGES if stage != "prospecting"]
        for stage_id, label, probability in rows:
            yield {
                "stage_id": stage_id,
                "pipeline_id": PIPELINE_ID,
                "label": label,
                "probability": probability,
                "is_closed": "true" if stage_id in ("closedwon", "closedlost") else "false",
                "closed_won": "true" if stage_id == "closedwon" else "false",
                "_fivetran_deleted": "false",
            }

    @staticmethod
    def stage_id(stage: str) -> str:
        return DEAL_STAGES[stage][0] if stage in DEAL_STAGES else stage

    def deals(self, opportunities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for o in opportunities:
            yield {
                "deal_id": to_hubspot_id(o["opportunity_id"]),
                "is_deleted": "false",
                "deal_pipeline_id": PIPELINE_ID,
                "deal_pipeline_stage_id": self.stage_id(o["stage"]),
                "owner_id": to_hubspot_id(o["owner_user_id"]),
                "property_dealname": f"Deal {o['opportunity_id']}",
                "property_amount": o["amount"],
                "property_closedate": f"{o['close_date']} 00:00:00" if o["close_date"] else "",
                "property_createdate": fivetran_timestamp(o["created_at"]),
                "property_dealtype": DEAL_TYPES.get(o["opportunity_type"], o["opportunity_type"]),
                "property_deal_currency_code": o["currency"],
                "property_closed_lost_reason": o["loss_reason"],
                "property_hs_next_step": o["next_step"],
                "property_hs_lastmodifieddate": fivetran_timestamp(o["updated_at"]),
            }
        for n in (1, 2):
            yield {
                "deal_id": self.quirk_id("OPP", n),
                "is_deleted": "true",
                "deal_pipeline_id": PIPELINE_ID,
                "deal_pipeline_stage_id": self.stage_id("prospecting"),
                "property_dealname": f"Deleted deal {n}",
            }
        for n, o in self.merged_away(opportunities):
            yield {
                "deal_id": self.quirk_id("OPP", n),
                "is_deleted": "false",
                "deal_pipeline_id": PIPELINE_ID,
                "deal_pipeline_stage_id": self.stage_id("prospecting"),
                "owner_id": to_hubspot_id(o["owner_user_id"]),
                "property_dealname": f"Duplicate of deal {o['opportunity_id']}",
                "property_amount": o["amount"],
                "property_createdate": fivetran_timestamp(o["created_at"]),
            }

    @staticmethod
    def merged_away(opportunities: list[dict[str, str]]) -> list[tuple[int, dict[str, str]]]:
        """Quirk numbers and survivors of the deals merged away: a duplicate of the first two deals."""
        return [(10 + n, o) for n, o in enumerate(opportunities[:2], start=1)]

    def merged_deals(self, opportunities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for n, o in self.merged_away(opportunities):
            yield {"deal_id": to_hubspot_id(o["opportunity_id"]), "merged_deal_id": self.quirk_id("OPP", n)}

    def deal_companies(
        self, opportunities: list[dict[str, str]], accounts: list[dict[str, str]]
    ) -> Iterator[dict[str, str]]:
        first_account = accounts[0]["account_id"] if accounts else ""
        for i, o in enumerate(opportunities):
            if not o["account_id"]:
                continue
            deal = to_hubspot_id(o["opportunity_id"])
            yield {"deal_id": deal, "company_id": to_hubspot_id(o["account_id"]), "type_id": PRIMARY_ASSOCIATION}
            # Quirk: every 5th deal is also linked to the first company (a lower id), not as primary.
            if i % 5 == 0 and first_account and first_account != o["account_id"]:
                yield {"deal_id": deal, "company_id": to_hubspot_id(first_account), "type_id": OTHER_ASSOCIATION}
        if opportunities:
            deal = to_hubspot_id(opportunities[0]["opportunity_id"])
            yield {"deal_id": deal, "company_id": self.quirk_id("ACC", 1), "type_id": OTHER_ASSOCIATION}
        for n, o in self.merged_away(opportunities):
            if o["account_id"]:
                company = to_hubspot_id(o["account_id"])
                yield {"deal_id": self.quirk_id("OPP", n), "company_id": company, "type_id": PRIMARY_ASSOCIATION}

    def stage_history(
        self, history: list[dict[str, str]], opportunities: list[dict[str, str]]
    ) -> Iterator[dict[str, str]]:
        first_entered: dict[str, str] = {}
        for h in history:
            entered = first_entered.get(h["opportunity_id"])
            if entered is None or h["entered_at"] < entered:
                first_entered[h["opportunity_id"]] = h["entered_at"]
            yield {
                "deal_id": to_hubspot_id(h["opportunity_id"]),
                "value": self.stage_id(h["stage"]),
                "date_entered": fivetran_timestamp(h["entered_at"]),
                "_fivetran_start": fivetran_timestamp(h["entered_at"]),
                "_fivetran_active": "true",
            }
        # Superseded versions: a version at midnight of the first stage's day of every 10th deal.
        for o in opportunities[::10]:
            entered = first_entered.get(o["opportunity_id"])
            if entered:
                yield {
                    "deal_id": to_hubspot_id(o["opportunity_id"]),
                    "value": self.stage_id("qualification"),
                    "date_entered": fivetran_timestamp(entered)[:11] + "00:00:00",
                    "_fivetran_start": fivetran_timestamp(entered)[:11] + "00:00:00",
                    "_fivetran_active": "false",
                }
        for n in (1, 2):
            yield {
                "deal_id": self.quirk_id("OPP", n),
                "value": self.stage_id("prospecting"),
                "date_entered": "2024-01-01 00:00:00",
                "_fivetran_start": "2024-01-01 00:00:00",
                "_fivetran_active": "true",
            }
        for n, o in self.merged_away(opportunities):
            yield {
                "deal_id": self.quirk_id("OPP", n),
                "value": self.stage_id("prospecting"),
                "date_entered": fivetran_timestamp(o["created_at"]),
                "_fivetran_start": fivetran_timestamp(o["created_at"]),
                "_fivetran_active": "true",
            }

    @staticmethod
    def of_type(activities: list[dict[str, str]], engagement_type: str) -> Iterator[dict[str, str]]:
        return (a for a in activities if ENGAGEMENT_TYPES.get(a["activity_type"], "TASK") == engagement_type)

    def engagements(self, activities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for a in activities:
            yield {
                "id": to_hubspot_id(a["activity_id"]),
                "type": ENGAGEMENT_TYPES.get(a["activity_type"], "TASK"),
                "_fivetran_synced": fivetran_timestamp(a["occurred_at"]),
                "portal_id": PORTAL_ID,
            }

    @staticmethod
    def logged(activity: dict[str, str]) -> dict[str, str]:
        return {
            "engagement_id": to_hubspot_id(activity["activity_id"]),
            "_fivetran_deleted": "false",
            "property_hs_timestamp": fivetran_timestamp(activity["occurred_at"]),
            "property_hs_createdate": fivetran_timestamp(activity["occurred_at"]),
        }

    def deleted(self, n: int) -> dict[str, str]:
        return {
            "engagement_id": self.quirk_id("ACT", n),
            "_fivetran_deleted": "true",
            "property_hs_timestamp": "2024-01-01 00:00:00",
        }

    def calls(self, activities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for a in self.of_type(activities, "CALL"):
            seconds = a["duration_seconds"]
            yield {
                **self.logged(a),
                "property_hubspot_owner_id": to_hubspot_id(a["user_id"]),
                "property_hs_call_duration": str(int(seconds) * 1000) if seconds else "",
            }
        yield self.deleted(1)

    def emails(self, activities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for a in self.of_type(activities, "EMAIL"):
            yield {**self.logged(a), "type": "EMAIL", "property_hubspot_owner_id": to_hubspot_id(a["user_id"])}
        yield {**self.deleted(2), "type": "EMAIL"}

    def meetings(self, activities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        # This schema's meeting table has no deleted flag: no quirk rows.
        for a in self.of_type(activities, "MEETING"):
            yield {
                "engagement_id": to_hubspot_id(a["activity_id"]),
                "start_time": fivetran_timestamp(a["occurred_at"]),
                "end_time": later(a["occurred_at"], a["duration_seconds"]),
                "property_hubspot_owner_id": to_hubspot_id(a["user_id"]),
                "property_hs_activity_type": MEETING_TYPES.get(a["activity_type"], ""),
            }

    def notes(self) -> Iterator[dict[str, str]]:
        # The world logs no notes (no contract activity type): only a deleted one.
        yield self.deleted(3)

    def tasks(self, activities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for a in self.of_type(activities, "TASK"):
            yield {
                **self.logged(a),
                "property_hs_task_type": "TODO",
                "property_hubspot_owner_id": to_hubspot_id(a["user_id"]),
            }
        yield {**self.deleted(4), "property_hs_task_type": "TODO"}

    @staticmethod
    def engagement_links(activities: list[dict[str, str]], link: str, column: str) -> Iterator[dict[str, str]]:
        for a in activities:
            if a[column]:
                yield {"engagement_id": to_hubspot_id(a["activity_id"]), f"{link}_id": to_hubspot_id(a[column])}

    @staticmethod
    def ticket_stages() -> Iterator[dict[str, str]]:
        rows = [TICKET_STAGES["open"], TICKET_STAGES["pending"], UNUSED_TICKET_STAGE]
        rows += [TICKET_STAGES["closed"], TICKET_STAGES["resolved"]]
        for stage_id, label, is_closed, state in rows:
            yield {
                "stage_id": stage_id,
                "pipeline_id": TICKET_PIPELINE_ID,
                "label": label,
                "is_closed": is_closed,
                "ticket_state": state,
                "_fivetran_deleted": "false",
            }

    def tickets(self, tickets: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for t in tickets:
            yield {
                "id": to_hubspot_id(t["ticket_id"]),
                "is_deleted": "false",
                "_fivetran_synced": fivetran_timestamp(t["updated_at"]),
                "property_hs_pipeline": TICKET_PIPELINE_ID,
                "property_hs_pipeline_stage": TICKET_STAGES[t["status"]][0] if t["status"] in TICKET_STAGES else "",
                "property_hs_ticket_category": TICKET_CATEGORIES.get(t["category"], upper_snake(t["category"])),
                "property_hs_ticket_priority": upper_snake(t["priority"]),
                "property_source_type": TICKET_SOURCES.get(t["channel"], upper_snake(t["channel"])),
                "property_hubspot_owner_id": to_hubspot_id(t["assigned_user_id"]),
                "property_subject": t["subject"],
                "property_content": t["description"],
                "property_createdate": fivetran_timestamp(t["opened_at"]),
                "property_first_agent_reply_date": fivetran_timestamp(t["first_response_at"]),
                "property_closed_date": fivetran_timestamp(t["resolved_at"]),
            }
        yield {"id": self.quirk_id("TCK", 1), "is_deleted": "true", "property_subject": "Deleted ticket"}

    @staticmethod
    def ticket_companies(tickets: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for t in tickets:
            if t["account_id"]:
                yield {"ticket_id": to_hubspot_id(t["ticket_id"]), "company_id": to_hubspot_id(t["account_id"])}

    def email_events(self, events: list[dict[str, str]], emails: dict[str, str]) -> Iterator[dict[str, str]]:
        sends = 0
        for e in events:
            event_type = EMAIL_EVENT_TYPES.get(e["event_type"])
            if event_type is None:
                continue
            row = {
                "id": to_hubspot_id(e["event_id"]),
                "type": event_type,
                "filtered_event": "false",
                "email_campaign_id": e["campaign_id"],
                "recipient": emails.get(e["contact_id"]) or emails.get(e["lead_id"], ""),
                "created": fivetran_timestamp(e["occurred_at"]),
            }
            yield row
            if event_type == "SENT":
                sends += 1
                # Quirk: the delivery pipeline's events of every 5th send (PROCESSED, DELIVERED), a second later.
                if sends % 5 == 1:
                    for n, delivery in ((2 * sends, "PROCESSED"), (2 * sends + 1, "DELIVERED")):
                        yield {
                            **row,
                            "id": self.quirk_id("EVT", n),
                            "type": delivery,
                            "created": later(e["occurred_at"], "1"),
                        }
        for n in (1, 2):
            yield {
                "id": self.quirk_id("EVT", n - 1),
                "type": "OPEN",
                "filtered_event": "true",
                "created": "2024-01-01 00:00:00",
            }


def write_hubspot_export(source: Path, out: Path) -> dict[str, int]:
    """The HubSpot export of the contract extract in source (CSV), into out; rows written per file."""
    return HubSpotExport(source, out).run()
