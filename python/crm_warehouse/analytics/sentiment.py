"""Sentiment of free text (survey comments, ticket subject + description) with VADER (feedback_sentiment).

Called by the dbt Python model int_feedback_texts_scored (models/intermediate/metrics/feedback/). VADER
(vaderSentiment, its lexicon shipped inside the package: nothing is downloaded) scores English text from a lexicon
of sentiment words with rules for negation, intensifiers, "but", capitals and punctuation:

- compound: the normalised sum of the valences, -1 (most negative) .. +1 (most positive); positive / neutral /
  negative: the shares of the text's valence in each direction.
- label: VADER's own cut-offs, positive when compound >= 0.05, negative when <= -0.05, else neutral.
- unscored: a text none of whose tokens (VADER's own tokenisation, emojis turned into their names) is in the
  lexicon, e.g. a comment in another language. VADER would give it compound 0, which would read as neutral; it is
  counted as unscored instead and has no scores. An empty or missing text is not a text (is_text false).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer, SentiText

POSITIVE_FROM = 0.05
NEGATIVE_TO = -0.05
SCORE_COLUMNS = ["is_scored", "lexicon_words", "compound", "positive", "neutral", "negative", "sentiment_label"]


@dataclass(frozen=True)
class Sentiment:
    lexicon_words: int
    compound: float | None = None
    positive: float | None = None
    neutral: float | None = None
    negative: float | None = None

    @property
    def is_scored(self) -> bool:
        return self.lexicon_words > 0

    @property
    def label(self) -> str:
        if self.compound is None:
            return "unscored"
        if self.compound >= POSITIVE_FROM:
            return "positive"
        if self.compound <= NEGATIVE_TO:
            return "negative"
        return "neutral"


class SentimentScorer:
    """One VADER analyzer (it loads its lexicon once) for many texts."""

    @cached_property
    def analyzer(self) -> SentimentIntensityAnalyzer:
        return SentimentIntensityAnalyzer()

    def tokens(self, text: str) -> list[str]:
        """The words and emoticons VADER looks up, as polarity_scores splits them (emojis as their names)."""
        emojis = self.analyzer.emojis
        spelled = "".join(f" {emojis[c]} " if c in emojis else c for c in text)
        return list(SentiText(spelled.strip()).words_and_emoticons)

    def lexicon_words(self, text: str) -> int:
        lexicon = self.analyzer.lexicon
        return sum(1 for token in self.tokens(text) if token.lower() in lexicon)

    def score(self, text: str | None) -> Sentiment:
        if text is None or not text.strip():
            return Sentiment(lexicon_words=0)
        found = self.lexicon_words(text)
        if found == 0:
            return Sentiment(lexicon_words=0)
        scores = self.analyzer.polarity_scores(text)
        return Sentiment(found, scores["compound"], scores["pos"], scores["neu"], scores["neg"])


def ticket_text(subject: str | None, description: str | None) -> str | None:
    """A ticket's text: its subject and description as two sentences (a full stop added after a subject that
    does not end with one); None when both are empty."""
    parts = [p.strip() for p in (subject, description) if p is not None and p.strip()]
    if not parts:
        return None
    if len(parts) == 2 and parts[0][-1] not in ".!?":
        parts[0] += "."
    return " ".join(parts)


def score_texts(texts: pd.DataFrame, scorer: SentimentScorer | None = None) -> pd.DataFrame:
    """`texts` with SCORE_COLUMNS added for its column `text` (rows without text: not scored, label 'unscored')."""
    scorer = scorer or SentimentScorer()
    scored = [scorer.score(None if pd.isna(t) else str(t)) for t in texts["text"].tolist()]
    out = texts.copy()
    # Typed columns: an export without surveys or tickets has no texts, and an empty list would be an object mask.
    is_text = [t is not None and not pd.isna(t) and bool(str(t).strip()) for t in texts["text"].tolist()]
    out["is_text"] = pd.Series(is_text, index=out.index, dtype="bool")
    out["is_scored"] = pd.Series([s.is_scored for s in scored], index=out.index, dtype="bool")
    out["lexicon_words"] = pd.Series([s.lexicon_words for s in scored], index=out.index, dtype="int64")
    for column in ("compound", "positive", "neutral", "negative"):
        out[column] = pd.Series([getattr(s, column) for s in scored], index=out.index, dtype="float64")
    out["sentiment_label"] = pd.Series([s.label for s in scored], index=out.index, dtype="object")
    return out
