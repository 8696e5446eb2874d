"""Write seeds/seed.jsonl: the hand-made gold annotation of the seed article.

The annotation follows ../shared/ANNOTATION.md. It is kept here in readable form (surface strings
and whole sentences), and the offsets are computed from the text, so the JSONL can always be
rebuilt and checked:   python -m scripts.make_seed_gold [--out PATH]
Every count is asserted, so a mention that is missed or found twice stops the script.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from araft.corpus.article import Article, Entity, Sentence, validate_article

ARTICLE_ID = "000_2a0c97e50c8b63d1"
REPO = Path(__file__).resolve().parents[1]
SEED_TXT = REPO / "seeds" / f"{ARTICLE_ID}.txt"
SEED_JSONL = REPO / "seeds" / "seed.jsonl"
META = {"source": "seed", "file": f"{ARTICLE_ID}.txt",
        "license": "project fixture: the seed article shipped with araft as its test fixture"}
ENTITY_LABELS = ("PERS", "LOC", "ORG", "MISC")
SENTENCE_LABELS = ("claim", "obstacle")
CLITICS = "وفبلك"  # proclitics cut off a name (at most two stacked, e.g. «وب»)
TERMINALS = ".!?؟"
QUOTES = "“”«»\""

# ---- Layer 1: entities. (surface, type, occurrences in the text) -------------------------------
# Each surface is searched everywhere; an occurrence counts when it is a whole word, optionally after
# proclitics (which stay outside the span), and is not inside a longer listed name.
ENTITIES: list[tuple[str, str, int]] = [
    ("كيريل دميترييف", "PERS", 1),
    ("دميترييف", "PERS", 1),            # «لدميترييف»: ل cut off
    ("فولوديمير زيلينسكي", "PERS", 1),   # «الرئيس الأوكراني» stays outside (title + adjective)
    ("زيلينسكي", "PERS", 1),            # «لزيلينسكي»: ل cut off
    ("روسيا", "LOC", 9),                # incl. «وروسيا» x3
    ("الولايات المتحدة", "LOC", 7),      # incl. «والولايات المتحدة»
    ("أوكرانيا", "LOC", 10),            # incl. «وأوكرانيا»
    ("ميامي", "LOC", 3),                # «مدينة ميامي»: مدينة is a descriptor, outside like a title
    ("موسكو", "LOC", 2),                # capitals used for governments are still LOC (ANERcorp)
    ("واشنطن", "LOC", 1),               # «وواشنطن»: first و cut off; the name's own و stays
    ("تركيا", "LOC", 1),
    ("الصين", "LOC", 1),                # «والصين»
    ("شبه جزيرة القرم", "LOC", 1),       # «قضية» outside; the longest name wins over «القرم»
    ("القرم", "LOC", 1),                # alone in S24
    ("وزارة الخارجية الأمريكية", "ORG", 1),
    ("الناتو", "ORG", 1),               # «والناتو»
    ("الحرب الروسية الأوكرانية", "MISC", 1),  # the established name of the war (S4)
]
# Considered and NOT tagged:
# - nationality adjectives alone: الروسي (S1, S24), روسي (S26 «بغزو روسي»), الأوكراني (S12),
#   الأوروبي (S20); «المفاوضات الروسية الأمريكية» (S2, S6) is a description, not a name.
# - «الأزمة الأوكرانية» (S6 heading): «the crisis» + an adjective, used descriptively like «الأزمة في
#   أوكرانيا» (S2, S18, S26); unlike «الحرب الروسية الأوكرانية» it is not the established proper
#   name of an event here, so it is left untagged (borderline).
# - «الوزارة» (S15): an anaphoric common noun, not a name. «العالم» (S7, S30): generic.
# - «الأمن الأوروبي» (S20), «الأمن الإقليمي», «الاستقرار الدولي» (S14): concepts, not named things.
# - generic groups: المجتمع الدولي (S27), الطرفين / الطرفين المتحاربين, الجانبين, البلدين,
#   القوتان النوويتان, المراقبون, الأطراف, دول. «بلاده» (S12): a pronoun-like reference.
# - dates and numbers: فبراير 2022, عام 2014, عامها الثالث.

# ---- Layer 2: sentences, in text order. (kind, exact sentence text) ----------------------------
# kind: "" neither, "C" claim, "O" obstacle, "CO" both, "H" heading (its own sentence, no labels).
SENTENCES: list[tuple[str, str]] = [
    # S1 C: «أعلن» + a named actor (the envoy Dmitriev) announcing the talks. «معالجة القضايا المعلقة»
    # is the talks' purpose, not a stated barrier: no obstacle.
    ("C", "أعلن المبعوث الخاص للرئيس الروسي، كيريل دميترييف، عن بدء محادثات بين روسيا والولايات المتحدة في ميامي، تهدف إلى معالجة القضايا المعلقة."),
    # S2 -: the writer's framing («وقت حرج» is context, not a barrier to the talks).
    ("", "هذه الخطوة الدبلوماسية تأتي في وقت حرج، وتتوسط جهودًا دولية لإيجاد حل للأزمة في أوكرانيا، وتشكل تطوراً هاماً في سياق المفاوضات الروسية الأمريكية الجارية."),
    # S3 C: the guideline's claim example («وفقًا لـ» + Dmitriev).
    ("C", "ووفقًا لدميترييف، فإن المناقشات حتى الآن تسير بشكل “بناء”."),
    # S4 -: background: the talks coincide with the ongoing war and rising tensions. Borderline; it
    # is not presented as something standing in the way of the talks, so no obstacle.
    ("", "تتزامن هذه المحادثات مع استمرار الحرب الروسية الأوكرانية التي دخلت عامها الثالث، وتصاعد التوترات الجيوسياسية."),
    # S5 -: venue and aim («بهدف تحقيق تقدم») in the writer's voice; the disputed files are the
    # object of the aim, not stated as a barrier.
    ("", "تقام هذه الجولة من المحادثات في الولايات المتحدة، تحديداً مدينة ميامي، وقد بدأت بالفعل أعمالها بهدف تحقيق تقدم ملموس في ملفات الخلاف القائمة."),
    # S6 H
    ("H", "أهمية المفاوضات الروسية الأمريكية في ظل الأزمة الأوكرانية"),
    # S7 -: the writer's analysis of why the talks matter.
    ("", "تكتسب هذه المحادثات أهمية خاصة نظراً لكونها قناة اتصال مباشرة نادرة بين موسكو وواشنطن، وهما القوتان النوويتان الرئيسيتان في العالم."),
    # S8 -: background. Borderline: the deterioration and the sanctions are told as history that
    # makes any dialogue significant («مما جعل أي حوار بينهما حدثاً بالغ الأهمية»), not as a barrier
    # to it; the sanctions become an obstacle in S20 where the text says so.
    ("", "العلاقات بين البلدين تدهورت بشكل كبير منذ اندلاع الصراع في أوكرانيا في فبراير 2022، وفرض عقوبات اقتصادية واسعة النطاق على روسيا، مما جعل أي حوار بينهما حدثاً بالغ الأهمية."),
    # S9 -: background on earlier mediation. Borderline: «لم تسفر ... عن نتائج حاسمة» reports an
    # absence of results but names no challenge or barrier that causes it.
    ("", "تأتي هذه الجهود في أعقاب سلسلة من المبادرات الدبلوماسية الأخرى، بما في ذلك الاتصالات التي توسطت فيها دول مثل تركيا والصين، والتي لم تسفر حتى الآن عن نتائج حاسمة."),
    # S10 -: the guideline's «neither» example (unattributed cautious optimism).
    ("", "هناك تفاؤل حذر بأن الحوار المباشر بين الولايات المتحدة وروسيا قد يفتح الباب أمام حلول أكثر واقعية."),
    # S11 H
    ("H", "ردود الفعل الدولية والمحلية"),
    # S12 C: «أعرب» / «مؤكداً» by Zelensky. The condition («شريطة أن ...») is his demand, not
    # presented as a stumbling block: no obstacle.
    ("C", "أعرب الرئيس الأوكراني فولوديمير زيلينسكي عن ترحيبه الحذر بالمحادثات، مؤكداً استعداد بلاده للمشاركة في مفاوضات ثلاثية تشمل الولايات المتحدة وروسيا، شريطة أن تركز هذه المفاوضات على تحقيق أهداف ملموسة."),
    # S13 C: a goal, but stated by a named actor («وفقاً لزيلينسكي»), so a claim.
    ("C", "أحد هذه الأهداف الرئيسية، وفقاً لزيلينسكي، هو تسهيل عمليات تبادل الأسرى، وهي قضية إنسانية ذات أولوية عالية."),
    # S14 C: «شددت» by the US State Department; a position on the talks' scope, not a barrier.
    ("C", "وفي سياق منفصل، شددت وزارة الخارجية الأمريكية على أن هذه المحادثات لا تهدف إلى التفاوض بشأن أوكرانيا نيابة عنها، بل إلى مناقشة قضايا أخرى تتعلق بالأمن الإقليمي والاستقرار الدولي."),
    # S15 C: direct quote attributed («صرح بذلك») to the ministry's spokesman. The opening quote ”
    # belongs to this sentence (it starts a new line anyway).
    ("C", "”نحن ملتزمون بدعم أوكرانيا في الدفاع عن سيادتها ووحدة أراضيها” صرح بذلك المتحدث باسم الوزارة."),
    # S16 H: mentions «تحديات» but headings carry no labels.
    ("H", "أهداف محددة وتحديات قائمة"),
    # S17 -: goals. «المعلنة» says they were announced but by no identifiable actor, so no claim;
    # escalation is what the goals aim to prevent, not a stated barrier.
    ("", "تشمل الأهداف المعلنة للمحادثات، بالإضافة إلى تبادل الأسرى، مناقشة آليات لمنع التصعيد العسكري وتجنب المواجهات المباشرة بين روسيا والناتو."),
    # S18 -: goals, unattributed.
    ("", "كما تهدف إلى استكشاف سبل لتخفيف الأزمة الإنسانية المتفاقمة في أوكرانيا، وضمان وصول المساعدات الإنسانية إلى المحتاجين."),
    # S19 O: challenges «تعترض طريق هذه المفاوضات», unattributed.
    ("O", "ومع ذلك، هناك العديد من التحديات التي تعترض طريق هذه المفاوضات."),
    # S20 O: deep disagreements, sanctions, European security «تمثل عقبات كبيرة».
    ("O", "الخلافات العميقة حول الوضع في أوكرانيا، ومسألة العقوبات المفروضة على روسيا، ومستقبل الأمن الأوروبي، تمثل عقبات كبيرة."),
    # S21 O: the guideline's obstacle example (mutual distrust).
    ("O", "بالإضافة إلى ذلك، هناك انعدام الثقة المتبادل بين الجانبين، مما يجعل من الصعب تحقيق أي تقدم حقيقي."),
    # S22 O: a further challenge («تتضمن التحديات أيضاً»).
    ("O", "تتضمن التحديات أيضاً تحديد مسار واضح نحو حل سياسي للأزمة."),
    # S23 O: Crimea is «among the most sensitive and complex issues». «تعتبر» is passive with no
    # actor, so no claim.
    ("O", "تعتبر قضية شبه جزيرة القرم، التي ضمتها روسيا في عام 2014، من بين القضايا الأكثر حساسية وتعقيداً."),
    # S24 CO: the guideline's both-labels example (opposed positions of named actors).
    ("CO", "أوكرانيا والولايات المتحدة ترفضان الاعتراف بالضم الروسي، بينما تصر موسكو على أن القرم جزء لا يتجزأ من أراضيها."),
    # S25 O: the disagreement makes a compromise hard; unattributed difficulty.
    ("O", "هذا الخلاف الجذري يجعل من الصعب إيجاد حل وسط مقبول للطرفين."),
    # S26 -: background on the war's toll; nothing here stands in the way of the talks.
    ("", "الأزمة في أوكرانيا، والتي بدأت بغزو روسي واسع النطاق في فبراير 2022، أدت إلى دمار هائل وخسائر بشرية فادحة."),
    # S27 CO: «المجتمع الدولي يدعو» is a demand by a named collective (the guideline names the
    # international community as an actor) = claim; the calls «لم تلقَ صدى ... لدى الطرفين
    # المتحاربين» = the parties' non-response is a barrier to resolving the conflict = obstacle.
    ("CO", "المجتمع الدولي يدعو إلى وقف فوري لإطلاق النار، وبدء مفاوضات سلام جادة، لكن هذه الدعوات لم تلقَ صدى حتى الآن لدى الطرفين المتحاربين."),
    # S28 O: the relation «تواجه ... توترات»: disagreements between the negotiating parties, which
    # S29 calls another layer of difficulty for the talks. «الاتهام المتبادل» describes that
    # accusations exist without reporting what an actor asserts, so no claim (borderline).
    ("O", "وبعيداً عن أوكرانيا، تواجه العلاقة بين روسيا والولايات المتحدة توترات في مجالات أخرى، مثل الاتهام المتبادل بالتدخل في الانتخابات، والتنافس في الفضاء السيبراني، والقضايا المتعلقة بحقوق الإنسان."),
    # S29 O: «تضيف طبقة أخرى من الصعوبة إلى المفاوضات».
    ("O", "هذه القضايا المعقدة تضيف طبقة أخرى من الصعوبة إلى المفاوضات الجارية."),
    # S30 -: a forecast («من المتوقع»), the writer's.
    ("", "من المتوقع أن تستمر المناقشات في ميامي لعدة أيام، بينما يراقب العالم عن كثب التطورات."),
    # S31 -: a forecast; «المراقبون» are not an identifiable actor and state nothing.
    ("", "وسيترقب المراقبون ما إذا كانت هذه المحادثات ستسفر عن أي اختراقات ملموسة، أو مجرد تهدئة مؤقتة للتوترات."),
    # S32 -: uncertain outcome is a forecast, not a challenge or barrier (borderline).
    ("", "في الوقت الحالي، تظل النتائج غير مؤكدة."),
    # S33 -: a conditional plan/forecast, unattributed.
    ("", "في حال تحقق تقدم، قد يتم تحديد موعد لعقد قمة ثلاثية بين الولايات المتحدة وروسيا وأوكرانيا."),
    # S34 O: «العقبات التي يجب التغلب عليها» before serious negotiations.
    ("O", "ومع ذلك، هناك العديد من العقبات التي يجب التغلب عليها قبل أن يتمكن الأطراف من الجلوس إلى طاولة المفاوضات بشكل جدي."),
]
KIND_LABELS = {"": (), "H": (), "C": ("claim",), "O": ("obstacle",), "CO": ("claim", "obstacle")}


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


def locate_entities(text: str) -> list[Entity]:
    """Find every occurrence of every listed surface; assert the expected count per surface."""
    found: list[Entity] = []
    covered: list[tuple[int, int]] = []
    # Longest names first, so «القرم» inside «شبه جزيرة القرم» is not counted twice.
    for surface, label, expected in sorted(ENTITIES, key=lambda e: -len(e[0])):
        hits = []
        pos = text.find(surface)
        while pos != -1:
            end = pos + len(surface)
            if not any(s <= pos < e for s, e in covered):
                word_start = pos
                while word_start > 0 and _is_letter(text[word_start - 1]):
                    word_start -= 1
                prefix = text[word_start:pos]
                if len(prefix) > 2 or any(ch not in CLITICS for ch in prefix) or (
                        end < len(text) and _is_letter(text[end])):
                    raise AssertionError(f"{surface!r} at {pos} is inside the word "
                                         f"{text[word_start:end + 5]!r}: decide and list it")
                hits.append((pos, end))
            pos = text.find(surface, end)
        if len(hits) != expected:
            raise AssertionError(f"{surface!r}: expected {expected} occurrences, found {len(hits)}")
        covered.extend(hits)
        found.extend(Entity(s, e, label) for s, e in hits)
    return sorted(found, key=lambda e: e.start)


def locate_sentences(text: str) -> list[Sentence]:
    """Place the listed sentences in order; they must cover every non-space character and obey
    the guideline's boundary rule (end at . ! ? ؟, a closing quote after it, or a line end)."""
    out: list[Sentence] = []
    cursor = 0
    for kind, sent in SENTENCES:
        start = text.find(sent, cursor)
        if start == -1:
            raise AssertionError(f"sentence not found after {cursor}: {sent[:40]!r}")
        if text[cursor:start].strip():
            raise AssertionError(f"unassigned text before {start}: {text[cursor:start]!r}")
        end = start + len(sent)
        body = sent.rstrip(QUOTES)
        if "\n" in sent or any(ch in TERMINALS for ch in body[:-1]):
            raise AssertionError(f"sentence at {start} spans a boundary: {sent[:40]!r}")
        ends_line = end == len(text) or text[end] == "\n"
        if kind == "H" and (body[-1] in TERMINALS or not ends_line):
            raise AssertionError(f"heading at {start} is not a whole unpunctuated line")
        if kind != "H" and body[-1] not in TERMINALS:
            raise AssertionError(f"sentence at {start} does not end at terminal punctuation")
        out.append(Sentence(start, end, KIND_LABELS[kind]))
        cursor = end
    if text[cursor:].strip():
        raise AssertionError(f"unassigned text at the end: {text[cursor:]!r}")
    return out


