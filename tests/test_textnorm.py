"""Words and topic terms in every script: a script the fixtures lack must still have words."""

import pytest

from filter.textnorm import content_terms, ends_sentence, normalize, sentence_count, term_spans, token_count


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


def test_a_katakana_full_name_also_gives_each_name():
    """Japanese writes a foreign person in full once ("サム・アルトマン"), then by surname."""
    assert content_terms("サム・アルトマン氏") == {"サム・アルトマン", "サム", "アルトマン"}
    assert content_terms("ｻﾑ･ｱﾙﾄﾏﾝ") == {"サム・アルトマン", "サム", "アルトマン"}  # half-width forms
    assert "アルトマン" in content_terms("サム・アルトマン") & content_terms("アルトマン氏が復帰")


@pytest.mark.parametrize("text", ["サム・アルトマン氏は「OpenAI」に復帰, reinstated twice!", "東京都の吉田川・サム",
                                  "Doñana lagoons ・ア 출근길 지하철", ""])
def test_term_spans_give_the_content_terms(text):
    spans = term_spans(normalize(text))
    assert {term for _, _, term in spans} == content_terms(text)
    assert all(normalize(text)[start:end].startswith(term) for start, end, term in spans)


def test_danda_ends_a_word_not_part_of_it():
    assert "गिरावट" in content_terms("बाज़ार में गिरावट। फिर")
    assert token_count(normalize("बारिश हुई।")) == 2


@pytest.mark.parametrize("text, ends", [
    ("The council voted on Tuesday.", True),
    ("बारिश शुरू हुई।", True),  # danda
    ("هل انتهى الاجتماع؟", True),  # Arabic question mark
    ("ستنتهي الأعمال قريبا۔", True),  # Urdu full stop
    ("彼をサポートすると約束した”】", True),  # a quote closed, then a bracket
    ("Il a répondu : « Non »", True),
    ("【辛口オネエ】", False),  # a bracketed label is no sentence
    ("Foto: Jan Woitas (dpa)", False),
    ("Read more", False),
])
def test_ends_sentence_in_many_scripts(text, ends):
    assert ends_sentence(text) is ends


@pytest.mark.parametrize("text, count", [
    ("一つ目。二つ目！三つ目？", 3),  # CJK sentences run on without spaces
    ("पहला वाक्य। दूसरा वाक्य।", 2),
    ("Version 3.5 shipped. It works.", 2),  # a decimal point is no stop
    ("He said: \"Stop.\" Then left", 1),
])
def test_sentence_count_is_script_neutral(text, count):
    assert sentence_count(text) == count


def test_content_terms_of_a_huge_block_do_not_list_every_bigram():
    """A page may hold megabytes of Han text in one block: its terms are a set, built as read."""
    import tracemalloc

    tracemalloc.start()
    try:
        assert content_terms("漢字" * 200_000) == {"漢字", "字漢"}
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # a list of its 400,000 bigram spans took about 90 MB
