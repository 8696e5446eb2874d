"""The model card of a run: Hub metadata (with a ``model-index`` of the run's scores) and a body.

Built with huggingface_hub's ModelCard / ModelCardData / EvalResult, so what the Hub parses is
what araft measured: every number in the model-index is read from the run's metrics.json as is.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from araft.hub.card_text import card_body
from araft.hub.facts import RunFacts, dataset_label, hub_base_model, load_facts, model_name
from araft.hub.licenses import card_license


def eval_results(facts: RunFacts):
    """One EvalResult per (scored split, headline metric); values exactly as in metrics.json."""
    from huggingface_hub import EvalResult

    out = []
    for split, split_scores in facts.splits():
        dtype, dname, dsplit = dataset_label(facts, split)
        for layer, scores in facts.task.layer_metrics(split_scores):
            task_type, task_name = layer.words.hub_task
            for key, (mtype, average, mname) in layer.card_metrics.items():
                if key not in scores:
                    continue
                out.append(EvalResult(task_type=task_type, task_name=task_name, dataset_type=dtype,
                                      dataset_name=dname, dataset_split=dsplit, metric_type=mtype,
                                      metric_value=float(scores[key]), metric_name=mname,
                                      metric_config=average))
    return out


def card_data(facts: RunFacts, *, license: str | None = None):
    """The card's YAML metadata."""
    from huggingface_hub import ModelCardData

    known_base = [facts.base_license] if facts.base_license and facts.base_license.license_id else []
    lic = license or card_license(facts.licenses + known_base)
    extra: dict[str, Any] = {}
    if lic == "other":
        extra = {"license_name": "mixed-licenses", "license_link": "README.md"}
    tags = ["araft", "arabic", "arabert", *facts.task.hub_tags]
    results = eval_results(facts)
    return ModelCardData(
        language="ar", license=lic, library_name="transformers",
        base_model=hub_base_model(facts.base_model), datasets=[facts.data_name],
        pipeline_tag=facts.task.pipeline_tag, tags=tags,
        metrics=sorted({r.metric_type for r in results}) or None,
        model_name=model_name(facts.repo_id), eval_results=results or None, **extra)


def build_card(run_root: str | Path, repo_id: str, *, license: str | None = None):
    """The ModelCard (metadata + body) for a finished run."""
    from huggingface_hub import ModelCard

    facts = load_facts(run_root, repo_id)
    data = card_data(facts, license=license)
    return ModelCard(f"---\n{data.to_yaml()}\n---\n\n{card_body(facts, data)}")
