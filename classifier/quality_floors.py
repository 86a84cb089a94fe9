"""Pinned quality floors of the default recipe (grouped 5-fold CV on ../shared/data, real rows).

Checked by tests/classifier/test_classifier_quality.py. They sit a little below what was
measured when they were set (see the comments). LOWERING A FLOOR IS A DELIBERATE, REVIEWED
CHANGE: say why in the commit message. Raise them when the model improves.
Issue targets: PR-AUC >= 0.95 and recall >= 0.85 at precision >= 0.90, length-matched included.
"""

# measured 0.962 (all rows) / 0.960 (length-matched), PR-AUC
PR_AUC_ALL = 0.95
PR_AUC_LENGTH_MATCHED = 0.95
# measured 0.895 (all rows, 34/38) / 0.882 (length-matched, 30/34), recall at precision >= 0.90;
# one lure fewer would read 0.868 / 0.853
RECALL_AT_P90_ALL = 0.86
RECALL_AT_P90_LENGTH_MATCHED = 0.85
