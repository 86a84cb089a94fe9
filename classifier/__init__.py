"""Vietnamese recruitment-lure classifier: text folding, entities, signals, model, assess.

Imports nothing else of lurewatch. Public entry points: `classifier.text.normalize/fold`,
`classifier.entities.extract_entities`, `classifier.signals.find_signals`,
`classifier.minors.find_minor_cues`, `classifier.assess.load_assessor`. Quality is measured by
`classifier.train.cross_validate` (folds grouped by source, the plain baseline of
`classifier.baseline` in the same folds, figures of `classifier.subsets`).
"""
