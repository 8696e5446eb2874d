"""Named-entity recognition: words in IOB2, first-subword labels, spans back on the original text.

    words.py      records (sentences and their words, gold tags), tag list, tags -> spans
    train.py      training inputs: head, features, token loss, dev metric
    predictor.py  NerPredictor and evaluate_ner
    layer.py      the entity layer in reports, comparisons and cards
    card.py       the model card's NER text
    task.py       NerTask, the araft.tasks.base.Task these make up
"""
from araft.corpus.tags import repair_iob2
from araft.tasks.ner.task import NerTask
from araft.tasks.ner.words import (SentenceWords, decode_entities, sentence_words, tag_list,
                                   visible_bounds)

__all__ = ["NerTask", "SentenceWords", "decode_entities", "repair_iob2", "sentence_words",
           "tag_list", "visible_bounds"]
