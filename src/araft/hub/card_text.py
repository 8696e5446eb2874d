"""The model card's body (markdown): results, training summary, intended use, limitations, data
licenses and usage. Everything is read from the run; local paths are reduced to file names. What
depends on the task is the task's (its layers' words, its CardText)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from araft.hub.facts import RunFacts, dataset_label, hub_base_model, model_name
from araft.runinfo import RunInfo


def _f(x: Any) -> str:
    return "-" if x is None else f"{float(x):.3f}"


def _ci(scores: dict[str, Any], key: str) -> str:
    ci = (scores.get("ci") or {}).get(key)
    return f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""


def base_model_text(facts: RunFacts) -> str:
    name = facts.base_model
    if hub_base_model(name):
        return f"[`{name}`](https://huggingface.co/{name})"
    return f"`{Path(name).name}` (a local model folder, not a Hub model)"


def results_section(facts: RunFacts) -> str:
    rows = ["| split | dataset | sentences | micro F1 [95% CI] | macro F1 | micro P | micro R |",
            "|---|---|---|---|---|---|---|"]
    notes = []
    many = len(facts.task.layers) > 1
    for split, scores in facts.splits():
        _, dname, _ = dataset_label(facts, split)
        flag = " (= training data)" if facts.same_as_train(split) else ""
        for layer, s in facts.task.layer_metrics(scores):
            name = f"{split} {layer.key}" if many else split
            rows.append(f"| {name}{flag} | {dname} | {s.get('n_sentences', '-')} | "
                        f"{_f(s.get('micro_f1'))}{_ci(s, 'micro_f1')} | {_f(s.get('macro_f1'))} | "
                        f"{_f(s.get('micro_precision'))} | {_f(s.get('micro_recall'))} |")
        if facts.same_as_train(split):
            notes.append(f"- **{split} is the training file itself**: its scores show the model fits "
                         "its training data, and say nothing about unseen text.")
    if not facts.splits():
        rows.append("| - | no split was scored | | | | | |")
    if facts.metrics.get("best_checkpoint") and "dev" in dict(facts.splits()):
        notes.append("- The checkpoint was chosen on dev, so dev scores are optimistic; prefer test.")
    if facts.settings.thresholds:
        notes.append("- Per-label decision thresholds were tuned on dev (stored in config.json, "
                     "`araft.thresholds`), so dev scores are optimistic; prefer test.")
    boot = next((s.get("bootstrap") for _, s in facts.splits() if s.get("bootstrap")), None)
    if boot:
        notes.append(f"- 95% intervals: {boot.get('method', 'bootstrap')}, "
                     f"{boot.get('n_resamples')} resamples.")
    scoring = " ".join(f"Scores are {w.card_scoring}; `micro` pools all {w.card_pooled}, `macro` "
                       f"averages the {w.card_averaged} equally."
                       for w in (layer.words for layer in facts.task.layers))
    out = [f"## Results\n\n{scoring}\n", *rows, "", *notes]
    out += [per_type_table(facts, k) for k in range(len(facts.task.layers))]
    return "\n".join(out)


def per_type_table(facts: RunFacts, k: int = 0) -> str:
    """Per class scores of the k-th layer on the first split shown."""
    splits = facts.splits()
    if not splits:
        return ""
    split, scores = splits[0]
    layer, s = facts.task.layer_metrics(scores)[k]
    per = s.get("per_type") or s.get("per_label") or {}
    if not per:
        return ""
    what = layer.words.card_what
    rows = [f"\nPer {what} on {split}:\n", f"| {what} | precision | recall | F1 [95% CI] | support |",
            "|---|---|---|---|---|"]
    for name, m in sorted(per.items()):
        ci = m.get("f1_ci")
        ci_txt = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
        rows.append(f"| {name} | {_f(m.get('precision'))} | {_f(m.get('recall'))} | "
                    f"{_f(m.get('f1'))}{ci_txt} | {m.get('support', '-')} |")
    return "\n".join(rows) + "\n"


def training_section(facts: RunFacts) -> str:
    cfg, st = facts.config, facts.settings
    lines = ["## Training", "",
             f"- base model: {base_model_text(facts)}",
             f"- preprocessing: `{st.preprocess}` (AraBERT rules; applied per word by "
             "araft, stored in config.json as `araft.preprocess`)",
             f"- max length {st.max_length} subwords" + facts.task.card.length_note(st),
             f"- labels: {', '.join(facts.labels)}",
             *facts.task.card.setup_lines(st)]
    if cfg is not None:
        tr = cfg.trainer
        lines.append(f"- optimiser: lr {tr.lr}, {tr.epochs} epoch(s), batch {tr.batch_size} x "
                     f"{tr.grad_accum} accumulation, warmup {tr.warmup_ratio}, weight decay "
                     f"{tr.weight_decay}, {tr.scheduler} schedule, {tr.precision}")
        if tr.heads_first:
            lines.append(f"- heads first: the first {tr.heads_first:.0%} of the steps trained the heads "
                         "alone, the encoder frozen (`trainer.heads_first`)")
    seed = facts.run.seed if facts.run.seed is not None else (cfg.seed if cfg else None)
    experiment = cfg.experiment_name if cfg else facts.metrics.get("experiment", "?")
    lines.append(f"- seed {seed}; experiment `{experiment}`")
    if cfg is not None:
        lines += facts.task.card.loss_lines(cfg.task)
    return "\n".join(lines + provenance_lines(facts.run)) + "\n"


def provenance_lines(run: RunInfo) -> list[str]:
    """The data files (names and hashes), the software and how long training took."""
    lines = []
    if run.data:
        lines += ["", "| split | file | sha256 |", "|---|---|---|"]
        lines += [f"| {k} | `{Path(v.path).name}` | `{v.sha256[:16]}…` |" for k, v in run.data.items()]
    git, pk = run.git, run.packages
    soft = ", ".join(f"{k} {pk[k]}" for k in ("araft", "transformers", "torch") if k in pk)
    if soft or git.commit:
        lines += ["", f"Software: {soft}" + (f"; araft commit `{str(git.commit)[:12]}`"
                                              f"{' (with uncommitted changes)' if git.dirty else ''}"
                                              if git.commit else "") + "."]
    dur = run.durations_s
    if dur.get("total") is not None:
        lines.append(f"Training took {dur.get('train', '?')} s (total {dur['total']} s) on "
                     f"{'GPU' if run.hardware.get('cuda') else 'CPU'}.")
    return lines


def use_section(facts: RunFacts) -> str:
    what = facts.task.card.finds(facts.labels)
    limits = [
        "- Trained and scored only on the data listed above; other genres (social media, "
        "dialects, classical Arabic) are likely to score lower.",
        "- Input must be preprocessed the way the model was trained "
        f"(`{facts.settings.preprocess}`): araft does it; with plain transformers use "
        "`araft.preprocessing.preprocess_text` (see below). Unpreprocessed text silently scores worse.",
        *facts.task.card.limits(),
    ]
    if any(facts.same_as_train(s) for s, _ in facts.splits()):
        limits.append("- **This model was scored on its own training data.** It is a smoke-test "
                      "or demo artefact, not a model to rely on.")
    return "\n".join(["## Intended use", "", f"Finding {what}, as a research baseline and for "
                      "assisted annotation. Check its output before relying on it; it is not meant "
                      "for decisions about people.", "", "## Limitations", "", *limits, ""])


def license_section(facts: RunFacts, data) -> str:
    lines = ["## Data and licenses", "",
             f"Model card license: `{data.license}`"
             + (" (the licenses below differ or are not all recorded)" if data.license == "other" else "")
             + ". The weights derive from the base model and the data below, and may be subject "
             "to their terms (e.g. ShareAlike, NonCommercial).", ""]
    seen: set[str] = set()
    if facts.base_license is not None:
        lines.append(f"- base model `{facts.base_license.file}`: {facts.base_license.statement}")
    for lic in facts.licenses:
        lines.append(f"- {lic.split}: `{lic.file}`: {lic.statement}")
        for a in lic.attribution:
            if a not in seen:
                seen.add(a)
                lines.append(f"  - {a}")
    if not facts.licenses:
        lines.append("- The run does not record its data files.")
    return "\n".join(lines) + "\n"


def usage_section(facts: RunFacts) -> str:
    repo, mode = facts.repo_id, facts.settings.preprocess
    loop, plain = facts.task.card.usage(repo, mode, facts.settings)
    araft = (f"```python\nfrom araft import Predictor\n\npredictor = Predictor.from_pretrained(\"{repo}\")\n"
             "article = predictor.predict(\"نص الخبر هنا\")\n" + loop + "```\n\n"
             f"or from the shell: `araft predict {repo} article.txt --format text`.")
    return "\n".join(["## How to use", "", "With araft:", "", araft, "",
                      "With plain transformers:", "", plain, ""])


def card_body(facts: RunFacts, data) -> str:
    intro = (f"# {model_name(facts.repo_id)}\n\nArabic {facts.task.description} model fine-tuned with "
             f"araft from {base_model_text(facts)} on "
             f"{dataset_label(facts, 'train')[1]}.\n")
    return "\n".join([intro, results_section(facts), training_section(facts), use_section(facts),
                      license_section(facts, data), usage_section(facts)])
