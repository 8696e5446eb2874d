"""CheckThat! 2024 readers: check-worthy tweets (task 1) and subjectivity sentences (task 2)."""
from pathlib import Path

import pytest

from araft.corpus.article import Sentence
from araft.corpus.checkthat import parse_checkworthy, parse_subjectivity, read_checkworthy, read_subjectivity
from araft.errors import DataError

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
T1 = "tweet_id\ttweet_url\ttweet_text\tclass_label\n"
T2 = "sentence_id\tsentence\tlabel\n"


def test_checkworthy_rows():
    text = T1 + '1\thttps://t/1\tقال "الوزير" إن القمة ستعقد\tYes\n2\thttps://t/2\tصباح الخير\tNo\n'
    a, b = parse_checkworthy(text, "d/ct.tsv")
    assert a.id == "1" and a.text == 'قال "الوزير" إن القمة ستعقد'
    assert a.sentences == [Sentence(0, len(a.text), ("claim",))]
    assert b.sentences == [Sentence(0, len(b.text), ())]
    assert a.meta == {"url": "https://t/1", "source": "ct.tsv"} and a.entities == []


def test_subjectivity_csv_quoting_inside_tsv():
    text = T2 + '"x_1"\t"وصرح أن ""مخلص مصر"" قد جاء."\tOBJ\nx_2\tهزم المرشح.\tSUBJ\n'
    a, b = parse_subjectivity(text, "s.tsv")
    assert a.text == 'وصرح أن "مخلص مصر" قد جاء.' and a.sentences[0].labels == ("OBJ",)
    assert b.id == "x_2" and b.sentences == [Sentence(0, len(b.text), ("SUBJ",))]


@pytest.mark.parametrize("body,reason", [
    ("1\tu\tنص\tMaybe\n", "s.tsv:2, article '1': class_label must be Yes or No"),
    ("1\tu\tنص\n", "s.tsv:2: 3 fields, but the header has 4"),
    ("1\tu\t  \tNo\n", "s.tsv:2, article '1': empty text"),
    ("1\tu\tنص\tNo\n1\tu\tنص آخر\tYes\n", "s.tsv:3, article '1': duplicate tweet_id (first on line 2)"),
])
def test_checkworthy_bad_rows(body, reason):
    with pytest.raises(DataError) as err:
        parse_checkworthy(T1 + body, "s.tsv")
    assert str(err.value).startswith(reason)


def test_bad_header_and_labels():
    with pytest.raises(DataError, match=r"s.tsv:1: header lacks column\(s\) class_label"):
        parse_checkworthy("tweet_id\ttweet_url\ttweet_text\n1\tu\tنص\n", "s.tsv")
    with pytest.raises(DataError, match=r"s.tsv:3, article 'b': label must be OBJ or SUBJ"):
        parse_subjectivity(T2 + "a\tنص\tOBJ\nb\tنص\tobj\n", "s.tsv")
    with pytest.raises(DataError, match=r"s.tsv:2, article 'a': unknown sentence label"):
        parse_subjectivity(T2 + "a\tنص\tSUBJ\n", "s.tsv", sentence_labels=["OBJ"])
    with pytest.raises(DataError, match=r"s.tsv:2: bad TSV quoting"):
        parse_subjectivity(T2 + 'a\t"نص" مكسور\tOBJ\n', "s.tsv")


def test_real_files():
    t1 = SHARED / "checkthat2024_task1_arabic" / "CT24_checkworthy_arabic_dev.tsv"
    t2 = SHARED / "checkthat2024_task2_subjectivity_arabic" / "dev_ar.tsv"
    if not (t1.exists() and t2.exists()):
        pytest.skip("../shared/data is not here")
    tweets = read_checkworthy(t1)
    assert len(tweets) == 1093
    assert sum(a.sentences[0].labels == ("claim",) for a in tweets) == 411
    sents = read_subjectivity(t2)
    assert len(sents) == 297 and sum(a.sentences[0].labels == ("SUBJ",) for a in sents) == 70
    quoted = next(a for a in sents if a.id == "AFP_614-eurl_08_015")
    assert quoted.text.startswith("وصرح نافعة") and '"مخلص مصر' in quoted.text
