"""Small vocabularies for names, companies and free text (fictional, no real people or firms)."""

from __future__ import annotations

import numpy as np

FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Diego", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Keira", "Liam",
    "Maya", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Xavier",
    "Yara", "Zoe", "Amir", "Bea", "Carl", "Dana", "Emil", "Fatima", "Gus", "Hana", "Ivan", "Julia",
)  # fmt: skip
LAST_NAMES = (
    "Adler", "Brooks", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes", "Ito", "Jensen",
    "Kowalski", "Lambert", "Moreau", "Nakamura", "Okafor", "Patel", "Quist", "Rossi", "Silva", "Tanaka",
    "Usman", "Vargas", "Weber", "Xu", "Young", "Zimmer", "Bauer", "Chen", "Dias", "Evans",
)  # fmt: skip
COMPANY_WORDS = (
    "Acme", "Apex", "Blue", "Bright", "Cedar", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Harbor",
    "Iris", "Juniper", "Kestrel", "Lumen", "Maple", "Nimbus", "Nova", "Orbit", "Pine", "Quartz", "Ridge",
    "Sable", "Summit", "Tidal", "Umber", "Vertex", "Willow", "Zephyr", "Atlas", "Beacon", "Crest",
)  # fmt: skip
COMPANY_SUFFIXES = ("Labs", "Systems", "Group", "Works", "Partners", "Industries", "Logistics", "Health",
                    "Retail", "Media", "Capital", "Foods", "Energy", "Software", "Academy", "Motors")  # fmt: skip
TITLES = ("CEO", "CFO", "COO", "CTO", "VP Sales", "VP Marketing", "Head of Operations", "IT Manager",
          "Sales Manager", "Marketing Manager", "Procurement Lead", "Analyst", "Customer Service Lead",
          "Operations Manager", "Office Manager")  # fmt: skip
DECISION_TITLES = frozenset({"CEO", "CFO", "COO", "CTO", "VP Sales", "VP Marketing", "Head of Operations"})

NEXT_STEPS = ("Schedule discovery call", "Send pricing", "Book demo with team", "Send proposal",
              "Legal review", "Follow up after budget meeting", "Security questionnaire",
              "Confirm decision maker", "Negotiate terms", "Send contract")  # fmt: skip

COMMENTS = {
    "positive": ("Great product, our team loves it.", "Support solved it quickly, thank you!",
                 "Very easy to use and reliable.", "Excellent service as always.",
                 "Would recommend to other teams.", "Fast and friendly help."),
    "neutral": ("It does the job, okay.", "Okay overall, some features missing.", "Okay, average experience.",
                "Fine, but setup took a while.", "Okay, pricing could be clearer."),
    "negative": ("Too slow to get an answer, disappointing.", "Annoying: the issue is still not fixed.",
                 "Very frustrating experience.", "Disappointed, we are considering other vendors.",
                 "Billing errors again, not happy.", "Hard to use and support was unhelpful."),
}  # fmt: skip
# Every English comment above holds at least one word of the VADER sentiment lexicon, so the feedback_sentiment
# mart can score it; these German and Spanish ones (same tones) hold none: the mart counts them as unscored.
FOREIGN_COMMENTS = {
    "positive": ("Sehr gutes Produkt, unser Team ist begeistert.", "Schnelle und freundliche Hilfe.",
                 "Excelente servicio, como siempre.", "Muy fácil de usar y fiable."),
    "neutral": ("Es funktioniert, mehr nicht.", "Durchschnittliche Erfahrung.",
                "Funciona, pero faltan algunas funciones.", "Experiencia normal, nada especial."),
    "negative": ("Viel zu langsam, wir warten seit Tagen.", "Das Anliegen ist immer noch nicht gelöst.",
                 "Demasiado lento, estamos muy descontentos.", "Seguimos esperando una solución."),
}  # fmt: skip
# Share of the written comments replaced by a foreign-language one (own random stream: nothing else changes).
FOREIGN_COMMENT_SHARE = 0.06

TICKET_TEXT = {
    "billing": ("Invoice amount looks wrong", "We were charged twice for the same month."),
    "technical": ("Sync job failing", "The nightly sync fails with a timeout since the last update."),
    "how_to": ("How do I export reports?", "Looking for a way to schedule a weekly export."),
    "feature_request": ("Request: custom fields", "It would help to add custom fields to the deal view."),
    "complaint": ("Unhappy with response times", "Our previous ticket took far too long; this is not acceptable."),
    "outage": ("Service unavailable", "Nobody in our team can log in, the dashboard returns errors."),
}


def person_names(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), n)]
    return first.tolist(), last.tolist()


def emails(first: list[str], last: list[str], domains: list[str], ids: np.ndarray) -> list[str]:
    # The numeric suffix keeps emails unique, as a CRM would enforce.
    return [f"{f.lower()}.{la.lower()}{i}@{d}" for f, la, d, i in zip(first, last, domains, ids.tolist(), strict=True)]


def company_names(rng: np.random.Generator, n: int) -> list[str]:
    a = np.array(COMPANY_WORDS)[rng.integers(0, len(COMPANY_WORDS), n)]
    b = np.array(COMPANY_SUFFIXES)[rng.integers(0, len(COMPANY_SUFFIXES), n)]
    return [f"{x} {y}" for x, y in zip(a.tolist(), b.tolist(), strict=True)]


def domain_of(company: str) -> str:
    return company.lower().replace(" ", "") + ".example"
