"""Behaviour clusters: k-means on standardised behavioural features, k chosen by silhouette.

Called by the dbt Python model int_account_behaviour_clustered (models/intermediate/metrics/analytics/) on
int_account_behaviour_summarised (one row per customer account, the features computed in SQL).

Method:

- Standardise (columns Z_COLUMNS): the skewed features (revenue and every count, LOG_FEATURES) are
  log1p-transformed first, then every feature is z-scored with its mean and population standard deviation (a
  feature without spread scores 0).
- Choose k: k-means (scikit-learn KMeans, random_state = seed, n_init fixed) for every k from k_min to k_max (at
  most the number of distinct feature rows minus one); the k with the highest mean silhouette (Euclidean, on the
  z-scores) wins, the smaller k on a tie. Fewer than 3 distinct rows: one cluster, no silhouette.
- Number the clusters 1..k by the mean standardised lifetime revenue of their accounts, highest first (then by
  size), so cluster 1 is the most valuable and the numbering does not depend on k-means' internal labels.
- Describe each cluster from its standardised centroid: the features at least DESCRIBE_THRESHOLD standard
  deviations from the average of all customers, strongest first, in plain words ("high revenue, many tickets");
  none: "close to the average customer". cluster_label is "Cluster <n>: " and the two strongest of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

FEATURES = (
    "lifetime_revenue_usd",
    "won_deals",
    "activities",
    "engagement_events",
    "tickets",
    "products",
    "tenure_days",
)
LOG_FEATURES = frozenset(FEATURES) - {"tenure_days"}
# Standardised column of each feature: z_<feature>, but z_tenure (a z-score is no duration: *_days columns are >= 0).
Z_COLUMNS: dict[str, str] = {f: "z_tenure" if f == "tenure_days" else f"z_{f}" for f in FEATURES}
# Plain words for a feature well above / well below the average customer.
WORDS: dict[str, tuple[str, str]] = {
    "lifetime_revenue_usd": ("high revenue", "low revenue"),
    "won_deals": ("many won deals", "few won deals"),
    "activities": ("many sales activities", "few sales activities"),
    "engagement_events": ("highly engaged", "little engagement"),
    "tickets": ("many tickets", "few tickets"),
    "products": ("many products", "few products"),
    "tenure_days": ("long-standing", "recent"),
}
DESCRIBE_THRESHOLD = 0.5
AVERAGE = "close to the average customer"


@dataclass(frozen=True)
class ClusterSettings:
    seed: int = 15
    n_init: int = 10
    k_min: int = 2
    k_max: int = 6


@dataclass
class ClusterResult:
    """assignments: one row per account (account_id, cluster_id, cluster_label, cluster_description, z_<feature>);
    centroids: one row per cluster_id with the standardised centroid (z_<feature>); silhouettes: k -> score."""

    assignments: pd.DataFrame
    centroids: pd.DataFrame
    chosen_k: int
    silhouette: float | None
    silhouettes: dict[int, float] = field(default_factory=dict)


def standardise(features: pd.DataFrame, columns: tuple[str, ...] = FEATURES) -> pd.DataFrame:
    """z-scores of the features (log1p first for LOG_FEATURES); population standard deviation, 0 without spread."""
    out = pd.DataFrame(index=features.index)
    for column in columns:
        values = features[column].astype(float).fillna(0.0)
        if column in LOG_FEATURES:
            values = np.log1p(values.clip(lower=0.0))
        spread = float(values.std(ddof=0)) if len(values) else 0.0
        out[Z_COLUMNS[column]] = (values - values.mean()) / spread if spread > 0 else 0.0
    return out


def describe(centroid: dict[str, float], threshold: float = DESCRIBE_THRESHOLD, limit: int | None = None) -> str:
    """Plain words for a standardised centroid {feature: z}: features with |z| >= threshold, strongest first."""
    strong = sorted(
        ((name, z) for name, z in centroid.items() if abs(z) >= threshold), key=lambda item: (-abs(item[1]), item[0])
    )
    words = [WORDS[name][0 if z > 0 else 1] for name, z in strong[:limit]]
    return ", ".join(words) if words else AVERAGE


def choose_k(z: np.ndarray, settings: ClusterSettings) -> tuple[int, dict[int, float], np.ndarray]:
    """(k, silhouette per k tried, labels of the chosen fit)."""
    distinct = len(np.unique(z, axis=0)) if len(z) else 0
    k_max = min(settings.k_max, distinct - 1)
    if k_max < max(settings.k_min, 2):
        return 1, {}, np.zeros(len(z), dtype=np.int64)
    scores: dict[int, float] = {}
    fits: dict[int, np.ndarray] = {}
    for k in range(max(settings.k_min, 2), k_max + 1):
        labels = KMeans(n_clusters=k, random_state=settings.seed, n_init=settings.n_init).fit_predict(z)
        if len(np.unique(labels)) < 2:
            continue
        scores[k] = float(silhouette_score(z, labels))
        fits[k] = labels
    if not scores:
        return 1, {}, np.zeros(len(z), dtype=np.int64)
    best = max(scores, key=lambda k: (round(scores[k], 12), -k))
    return best, scores, fits[best]


def fit_clusters(features: pd.DataFrame, settings: ClusterSettings | None = None) -> ClusterResult:
    """Cluster the accounts of `features` (account_id and FEATURES columns), as the module docstring says."""
    settings = settings or ClusterSettings()
    features = features.sort_values("account_id").reset_index(drop=True)
    z = standardise(features)
    z_columns = list(z.columns)
    k, scores, labels = choose_k(z.to_numpy(dtype=float), settings)
    frame = pd.concat([features[["account_id"]], z], axis=1).assign(raw_label=labels)
    summary = frame.groupby("raw_label").agg(
        revenue=("z_lifetime_revenue_usd", "mean"), size=("account_id", "size"), first=("account_id", "min")
    )
    order = summary.sort_values(["revenue", "size", "first"], ascending=[False, False, True]).index
    numbering = {raw: number for number, raw in enumerate(order, start=1)}
    frame["cluster_id"] = frame["raw_label"].map(numbering).astype("int64")
    centroids = frame.groupby("cluster_id")[z_columns].mean().reset_index()
    words: dict[int, tuple[str, str]] = {}
    for _, row in centroids.iterrows():
        centroid = {feature: float(row[Z_COLUMNS[feature]]) for feature in FEATURES}
        cluster = int(row["cluster_id"])
        words[cluster] = (describe(centroid), describe(centroid, limit=2))
    centroids["cluster_description"] = centroids["cluster_id"].map(lambda c: words[c][0])
    centroids["cluster_label"] = centroids["cluster_id"].map(lambda c: f"Cluster {c}: {words[c][1]}")
    assignments = frame.drop(columns="raw_label").merge(
        centroids[["cluster_id", "cluster_label", "cluster_description"]], on="cluster_id"
    )
    return ClusterResult(
        assignments=assignments[["account_id", "cluster_id", "cluster_label", "cluster_description", *z_columns]],
        centroids=centroids,
        chosen_k=k,
        silhouette=scores.get(k),
        silhouettes=scores,
    )


def silhouettes_text(scores: dict[int, float]) -> str:
    """'k=2: 0.412, k=3: 0.388' (empty when no k was tried)."""
    return ", ".join(f"k={k}: {score:.3f}" for k, score in sorted(scores.items()))
