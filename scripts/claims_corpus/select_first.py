"""Choose the first 40 SaudiNewsNet articles of the claims/obstacles corpus (deterministic).

Criteria (documented in data/claims_obstacles/README.md):
1. Length: 10-25 sentences (title line included), counted by common._own_split, a pinned
   version of the guideline's boundary rule, so that the choice never moves when the project's
   splitter (araft.corpus.segment, used for the annotation itself) changes.
2. Duplicates: an article whose body, or whose title, equals an earlier one's is skipped; so is
   a near duplicate of an already chosen article (word-set Jaccard >= 0.5).
3. Topic: each article is scored by keyword hits in its text, per topic group (Yemen, Syria,
   Iran nuclear deal, Iraq/ISIS, Palestine/Israel, Gulf diplomacy, oil/OPEC/economic disputes).
   topic score = sum over groups of distinct keywords found (capped at 4 per group).
   It also needs attribution verbs (claims) and difficulty words (obstacles):
   score = 3*topic + min(attribution, 5) + 2*min(obstacle, 4).
   An article qualifies with topic >= 3, attribution >= 2 and obstacle >= 1.
4. Choice: rank by score (desc) then article number (asc); take the best, at most 8 per
   dominant topic group (so no single conflict fills the corpus), until 40 articles and at least
   600 sentences. The chosen 40 are ordered by article number; index 1-20 goes to annotator A,
   21-40 to annotator B.
Usage: .venv/bin/python -m scripts.claims_corpus.select_first  (writes selection.tsv and raw/NNN.txt)
"""
from __future__ import annotations

import argparse
import hashlib
import sys

from scripts.claims_corpus.common import DATA, _own_split, read_source

GROUPS: dict[str, list[str]] = {
    "yemen": ["اليمن", "الحوثي", "صنعاء", "عدن", "هادي", "صالح", "الشرعية", "تعز", "مأرب"],
    "syria": ["سوريا", "السوري", "الأسد", "دمشق", "حلب", "المعارضة السورية", "دي ميستورا", "جنيف"],
    "iran": ["إيران", "الإيراني", "النووي", "طهران", "ظريف", "روحاني", "العقوبات", "الكونغرس"],
    "iraq": ["العراق", "بغداد", "داعش", "العبادي", "الموصل", "الأنبار", "الحشد"],
    "palestine": ["فلسطين", "الفلسطيني", "إسرائيل", "الإسرائيلي", "غزة", "الاحتلال", "حماس", "عباس", "القدس"],
    "gulf": ["مجلس التعاون", "الخليجي", "وزير الخارجية", "الجبير", "قطر", "الكويت", "مصر", "روسيا", "واشنطن"],
    "oil": ["أوبك", "النفط", "أسعار النفط", "الإنتاج", "الصين", "اليوان", "الأسواق", "برميل"],
}
POLITICAL = ["مفاوضات", "المفاوضات", "الحوار", "الأزمة", "الخلاف", "الحل السياسي", "مجلس الأمن",
             "الأمم المتحدة", "هدنة", "وقف إطلاق النار", "اتفاق", "التحالف"]
ATTRIBUTION = ["قال", "أكد", "أعلن", "صرح", "أوضح", "أشار", "شدد", "أعرب", "طالب", "دعا",
               "رفض", "وفقا", "وفقاً", "بحسب", "حذر", "اتهم", "نفى", "أضاف"]
OBSTACLE = ["عقبة", "عقبات", "خلاف", "الخلافات", "رفض", "تعثر", "أزمة", "تحديات", "صعوبة",
            "مخاوف", "تهديد", "عرقلة", "انتهاك", "خرق", "تصعيد", "جمود", "انقسام", "معارضة",
            "تراجع", "توتر"]
PER_GROUP = 8
NEAR_DUP = 0.5
WANT_ARTICLES, WANT_SENTENCES = 40, 600


def score(text: str) -> tuple[int, str, int, int, int]:
    per_group = {g: min(4, sum(k in text for k in kws)) for g, kws in GROUPS.items()}
    dominant = max(sorted(per_group), key=lambda g: per_group[g])
    topic = sum(per_group.values()) + min(3, sum(k in text for k in POLITICAL))
    attr = sum(text.count(k) for k in ATTRIBUTION)
    obst = sum(k in text for k in OBSTACLE)
    return 3 * topic + min(attr, 5) + 2 * min(obst, 4), dominant, topic, attr, obst


def choose() -> list[dict]:
    seen_bodies: set[str] = set()
    seen_titles: set[str] = set()
    candidates = []
    for number, text in read_source():
        title, _, body = text.partition("\n")
        h = hashlib.sha1(body.strip().encode()).hexdigest()
        dup = h in seen_bodies or title.strip() in seen_titles
        seen_bodies.add(h)
        seen_titles.add(title.strip())
        if dup or not body.strip():
            continue
        n_sent = len(_own_split(text))  # pinned rule: the choice must not move when the project splitter changes
        if not 10 <= n_sent <= 25:
            continue
        s, dominant, topic, attr, obst = score(text)
        if topic >= 3 and attr >= 2 and obst >= 1:
            candidates.append((-s, number, dominant, title.strip(), n_sent, text))
    candidates.sort()
    chosen, per_group, total = [], {}, 0
    for neg, number, dominant, title, n_sent, text in candidates:
        if len(chosen) >= WANT_ARTICLES and total >= WANT_SENTENCES:
            break
        if per_group.get(dominant, 0) >= PER_GROUP:
            continue
        words = set(text.split())
        if any(len(words & c["words"]) / len(words | c["words"]) >= NEAR_DUP for c in chosen):
            continue
        per_group[dominant] = per_group.get(dominant, 0) + 1
        total += n_sent
        chosen.append({"number": number, "title": title, "sentences": n_sent, "text": text,
                       "group": dominant, "score": -neg, "words": words})
    chosen.sort(key=lambda c: c["number"])
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args(argv)  # no options: --help only
    chosen = choose()
    raw = DATA / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    half = len(chosen) // 2
    rows = ["index\tarticle_number\ttitle\tsentences\tannotator\ttopic\tscore"]
    for idx, c in enumerate(chosen, start=1):
        (raw / f"{idx:03d}.txt").write_text(c["text"], encoding="utf-8")
        who = "A" if idx <= half else "B"
        rows.append(f"{idx:03d}\t{c['number']}\t{c['title']}\t{c['sentences']}\t{who}\t{c['group']}\t{c['score']}")
    (DATA / "selection.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(chosen)} articles, {sum(c['sentences'] for c in chosen)} sentences", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
