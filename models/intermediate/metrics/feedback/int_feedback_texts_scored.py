"""VADER sentiment of every survey comment and every ticket's text (subject + description), one row per text; a
text none of whose words is in the VADER lexicon (e.g. another language) is unscored, not neutral. Method:
crm_warehouse.analytics.sentiment.
"""

from crm_warehouse.model_imports import import_method

pd = import_method("pandas")
sentiment = import_method("crm_warehouse.analytics.sentiment")


def model(dbt, session):
    dbt.config(materialized="table")
    surveys = dbt.ref("fct_survey_responses").df()
    tickets = dbt.ref("fct_tickets").df()
    comments = pd.DataFrame(
        {
            "text_source": "survey_comment",
            "text_id": surveys["response_id"],
            "account_id": surveys["account_id"],
            "text_at": pd.to_datetime(surveys["responded_at"]),
            "survey_type": surveys["survey_type"],
            "score": surveys["score"].astype("float64"),
            "text": surveys["comment"],
        }
    )
    ticket_texts = pd.DataFrame(
        {
            "text_source": "ticket",
            "text_id": tickets["ticket_id"],
            "account_id": tickets["account_id"],
            "text_at": pd.to_datetime(tickets["opened_at"]),
            "survey_type": pd.Series([None] * len(tickets), dtype="object"),
            "score": pd.Series([None] * len(tickets), dtype="float64"),
            "text": [
                sentiment.ticket_text(s, d) for s, d in zip(tickets["subject"], tickets["description"], strict=True)
            ],
        }
    )
    texts = pd.concat([comments, ticket_texts], ignore_index=True)
    texts["text"] = texts["text"].where(texts["text"].notna(), None)
    scored = sentiment.score_texts(texts)
    scored = scored[scored["is_text"]].drop(columns=["is_text"])
    scored["text_at"] = pd.to_datetime(scored["text_at"])
    scored["month_start"] = scored["text_at"].dt.to_period("M").dt.start_time.dt.date
    # Explicit types: with no text at all (an export without surveys or tickets) DuckDB would infer integers.
    text_columns = ["text_source", "text_id", "account_id", "survey_type", "text", "sentiment_label"]
    scored = scored.astype(dict.fromkeys(text_columns, "string"))
    if scored.empty:
        scored["month_start"] = pd.Series(dtype="datetime64[ns]")
    return scored.reset_index(drop=True)
