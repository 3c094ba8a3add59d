"""The wording model reads the page's own topic words as one placeholder (filter/masking.py)."""

from filter.lexical import LexicalScorer
from filter.masking import TOPIC, document_frequency, masked_block_texts
from filter.segment import Block, Page


def page(title, *texts):
    return Page(blocks=[Block(text=t, kind="paragraph", group=i) for i, t in enumerate(texts)], title=title)


def openings(p, df=None, min_df=2, seen=False):
    return masked_block_texts(p, df or {}, min_df, seen, head=200, tail=50)[0]


ARTICLE = ("サム・アルトマン氏の解任を巡り、取締役会とグレッグ・ブロックマン氏の対立が続いている。"
           "関係者によると、アルトマン氏は新会社の設立を検討している。")


def test_topic_words_become_one_placeholder_and_other_words_stay():
    p = page("アルトマン氏の解任", ARTICLE, "サム・アルトマン、グレッグ・ブロックマンが講演", "写真：ロイター")
    caption, credit = openings(p)[1:]
    assert caption == f"{TOPIC}、{TOPIC}が講演"
    assert credit == "写真:ロイター"  # NFKC; the agency is not the page's topic


def test_latin_words_are_masked_whole_by_their_stem():
    p = page("Altman returns to OpenAI", "Altman's return to OpenAI was agreed on Tuesday by the board.",
             "Altman speaking at DevDay. Photo: Reuters")
    assert openings(p)[1] == f"{TOPIC} speaking at devday. photo: reuters"


def test_words_many_training_pages_use_are_kept():
    p = page("アルトマン氏の解任", ARTICLE, "アルトマン氏が講演")
    common = document_frequency([page("", "アルトマン")] * 2, 2)
    assert openings(p)[1].startswith(TOPIC)
    assert openings(p, common, min_df=2)[1].startswith("アルトマン")


def test_a_training_page_does_not_count_itself():
    """At fit time a page's own terms come off the counts: it is read as an unseen page is."""
    p = page("アルトマン氏の解任", ARTICLE, "アルトマン氏が講演")
    df = document_frequency([p, page("", "アルトマン")], 2)  # this page and one other
    assert openings(p, df, min_df=2, seen=False)[1].startswith("アルトマン")
    assert openings(p, df, min_df=2, seen=True)[1].startswith(TOPIC)


def test_document_frequency_is_exact_and_keeps_only_common_terms():
    """Counted by term, not by hashed bucket: a rare term never passes for a common one."""
    pages = [page("", "アルトマン 出典"), page("", "出典 写真"), page("", "出典")]
    assert document_frequency(pages, 2) == {"出典": 3}
    assert document_frequency(pages, 1) == {"出典": 3, "アルトマン": 1, "写真": 1}


def test_a_block_is_not_its_own_topic():
    p = page("", ARTICLE, "グレッグ・ブロックマンは語った。")  # no title: the topic is the long block
    assert openings(p)[0].startswith("サム・アルトマン")
    assert openings(p)[1].startswith(TOPIC)


def test_in_a_run_of_ideographs_a_common_word_stays_whole():
    p = page("吉田川の氾濫", "吉田川が氾濫し、郡上市八幡町で浸水被害が出た。住民は避難している。", "画像出典：吉田川河川事務所",
             "出雲大社会館")
    common = document_frequency([page("", "出典 画像 社会")] * 3, 2)
    assert openings(p, common)[1] == f"画像出典:{TOPIC}河川事務所"
    p.title = "出雲大社の遷宮"
    assert openings(p, common)[2] == f"{TOPIC}社会館"


def test_the_wording_model_reads_a_caption_alike_whatever_names_it_carries():
    def caption_vector(title, article, caption):
        p = page(title, article, caption)
        scorer = LexicalScorer(n_folds=1).fit([(p, 0), (p, 1)], ["body", "other"])
        return scorer._vectorize([(p, 1)]).toarray()

    a = caption_vector("アルトマン氏の解任", ARTICLE, "サム・アルトマン、グレッグ・ブロックマンが講演")
    b = caption_vector("ナデラ氏の発表", ARTICLE.replace("サム・アルトマン", "サティア・ナデラ")
                       .replace("アルトマン", "ナデラ").replace("グレッグ・ブロックマン", "ケヴィン・スコット"),
                       "サティア・ナデラ、ケヴィン・スコットが講演")
    assert (a == b).all()
