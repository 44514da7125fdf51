"""crm_warehouse.analytics.clusters on hand-built accounts: standardising, k by silhouette, numbering, words."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crm_warehouse.analytics.clusters import (
    AVERAGE,
    FEATURES,
    ClusterSettings,
    describe,
    fit_clusters,
    silhouettes_text,
    standardise,
)


def accounts(rows: list[dict[str, float]]) -> pd.DataFrame:
    base = dict.fromkeys(FEATURES, 0.0)
    return pd.DataFrame([{"account_id": f"ACC-{i:03d}", **base, **row} for i, row in enumerate(rows, start=1)])


def test_standardise_logs_the_skewed_features_and_z_scores_with_the_population_sd() -> None:
    frame = accounts([{"lifetime_revenue_usd": 0.0, "tenure_days": 100}, {"lifetime_revenue_usd": math.e - 1,
                      "tenure_days": 300}])  # fmt: skip
    z = standardise(frame)
    # log1p(0) = 0 and log1p(e - 1) = 1: mean 0.5, population sd 0.5 -> -1, +1. Tenure is not logged: 100, 300.
    assert z["z_lifetime_revenue_usd"].tolist() == pytest.approx([-1.0, 1.0])
    assert z["z_tenure"].tolist() == pytest.approx([-1.0, 1.0])
    # A feature without spread scores 0, not NaN.
    assert z["z_tickets"].tolist() == [0.0, 0.0]


def test_describe_names_the_strong_features_strongest_first() -> None:
    centroid = {"lifetime_revenue_usd": 1.2, "tickets": 1.9, "products": -0.7, "tenure_days": 0.3}
    assert describe(centroid) == "many tickets, high revenue, few products"
    assert describe(centroid, limit=2) == "many tickets, high revenue"
    assert describe({"tickets": 0.49, "products": -0.2}) == AVERAGE


def two_groups() -> pd.DataFrame:
    """Six big spenders with many tickets, six small accounts with few: two clear groups."""
    big = [{"lifetime_revenue_usd": 100_000 + 1_000 * i, "tickets": 20 + i, "won_deals": 5, "tenure_days": 700}
           for i in range(6)]  # fmt: skip
    small = [{"lifetime_revenue_usd": 1_000 + 10 * i, "tickets": 1, "won_deals": 1, "tenure_days": 100 + i}
             for i in range(6)]  # fmt: skip
    return accounts(small + big)


def test_two_clear_groups_give_k_2_numbered_by_revenue_with_words_from_the_centroid() -> None:
    result = fit_clusters(two_groups(), ClusterSettings(seed=3, n_init=10, k_min=2, k_max=5))
    assert result.chosen_k == 2
    assert result.silhouette == max(result.silhouettes.values())
    assert sorted(result.silhouettes) == [2, 3, 4, 5]
    by_account = result.assignments.set_index("account_id")["cluster_id"]
    # The big spenders (accounts 7-12) are cluster 1, the small ones cluster 2.
    assert by_account.loc[[f"ACC-{i:03d}" for i in range(7, 13)]].tolist() == [1] * 6
    assert by_account.loc[[f"ACC-{i:03d}" for i in range(1, 7)]].tolist() == [2] * 6
    # Centroid of cluster 1: every varying feature one population sd above the mean of the two equal-sized
    # groups, give or take the spread inside the group; revenue, tickets, deals and tenure are all strong.
    words = result.centroids.set_index("cluster_id")["cluster_description"]
    assert set(words[1].split(", ")) == {"high revenue", "many tickets", "many won deals", "long-standing"}
    assert set(words[2].split(", ")) == {"low revenue", "few tickets", "few won deals", "recent"}
    label = result.assignments.set_index("account_id").loc["ACC-007", "cluster_label"]
    assert label.startswith("Cluster 1: ") and len(label.removeprefix("Cluster 1: ").split(", ")) == 2


def test_the_silhouette_of_the_chosen_k_is_the_one_sklearn_computes_by_hand() -> None:
    from sklearn.metrics import silhouette_score

    frame = two_groups()
    result = fit_clusters(frame, ClusterSettings(seed=3, k_min=2, k_max=2))
    z = standardise(frame.sort_values("account_id").reset_index(drop=True)).to_numpy()
    labels = result.assignments["cluster_id"].to_numpy()
    assert result.silhouette == pytest.approx(silhouette_score(z, labels))


def test_a_fixed_seed_gives_the_same_clusters_every_time() -> None:
    rng = np.random.default_rng(0)
    frame = accounts([{f: float(rng.lognormal(3, 1)) for f in FEATURES} for _ in range(40)])
    first = fit_clusters(frame, ClusterSettings(seed=15))
    second = fit_clusters(frame.sample(frac=1, random_state=1), ClusterSettings(seed=15))  # row order shuffled
    pd.testing.assert_frame_equal(first.assignments, second.assignments)
    assert first.chosen_k == second.chosen_k


def test_k_is_capped_by_the_accounts_and_too_few_accounts_make_one_cluster() -> None:
    three = accounts([{"tickets": 1}, {"tickets": 10}, {"tickets": 100}])
    result = fit_clusters(three, ClusterSettings(k_min=2, k_max=6))
    assert sorted(result.silhouettes) == [2]  # k <= distinct accounts - 1
    two = accounts([{"tickets": 1}, {"tickets": 10}])
    single = fit_clusters(two)
    assert (single.chosen_k, single.silhouette, single.silhouettes) == (1, None, {})
    assert single.assignments["cluster_id"].tolist() == [1, 1]


def test_silhouettes_text() -> None:
    assert silhouettes_text({3: 0.25, 2: 0.41234}) == "k=2: 0.412, k=3: 0.250"
    assert silhouettes_text({}) == ""


def test_no_customers_gives_no_rows() -> None:
    empty = pd.DataFrame({column: pd.Series(dtype=float) for column in ["account_id", *FEATURES]})
    result = fit_clusters(empty)
    assert result.assignments.empty and result.chosen_k == 1 and result.silhouette is None
