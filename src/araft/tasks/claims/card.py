"""What the model card of a claims model says about its task."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from araft.tasks.base import CardText

if TYPE_CHECKING:
    from araft.config import TaskConfig
    from araft.modelio import ModelSettings


def context_note(settings: ModelSettings) -> str:
    """How much context the sentence head reads, for the card's setup lines."""
    words = (f", at most {settings.context_words} words on each side (those nearest the sentence)"
             if settings.context and settings.context_words else "")
    return f"context of {settings.context} neighbour sentence(s){words}"


def tfidf_lines(settings: ModelSettings) -> list[str]:
    """The card's training lines on the TF-IDF blend (task.tfidf_blend), when the model has one."""
    if not settings.tfidf_weight:
        return []
    article = ("; TF-IDF also reads each sentence's article: a second logistic regression over "
               "its scores of the sentence, of the neighbour sentences and of the rest of the "
               "article, and where the sentence stands (`task.tfidf_context`, fitted on out-of-fold "
               "train scores)" if settings.tfidf_context else "")
    return [f"- sentence scores: the encoder's blended with a TF-IDF + logistic regression model "
            f"fitted on the same train sentences (word 1-2-grams, character 2-5-grams), weight "
            f"{settings.tfidf_weight:g} on TF-IDF's logits, chosen on dev with the thresholds "
            f"(`task.tfidf_blend`){article}; saved beside the weights as tfidf.json and tfidf.safetensors"]


def plain_tfidf_note(settings: ModelSettings) -> str:
    """What a plain transformers user misses when the model blends with TF-IDF."""
    if not settings.tfidf_weight:
        return ""
    return (" Plain transformers gives the encoder's scores alone: araft blends them with the TF-IDF "
            f"model in tfidf.json / tfidf.safetensors (weight {settings.tfidf_weight:g} on its "
            "logits, `araft.tfidf_weight`), and `araft.thresholds` and the scores above are the "
            "blend's. Decide the encoder's scores with `araft.encoder_thresholds`, tuned on the "
            "same dev for the encoder alone (what `araft predict --no-tfidf` does).")


class ClaimsCard(CardText):
    def length_note(self, settings: ModelSettings) -> str:
        return ", longer sentences truncated"

    def setup_lines(self, settings: ModelSettings) -> list[str]:
        kind = "multi-label" if settings.multi_label else "one label per sentence"
        return [f"- {kind}, {context_note(settings)}", *tfidf_lines(settings)]

    def loss_lines(self, task_config: TaskConfig) -> list[str]:
        if task_config.pos_weight:
            return ["- loss weighted per label against class imbalance (pos_weight)"]
        return []

    def finds(self, labels: Sequence[str]) -> str:
        return "sentence labels (" + ", ".join(labels) + ") of Arabic news sentences"

    def limits(self) -> list[str]:
        return ["- A sentence longer than the model's limit is truncated before scoring."]

    def usage(self, repo: str, mode: str, settings: ModelSettings) -> tuple[str, str]:
        loop = "for s in article.sentences:\n    print(s.labels, s.scores)\n"
        plain = (f"```python\nfrom transformers import pipeline\nfrom araft.preprocessing import preprocess_text\n\n"
                 f"clf = pipeline(\"text-classification\", model=\"{repo}\", top_k=None"
                 + (", function_to_apply=\"sigmoid\"" if settings.multi_label else "")
                 + f")\nprint(clf(preprocess_text(\"جملة من الخبر\", \"{mode}\")))\n```\n\n"
                 "Per-label thresholds tuned on dev are in config.json (`araft.thresholds`; 0.5 "
                 "when absent). With context > 0 the model also expects the neighbour sentences as "
                 "a second segment: use araft for that." + plain_tfidf_note(settings))
        return loop, plain
