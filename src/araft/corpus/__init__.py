"""Articles: schema, validation, readers and writers per format, segmentation."""
from araft.corpus.article import Article, Entity, Sentence, validate_article

__all__ = ["Article", "Entity", "Sentence", "validate_article"]
