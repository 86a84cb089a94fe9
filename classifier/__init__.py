"""Vietnamese recruitment-lure classifier: text folding, entities, signals, model, assess.

Imports nothing else of lurewatch. Public entry points: `classifier.text.normalize/fold`,
`classifier.entities.extract_entities`, `classifier.signals.find_signals`,
`classifier.assess.load_assessor`.
"""
