"""What the model card of a joint model says about its task."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from araft.tasks.base import CardText
from araft.tasks.claims.card import context_note, plain_tfidf_note, tfidf_lines

if TYPE_CHECKING:
    from araft.config import TaskConfig
    from araft.modelio import ModelSettings


class JointCard(CardText):
    def length_note(self, settings: ModelSettings) -> str:
        return (f", windows overlapping by {settings.stride} words for longer sentences (a "
                "sentence's label probabilities are the mean over its windows)")

    def setup_lines(self, settings: ModelSettings) -> list[str]:
        return ["- one encoder, two heads: IOB2 tags per word and multi-label sentence labels, "
                "both from one forward pass per window",
                f"- {context_note(settings)} as a second segment", *tfidf_lines(settings)]

    def loss_lines(self, task_config: TaskConfig) -> list[str]:
        out = [f"- loss: token cross-entropy + {task_config.sentence_loss_weight:g} x sentence "
               "BCE; each train file feeds the losses of the layers it annotates"]
        if task_config.sentence_loss_schedule == "linear":
            out.append("- the sentence weight decays linearly to 0 by the last step")
        if task_config.pos_weight:
            out.append("- sentence loss weighted per label against class imbalance (pos_weight)")
        return out

    def finds(self, labels: Sequence[str]) -> str:
        return ("named entities (" + ", ".join(labels) + ") and sentence labels (per label "
                "below) in Modern Standard Arabic news text")

    def limits(self) -> list[str]:
        return ["- Entities are flat and end at word boundaries of araft's segmenter; proclitics "
                "are cut off a span only where the article gives evidence (`araft.clitics`).",
                "- The sentence labels come from a small corpus annotated by AI agents (see the "
                "data section); treat them as a research baseline."]

    def usage(self, repo: str, mode: str, settings: ModelSettings) -> tuple[str, str]:
        loop = ("for e in article.entities:\n    print(e.label, article.text[e.start:e.end], e.score)\n"
                "for s in article.sentences:\n    print(s.labels, s.scores)\n")
        plain = (f"```python\nfrom transformers import (AutoModelForSequenceClassification,\n"
                 f"                          AutoModelForTokenClassification, AutoTokenizer, pipeline)\n"
                 f"from araft.preprocessing import preprocess_text\n\n"
                 f"tokenizer = AutoTokenizer.from_pretrained(\"{repo}\")\n"
                 f"tokens = AutoModelForTokenClassification.from_pretrained(\"{repo}\", subfolder=\"token-classification\")\n"
                 f"sentences = AutoModelForSequenceClassification.from_pretrained(\"{repo}\", subfolder=\"sentence-classification\")\n"
                 f"ner = pipeline(\"token-classification\", model=tokens, tokenizer=tokenizer, aggregation_strategy=\"first\")\n"
                 f"clf = pipeline(\"text-classification\", model=sentences, tokenizer=tokenizer, top_k=None, function_to_apply=\"sigmoid\")\n"
                 f"text = preprocess_text(\"نص الخبر هنا\", \"{mode}\")\n"
                 f"print(ner(text), clf([text]))\n```\n\n"
                 "The two subfolders are the standard heads, each with a copy of the shared encoder "
                 "(plain transformers runs the encoder once per head; araft runs it once for both). "
                 "Per-label thresholds tuned on dev are in config.json (`araft.thresholds`; 0.5 when "
                 "absent). With context > 0 the sentence head also expects the neighbour sentences "
                 "as a second segment: use araft for that." + plain_tfidf_note(settings))
        return loop, plain
