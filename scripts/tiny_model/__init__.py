"""Helpers that build the embedded models/araelectra-small-news (corpus, vocabulary, pretraining, card)."""
