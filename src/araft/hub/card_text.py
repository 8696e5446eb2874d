"""The model card's body (markdown): results, training summary, intended use, limitations, data
licenses and usage. Everything is read from the run; local paths are reduced to file names."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from araft.hub.card import RunFacts, dataset_label, hub_base_model, model_name


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
    for split, s in facts.splits():
        _, dname, _ = dataset_label(facts, split)
        flag = " (= training data)" if facts.same_as_train(split) else ""
        rows.append(f"| {split}{flag} | {dname} | {s.get('n_sentences', '-')} | "
                    f"{_f(s.get('micro_f1'))}{_ci(s, 'micro_f1')} | {_f(s.get('macro_f1'))} | "
                    f"{_f(s.get('micro_precision'))} | {_f(s.get('micro_recall'))} |")
        if facts.same_as_train(split):
            notes.append(f"- **{split} is the training file itself**: its scores show the model fits "
                         "its training data, and say nothing about unseen text.")
    if not facts.splits():
        rows.append("| - | no split was scored | | | | | |")
    if facts.metrics.get("best_checkpoint") and "dev" in dict(facts.splits()):
        notes.append("- The checkpoint was chosen on dev, so dev scores are optimistic; prefer test.")
    if facts.settings.get("thresholds"):
        notes.append("- Per-label decision thresholds were tuned on dev (stored in config.json, "
                     "`araft.thresholds`), so dev scores are optimistic; prefer test.")
    boot = next((s.get("bootstrap") for _, s in facts.splits() if s.get("bootstrap")), None)
    if boot:
        notes.append(f"- 95% intervals: {boot.get('method', 'bootstrap')}, "
                     f"{boot.get('n_resamples')} resamples.")
    kind = "entity-level, strict IOB2 (seqeval)" if facts.task == "ner" else "per sentence label"
    out = [f"## Results\n\nScores are {kind}; `micro` pools all "
           f"{'entities' if facts.task == 'ner' else 'labels'}, `macro` averages the "
           f"{'types' if facts.task == 'ner' else 'labels'} equally.\n", *rows, "", *notes]
    out.append(per_type_table(facts))
    return "\n".join(out)


def per_type_table(facts: RunFacts) -> str:
    splits = facts.splits()
    if not splits:
        return ""
    split, s = splits[0]
    per = s.get("per_type") or s.get("per_label") or {}
    if not per:
        return ""
    what = "entity type" if facts.task == "ner" else "label"
    rows = [f"\nPer {what} on {split}:\n", f"| {what} | precision | recall | F1 [95% CI] | support |",
            "|---|---|---|---|---|"]
    for name, m in sorted(per.items()):
        ci = m.get("f1_ci")
        ci_txt = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
        rows.append(f"| {name} | {_f(m.get('precision'))} | {_f(m.get('recall'))} | "
                    f"{_f(m.get('f1'))}{ci_txt} | {m.get('support', '-')} |")
    return "\n".join(rows) + "\n"


def training_section(facts: RunFacts) -> str:
    cfg = facts.config
    tr, task = cfg.get("trainer") or {}, cfg.get("task") or {}
    st = facts.settings
    lines = ["## Training", "",
             f"- base model: {base_model_text(facts)}",
             f"- preprocessing: `{st.get('preprocess')}` (AraBERT rules; applied per word by "
             "araft, stored in config.json as `araft.preprocess`)",
             f"- max length {st.get('max_length')} subwords"
             + (f", windows overlapping by {st.get('stride')} words for longer sentences"
                if facts.task == "ner" else ", longer sentences truncated"),
             f"- labels: {', '.join(facts.labels)}"]
    if facts.task == "claims":
        lines.append(f"- {'multi-label' if st.get('multi_label', True) else 'one label per sentence'}"
                     f", context of {st.get('context', 0)} neighbour sentence(s)")
    parts = [(f"lr {tr['lr']}", "lr"), (f"{tr.get('epochs')} epoch(s)", "epochs"),
             (f"batch {tr.get('batch_size')} x {tr.get('grad_accum', 1)} accumulation", "batch_size"),
             (f"warmup {tr.get('warmup_ratio')}", "warmup_ratio"),
             (f"weight decay {tr.get('weight_decay')}", "weight_decay"),
             (f"{tr.get('scheduler')} schedule", "scheduler"), (f"{tr.get('precision')}", "precision")]
    shown = [text for text, key in parts if tr.get(key) is not None]
    if shown:
        lines.append("- optimiser: " + ", ".join(shown))
    lines.append(f"- seed {facts.run.get('seed', cfg.get('seed'))}; experiment "
                 f"`{cfg.get('experiment_name', facts.metrics.get('experiment', '?'))}`")
    if task.get("name") == "claims" and task.get("pos_weight"):
        lines.append("- loss weighted per label against class imbalance (pos_weight)")
    data = facts.run.get("data") or {}
    if data:
        lines += ["", "| split | file | sha256 |", "|---|---|---|"]
        lines += [f"| {k} | `{Path(v.get('path', '')).name}` | `{str(v.get('sha256', ''))[:16]}…` |"
                  for k, v in data.items() if isinstance(v, dict)]
    git = facts.run.get("git") or {}
    pk = facts.run.get("packages") or {}
    soft = ", ".join(f"{k} {pk[k]}" for k in ("araft", "transformers", "torch") if k in pk)
    if soft or git.get("commit"):
        lines += ["", f"Software: {soft}" + (f"; araft commit `{str(git['commit'])[:12]}`"
                                              f"{' (with uncommitted changes)' if git.get('dirty') else ''}"
                                              if git.get("commit") else "") + "."]
    dur = facts.run.get("durations_s") or {}
    hw = facts.run.get("hardware") or {}
    if dur.get("total") is not None:
        lines.append(f"Training took {dur.get('train', '?')} s (total {dur['total']} s) on "
                     f"{'GPU' if hw.get('cuda') else 'CPU'}.")
    return "\n".join(lines) + "\n"


def use_section(facts: RunFacts) -> str:
    what = ("named entities (" + ", ".join(facts.labels) + ") in Modern Standard Arabic news text"
            if facts.task == "ner" else
            "sentence labels (" + ", ".join(facts.labels) + ") of Arabic news sentences")
    limits = [
        "- Trained and scored only on the data listed above; other genres (social media, "
        "dialects, classical Arabic) are likely to score lower.",
        "- Input must be preprocessed the way the model was trained "
        f"(`{facts.settings.get('preprocess')}`): araft does it; with plain transformers use "
        "`araft.preprocessing.preprocess_text` (see below). Unpreprocessed text silently scores worse.",
    ]
    if facts.task == "ner":
        limits.append("- Entities are flat (no nesting) and end at word boundaries of araft's "
                      "segmenter; a proclitic (و ف ب ل ك) glued to a name is cut off the span only where "
                      "the article gives evidence (`araft.clitics`), else it stays in.")
    else:
        limits.append("- A sentence longer than the model's limit is truncated before scoring.")
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
    repo, mode = facts.repo_id, facts.settings.get("preprocess")
    araft = (f"```python\nfrom araft import Predictor\n\npredictor = Predictor.from_pretrained(\"{repo}\")\n"
             "article = predictor.predict(\"نص الخبر هنا\")\n"
             + ("for e in article.entities:\n    print(e.label, article.text[e.start:e.end], e.score)\n"
                if facts.task == "ner" else
                "for s in article.sentences:\n    print(s.labels, s.scores)\n") + "```\n\n"
             f"or from the shell: `araft predict {repo} article.txt --format text`.")
    if facts.task == "ner":
        plain = (f"```python\nfrom transformers import pipeline\nfrom araft.preprocessing import preprocess_text\n\n"
                 f"ner = pipeline(\"token-classification\", model=\"{repo}\", aggregation_strategy=\"first\")\n"
                 f"text = preprocess_text(\"نص الخبر هنا\", \"{mode}\")\nprint(ner(text))\n```\n\n"
                 "Offsets from the pipeline refer to the preprocessed text; araft maps predictions "
                 "back to the original text.")
    else:
        plain = (f"```python\nfrom transformers import pipeline\nfrom araft.preprocessing import preprocess_text\n\n"
                 f"clf = pipeline(\"text-classification\", model=\"{repo}\", top_k=None"
                 + (", function_to_apply=\"sigmoid\"" if facts.settings.get("multi_label", True) else "")
                 + f")\nprint(clf(preprocess_text(\"جملة من الخبر\", \"{mode}\")))\n```\n\n"
                 "Per-label thresholds tuned on dev are in config.json (`araft.thresholds`; 0.5 "
                 "when absent). With context > 0 the model also expects the neighbour sentences as "
                 "a second segment: use araft for that.")
    return "\n".join(["## How to use", "", "With araft:", "", araft, "",
                      "With plain transformers:", "", plain, ""])


def card_body(facts: RunFacts, data) -> str:
    task = "named-entity recognition" if facts.task == "ner" else "sentence classification"
    intro = (f"# {model_name(facts.repo_id)}\n\nArabic {task} model fine-tuned with "
             f"araft from {base_model_text(facts)} on "
             f"{dataset_label(facts, 'train')[1]}.\n")
    return "\n".join([intro, results_section(facts), training_section(facts), use_section(facts),
                      license_section(facts, data), usage_section(facts)])
