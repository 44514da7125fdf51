"""feedback_sentiment (issue 15): the VADER scoring module on hand-written sentences, and on the demo extract the
comments' sentiment follows the NPS score (positive correlation) while the comments in other languages are counted
as unscored, exactly as many as the generator wrote."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dbt_helpers import assert_ok, run_dbt

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.analytics.sentiment import SentimentScorer, score_texts, ticket_text
from crm_warehouse.generate.names import COMMENTS, FOREIGN_COMMENTS

DEMO = PROJECT_ROOT / "seeds" / "demo"


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    return SentimentScorer()


def test_clear_sentences_get_their_sign(scorer: SentimentScorer) -> None:
    happy = scorer.score("The support team was great and fixed it quickly, thank you!")
    angry = scorer.score("Terrible service, we are angry and disappointed.")
    assert happy.is_scored and happy.compound is not None and happy.compound > 0.5 and happy.label == "positive"
    assert angry.is_scored and angry.compound is not None and angry.compound < -0.5 and angry.label == "negative"
    # negation flips the sign of the same word
    good, not_good = scorer.score("The product is good."), scorer.score("The product is not good.")
    assert good.compound is not None and not_good.compound is not None and good.compound > 0 > not_good.compound
    # "great" and "thank" are the lexicon words of the first sentence; "fixed" and "quickly" are not in it
    assert scorer.score("great thank").lexicon_words == 2
    assert scorer.score("fixed quickly").lexicon_words == 0


def test_text_vader_cannot_read_is_unscored_not_neutral(scorer: SentimentScorer) -> None:
    for text in ("Sehr gutes Produkt, unser Team ist begeistert.", "Seguimos esperando una solución."):
        sentiment = scorer.score(text)
        assert not sentiment.is_scored and sentiment.lexicon_words == 0
        assert sentiment.compound is None and sentiment.label == "unscored"
    # VADER itself would call it neutral (compound 0): that is what unscored avoids
    assert scorer.analyzer.polarity_scores("Sehr gutes Produkt.")["compound"] == 0.0
    # an English sentence of neutral tone that VADER can read is scored, neutral
    okay = scorer.score("The meeting is on Tuesday, okay but nothing more.")
    assert okay.is_scored
    # emojis are read by their names ("grinning face")
    assert scorer.score("😀").is_scored


def test_score_texts_marks_empty_texts_and_keeps_rows() -> None:
    frame = pd.DataFrame({"text_id": ["a", "b", "c", "d"], "text": ["I love it.", None, "  ", "Es funktioniert."]})
    out = score_texts(frame)
    assert out["text_id"].tolist() == ["a", "b", "c", "d"]
    assert out["is_text"].tolist() == [True, False, False, True]
    assert out["is_scored"].tolist() == [True, False, False, False]
    assert out["sentiment_label"].tolist() == ["positive", "unscored", "unscored", "unscored"]
    assert out["compound"].isna().tolist() == [False, True, True, True]


def test_no_texts_at_all_score_to_an_empty_typed_frame() -> None:
    # An export without surveys or tickets (the Salesforce sample): the mask must stay boolean, the label text.
    scored = score_texts(pd.DataFrame({"text": pd.Series([], dtype="object")}))
    assert len(scored[scored["is_text"]]) == 0
    assert (scored["is_text"].dtype, scored["is_scored"].dtype, scored["sentiment_label"].dtype) == (
        bool,
        bool,
        object,
    )


def test_ticket_text_joins_subject_and_description() -> None:
    assert ticket_text("Sync job failing", "The nightly sync fails.") == "Sync job failing. The nightly sync fails."
    assert ticket_text("How do I export?", "Looking for a way.") == "How do I export? Looking for a way."
    assert ticket_text(None, "Only a description.") == "Only a description."
    assert ticket_text(" ", None) is None


def test_every_english_generator_comment_is_readable_and_no_foreign_one_is(scorer: SentimentScorer) -> None:
    """The demo's unscored comments are then exactly its foreign-language ones."""
    for tone, comments in COMMENTS.items():
        for comment in comments:
            assert scorer.score(comment).is_scored, (tone, comment)
    for tone, comments in FOREIGN_COMMENTS.items():
        for comment in comments:
            assert not scorer.score(comment).is_scored, (tone, comment)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory):
    tmp: Path = tmp_path_factory.mktemp("feedback_sentiment")
    skip_staging_tests = ["--exclude", "path:models/staging,resource_type:test", "--indirect-selection", "cautious"]
    selection = ["--select", "+feedback_sentiment", "+feedback_sentiment_correlation"]
    assert_ok(run_dbt(tmp, DEMO, "build", *selection, *skip_staging_tests))
    connection = duckdb.connect(str(tmp / "crm.duckdb"), read_only=True)
    yield connection
    connection.close()


def hand_count_of_foreign_comments() -> dict[str, int]:
    foreign = {c for comments in FOREIGN_COMMENTS.values() for c in comments}
    counts: dict[str, int] = {}
    with (DEMO / "survey_responses.csv").open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["comment"] in foreign:
                counts[row["survey_type"]] = counts.get(row["survey_type"], 0) + 1
    return counts


def test_comment_sentiment_correlates_positively_with_nps(warehouse) -> None:
    ((correlation, scored),) = warehouse.sql(
        "select sentiment_score_correlation, scored_comments from main.feedback_sentiment_correlation"
        " where survey_type = 'nps'"
    ).fetchall()
    print(f"\nNPS comments: {scored} scored; correlation of VADER sentiment with the NPS score: {correlation:.3f}")
    assert scored >= 20
    assert correlation > 0
    ((ces,),) = warehouse.sql(
        "select sentiment_score_correlation from main.feedback_sentiment_correlation where survey_type = 'ces'"
    ).fetchall()
    assert ces < 0  # more effort, worse comments


def test_unscored_comments_are_the_foreign_language_ones(warehouse) -> None:
    expected = hand_count_of_foreign_comments()
    assert sum(expected.values()) > 0
    by_type = dict(
        warehouse.sql("select survey_type, unscored_comments from main.feedback_sentiment_correlation").fetchall()
    )
    assert {k: v for k, v in by_type.items() if v} == expected
    ((per_account,),) = warehouse.sql("select sum(unscored_comments) from main.feedback_sentiment").fetchall()
    assert per_account == sum(expected.values())
    # and they are in no mean: the accounts' means only average scored comments
    ((unscored_in_means,),) = warehouse.sql(
        "select count(*) from main_intermediate.int_feedback_texts_scored where not is_scored and compound is not null"
    ).fetchall()
    assert unscored_in_means == 0
