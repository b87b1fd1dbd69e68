#!/usr/bin/python3
"""bench/boosting.py - the baseline of bench/train.sh: scikit-learn's
histogram gradient boosting on the same columns and outcome as `leadflow
model train` reads from each data set of ../shared/data, 5-fold stratified.

usage: boosting.py DATA_DIR NAME...   (NAME: x_education, olist, crm_pipeline)

Prints one JSON line a data set: its AUC (mean and spread over the folds)
and the seconds of the five fits and predictions. Text columns are codes
(values on fewer than 10 rows pooled), given to the model as categories;
numbers as they are, missing as NaN. Runs under Debian's python3 with
python3-sklearn (no pandas)."""
import csv
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

# X Education: sales' after-contact columns and the identifiers left out, as
# data/README.md says and bench/train.sh passes to --exclude
X_SALES = {"Tags", "Lead Quality", "Lead Profile", "Asymmetrique Activity Index",
           "Asymmetrique Profile Index", "Asymmetrique Activity Score",
           "Asymmetrique Profile Score", "Last Notable Activity", "Prospect ID",
           "Lead Number", "Converted"}
X_NUMBERS = {"TotalVisits", "Total Time Spent on Website", "Page Views Per Visit"}


def x_education(d):
    rows = list(csv.DictReader(open(d + "/x_education/leads.csv", encoding="utf-8")))
    cols = [c for c in rows[0] if c not in X_SALES]
    y = [int(r["Converted"]) for r in rows]
    return rows, cols, X_NUMBERS, y


def olist(d):
    # an MQL is won when a closed deal follows it, else lost (the data's
    # year ended without one): examples/mappings/olist_mqls_lost.yaml
    won = {r["mql_id"] for r in csv.DictReader(open(d + "/olist_funnel/closed_deals.csv"))}
    rows = list(csv.DictReader(open(d + "/olist_funnel/mqls.csv")))
    y = [int(r["mql_id"] in won) for r in rows]
    return rows, ["origin", "landing_page_id"], set(), y


def crm_pipeline(d):
    # the closed opportunities, Won against Lost: product and account
    rows = [r for r in csv.DictReader(open(d + "/crm_pipeline/sales_pipeline.csv"))
            if r["deal_stage"] in ("Won", "Lost")]
    y = [int(r["deal_stage"] == "Won") for r in rows]
    return rows, ["product", "account"], set(), y


MISSING = {"", "Select", "unknown"}


def matrix(rows, cols, numbers):
    x = np.full((len(rows), len(cols)), np.nan)
    cat = []
    for j, c in enumerate(cols):
        vals = [r[c].strip() for r in rows]
        if c in numbers:
            for i, v in enumerate(vals):
                x[i, j] = float(v) if v not in MISSING else np.nan
            cat.append(False)
            continue
        counts = {}
        for v in vals:
            counts[v] = counts.get(v, 0) + 1
        kept = sorted((v for v in counts if v not in MISSING and counts[v] >= 10),
                      key=lambda v: (-counts[v], v))[:250]
        code = {v: k for k, v in enumerate(kept)}
        other = len(kept)
        for i, v in enumerate(vals):
            x[i, j] = np.nan if v in MISSING else code.get(v, other)
        cat.append(True)
    return x, np.array(cat)


def main():
    d = sys.argv[1]
    for name in sys.argv[2:]:
        rows, cols, numbers, y = globals()[name](d)
        x, cat = matrix(rows, cols, numbers)
        y = np.array(y)
        aucs, secs = [], 0.0
        for train, test in StratifiedKFold(5, shuffle=True, random_state=1).split(x, y):
            m = HistGradientBoostingClassifier(categorical_features=cat, random_state=1)
            t0 = time.perf_counter()
            m.fit(x[train], y[train])
            p = m.predict_proba(x[test])[:, 1]
            secs += time.perf_counter() - t0
            aucs.append(roc_auc_score(y[test], p))
        print(json.dumps({"data": name, "rows": len(y), "positives": int(y.sum()),
                          "columns": len(cols), "auc": round(float(np.mean(aucs)), 4),
                          "auc_sd": round(float(np.std(aucs, ddof=1)), 4),
                          "seconds": round(secs, 3)}))


main()
