"""The default model trained on ../shared/data (model.joblib + card.json)."""
