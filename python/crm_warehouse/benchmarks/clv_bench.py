"""CLV benchmark (`make bench`): fit BG/NBD + Gamma-Gamma and score N simulated customers, as the warehouse does.

    python -m crm_warehouse.benchmarks.clv_bench [--customers 1000000] [--seed 7]

Customers are simulated from the published CDNOW parameters (BG/NBD r 0.243, alpha 4.414, a 0.793, b 2.426;
Gamma-Gamma p 6.25, q 3.74, gamma 15.44), ages uniform in 27-39 weeks like CDNOW's. The timed steps are the ones
the dbt Python models run (crm_warehouse.clv.warehouse.fit_parameters and score_customers, 12-month horizon);
the fitted parameters are printed beside the true ones. Wall seconds on this machine; record them in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from crm_warehouse.clv import warehouse

TRUE = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "gamma": 15.44}


def simulate(customers: int, seed: int) -> pd.DataFrame:
    """BG/NBD: after the first purchase at 0, purchases at rate lambda ~ Gamma(r, 1/alpha); after each, drop out
    with probability d ~ Beta(a, b). Gamma-Gamma: spend rate nu ~ Gamma(q, 1/gamma), the mean of x repeat values
    ~ Gamma(p x, 1 / (nu x))."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(TRUE["r"], 1 / TRUE["alpha"], customers)
    dropout = rng.beta(TRUE["a"], TRUE["b"], customers)
    age = rng.uniform(27, 39, customers)
    x = np.zeros(customers)
    t_x = np.zeros(customers)
    clock = np.zeros(customers)
    active = np.ones(customers, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        clock[idx] += rng.exponential(1 / np.maximum(rate[idx], 1e-12))
        bought = clock[idx] <= age[idx]
        buyers = idx[bought]
        x[buyers] += 1
        t_x[buyers] = clock[buyers]
        active[idx[~bought]] = False
        active[buyers[rng.random(len(buyers)) < dropout[buyers]]] = False
    nu = rng.gamma(TRUE["q"], 1 / TRUE["gamma"], customers)
    repeat = x > 0
    m = np.full(customers, np.nan)
    m[repeat] = rng.gamma(TRUE["p"] * x[repeat], 1 / (nu[repeat] * x[repeat]))
    return pd.DataFrame(
        {
            "account_id": np.arange(customers).astype(str),
            "frequency": x,
            "recency_weeks": t_x,
            "t_weeks": age,
            "monetary_value_usd": m,
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    summary = simulate(args.customers, args.seed)
    simulated = time.perf_counter()
    parameters = warehouse.fit_parameters(summary, "2000-01-01", warehouse.FitSettings())
    fitted = time.perf_counter()
    scores = warehouse.score_customers(summary, parameters, horizon_months=12, annual_discount_rate=0.1)
    scored = time.perf_counter()
    row = parameters.iloc[0]
    print(f"customers {args.customers:,}, repeat {int(row['repeat_customers']):,}, fit status {row['fit_status']}")
    print("parameter  true     fitted")
    for name, value in TRUE.items():
        print(f"{name:9s}  {value:7.3f}  {row[name]:7.3f}")
    print(f"simulate {simulated - start:.1f} s, fit {fitted - simulated:.1f} s, score {scored - fitted:.1f} s")
    print(f"mean expected purchases (12 months) {scores['expected_purchases'].mean():.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