def build_article(text: str) -> Article:
    """The gold Article for the seed text (validated)."""
    article = Article(id=ARTICLE_ID, text=text, entities=locate_entities(text),
                      sentences=locate_sentences(text), meta=dict(META))
    validate_article(article, entity_labels=ENTITY_LABELS, sentence_labels=SENTENCE_LABELS)
    for ent in article.entities:  # an entity never crosses a sentence boundary
        if not any(s.start <= ent.start and ent.end <= s.end for s in article.sentences or []):
            raise AssertionError(f"entity {ent} is not inside one sentence")
    return article


def render(article: Article) -> str:
    """The JSONL content: one line, UTF-8 characters kept as they are."""
    return json.dumps(article.to_dict(), ensure_ascii=False) + "\n"


def read_seed_text(path: Path = SEED_TXT) -> str:
    # newline="" keeps the file's line endings exactly (no universal-newline translation).
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, default=SEED_TXT, help="the seed article (.txt)")
    parser.add_argument("--out", type=Path, default=SEED_JSONL, help="where to write the JSONL")
    args = parser.parse_args(argv)
    article = build_article(read_seed_text(args.text))
    args.out.write_text(render(article), encoding="utf-8", newline="\n")
    print(f"wrote {args.out}: {len(article.entities)} entities, {len(article.sentences or [])} "
          f"sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
