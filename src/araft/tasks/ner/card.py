"""What the model card of an NER model says about its task."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from araft.tasks.base import CardText

if TYPE_CHECKING:
    from araft.modelio import ModelSettings


class NerCard(CardText):
    def length_note(self, settings: ModelSettings) -> str:
        return f", windows overlapping by {settings.stride} words for longer sentences"

    def finds(self, labels: Sequence[str]) -> str:
        return ("named entities (" + ", ".join(labels) + ") in Modern Standard Arabic news text")

    def limits(self) -> list[str]:
        return ["- Entities are flat (no nesting) and end at word boundaries of araft's "
                "segmenter; a proclitic (و ف ب ل ك) glued to a name is cut off the span only where "
                "the article gives evidence (`araft.clitics`), else it stays in."]

    def usage(self, repo: str, mode: str, settings: ModelSettings) -> tuple[str, str]:
        loop = "for e in article.entities:\n    print(e.label, article.text[e.start:e.end], e.score)\n"
        plain = (f"```python\nfrom transformers import pipeline\nfrom araft.preprocessing import preprocess_text\n\n"
                 f"ner = pipeline(\"token-classification\", model=\"{repo}\", aggregation_strategy=\"first\")\n"
                 f"text = preprocess_text(\"نص الخبر هنا\", \"{mode}\")\nprint(ner(text))\n```\n\n"
                 "Offsets from the pipeline refer to the preprocessed text; araft maps predictions "
                 "back to the original text.")
        return loop, plain
