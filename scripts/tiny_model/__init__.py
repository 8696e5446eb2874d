"""Helpers that build the embedded models/arabert-tiny and models/arabert-mini-news (corpus,
vocabulary, pretraining, card); scripts.build_tiny_model and scripts.build_news_model run them."""
