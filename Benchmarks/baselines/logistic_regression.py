"""A tuned logistic regression on embeddings CoverLens exported, the linear probe head mode is
compared with (issue 14 part 2; the real-cover table's second row).

Usage: python3 Benchmarks/baselines/logistic_regression.py TRAIN_POPULAR.csv TRAIN_OTHER.csv TEST_POPULAR.csv TEST_OTHER.csv

Each CSV is what `coverlens embed DIR --out FILE.csv` writes: `path`, then the D embedding values.
The L2 strength is chosen by 5-fold stratified cross-validation on the training rows (scikit-learn's
LogisticRegressionCV, ROC AUC, 20 values of C from 1e-4 to 1e4), then the model is refitted on all
of them and scored on the test rows: ROC AUC and accuracy at probability 0.5. Needs numpy and
scikit-learn (pip, at benchmark time only; CoverLens itself uses no Python).
"""
import csv, sys
import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import roc_auc_score, accuracy_score


def rows(path):
    with open(path, newline='') as f:
        reader = csv.reader(f)
        next(reader)
        return np.array([[float(v) for v in row[1:]] for row in reader], dtype=np.float64)


def labelled(popular, other):
    p, o = rows(popular), rows(other)
    return np.vstack([p, o]), np.concatenate([np.ones(len(p)), np.zeros(len(o))])


x, y = labelled(sys.argv[1], sys.argv[2])
tx, ty = labelled(sys.argv[3], sys.argv[4])
model = LogisticRegressionCV(Cs=np.logspace(-4, 4, 20), cv=5, scoring='roc_auc', max_iter=5000).fit(x, y)
p = model.predict_proba(tx)[:, 1]
print(f'logistic regression: {len(y)} training rows, {x.shape[1]} values each; C = {model.C_[0]:.4g} by 5-fold CV')
print(f'logistic regression: test AUC {roc_auc_score(ty, p):.4f}, accuracy {accuracy_score(ty, p >= 0.5):.4f} on {len(ty)} covers')
