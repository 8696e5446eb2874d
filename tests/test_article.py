"""Article.from_dict: every bad shape is a DataError naming the article."""
import pytest

from araft.corpus.article import Article
from araft.errors import DataError


@pytest.mark.parametrize("bad, message", [
    ({"entities": 5}, "'entities' must be a list"),
    ({"entities": [{"start": 0, "end": 1, "label": "PERS", "score": "high"}]}, "score must be a number"),
    ({"entities": [{"start": 0, "end": 1, "label": " "}]}, "label must be a non-empty string"),
    ({"entities": [{"start": "0", "end": 1, "label": "PERS"}]}, "'start' must be an integer"),
    ({"sentences": [{"start": 0, "end": 2, "labels": "claim"}]}, "labels must be a list"),
    ({"sentences": [{"start": 0, "end": 2, "labels": ["claim", "claim"]}]}, "repeat"),
    ({"sentences": [{"start": 0, "end": 2, "scores": [1]}]}, "scores must be an object"),
])
def test_bad_shapes_are_data_errors(bad, message):
    with pytest.raises(DataError, match=message) as err:
        Article.from_dict({"id": "a1", "text": "نص قصير", **bad})
    assert "article 'a1'" in str(err.value)
