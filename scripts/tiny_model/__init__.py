"""Helpers that build the embedded models/arabert-tiny (vocabulary, corpus, MLM pretraining, card)."""
