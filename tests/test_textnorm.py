"""Words and topic terms in every script: a script the fixtures lack must still have words."""

import pytest

from filter.textnorm import content_terms, normalize, token_count


@pytest.mark.parametrize("text, words", [
    ("उत्तराखंड की चारधाम यात्रा के लिए पंजीकरण", 7),  # Devanagari: vowel signs are combining marks
    ("ভারতের রাজধানী দিল্লিতে", 3),  # Bengali
    ("the guardian 2025", 3),
    ("東京都", 3),  # one token per ideograph
])
def test_token_count_keeps_words_whole(text, words):
    assert token_count(normalize(text)) == words


def test_content_terms_in_scripts_with_combining_marks():
    assert {"चारधाम", "यात्रा"} <= content_terms("उत्तराखंड की चारधाम यात्रा के लिए")
    assert "தமிழ்ந" in content_terms("தமிழ்நாட்டில் மழை")
    assert content_terms("Doñana lagoons") == {"doñana", "lagoon"}
    assert {"東京", "京都"} <= content_terms("東京都")
