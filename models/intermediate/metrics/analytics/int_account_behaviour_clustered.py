"""k-means behaviour clusters of the customer accounts (int_account_behaviour_summarised), k chosen by silhouette
between var behaviour_clusters_k_min and behaviour_clusters_k_max, seeded. Method:
crm_warehouse.analytics.clusters (fit_clusters).
"""

from crm_warehouse.model_imports import import_method

pd = import_method("pandas")
clusters = import_method("crm_warehouse.analytics.clusters")


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("int_account_behaviour_summarised").df()
    settings = clusters.ClusterSettings(
        seed=int(dbt.config.get("behaviour_clusters_seed")),
        n_init=int(dbt.config.get("behaviour_clusters_n_init")),
        k_min=int(dbt.config.get("behaviour_clusters_k_min")),
        k_max=int(dbt.config.get("behaviour_clusters_k_max")),
    )
    result = clusters.fit_clusters(features, settings)
    out = result.assignments.copy()
    out["clusters_chosen"] = pd.Series(result.chosen_k, index=out.index, dtype="int64")
    out["silhouette_score"] = pd.Series(result.silhouette, index=out.index, dtype="float64")
    out["silhouette_by_k"] = pd.Series(clusters.silhouettes_text(result.silhouettes), index=out.index, dtype="object")
    out["seed"] = pd.Series(settings.seed, index=out.index, dtype="int64")
    return out
