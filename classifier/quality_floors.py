"""Pinned quality floors of the default recipe: 5-fold CV GROUPED BY SOURCE on ../shared/data
(real rows only; fold seed 14, the seed `cross_validate` uses by default).

Checked by tests/classifier/test_classifier_quality.py, which also requires the recipe to beat
the plain baseline (classifier.baseline) trained and scored in the same folds. They sit a
little below what was measured when they were set (see the comments; 65 lures, so one lure is
0.015 of recall). LOWERING A FLOOR IS A DELIBERATE, REVIEWED CHANGE: say why in the commit
message. Raise them when the model improves.

Re-pinned for issue 9: the floors before (PR-AUC >= 0.95 all rows) were measured on folds
grouped by near-duplicates only, which flatter a model tuned on these rows; on sources it had
never seen, that model lost to the plain baseline. Subsets: A = lures vs formal legit, B = lures
vs informal legit (the headline: recall at <= 2% false flags), all = every row.
"""

# measured 0.895 / 0.965 / 0.884 (baseline in the same folds: 0.764 / 0.776 / 0.660), AP
AP_A = 0.87
AP_B = 0.94
AP_ALL = 0.86
# measured 0.739 / 0.785 / 0.785 (baseline: 0.462 / 0.215 / 0.446), recall at <= 2% false
# flags; two lures fewer would read 0.708 / 0.754 / 0.754
RECALL_AT_2PCT_A = 0.70
RECALL_AT_2PCT_B = 0.75
RECALL_AT_2PCT_ALL = 0.75
# measured 0.901 (baseline 0.705): rows within the 5th-95th percentile of lure lengths, AP
AP_LENGTH_MATCHED = 0.87
