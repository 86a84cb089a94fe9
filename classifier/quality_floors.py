"""Pinned quality floors of the default recipe (grouped 5-fold CV on ../shared/data, real rows).

Checked by tests/classifier/test_classifier_quality.py. They sit a little below what was
measured when they were set (see the comments). LOWERING A FLOOR IS A DELIBERATE, REVIEWED
CHANGE: say why in the commit message. Raise them when the model improves.
Issue targets: PR-AUC >= 0.95 and recall >= 0.85 at precision >= 0.90, length-matched included.
"""

# measured 0.939 (all rows) / 0.945 (length-matched), PR-AUC
PR_AUC_ALL = 0.90
PR_AUC_LENGTH_MATCHED = 0.90
# measured 0.868 (all rows) / 0.882 (length-matched), recall at precision >= 0.90
RECALL_AT_P90_ALL = 0.80
RECALL_AT_P90_LENGTH_MATCHED = 0.80
