"""Bytes to text: declared, wrong and missing charsets; binary and empty input."""

import gzip

import pytest

from filter.decode import decode_html
from filter.errors import InputError

SAMPLES = {
    "shift_jis": "日本語の記事本文です。サム・アルトマン氏が復帰を検討している。",
    "euc-jp": "日本語の記事本文です。取締役会は声明を発表した。",
    "gb18030": "这是一篇中文新闻报道，县城家电销量回暖。",
    "big5": "這是一篇繁體中文的旅遊文章，台南美食散步。",
    "euc-kr": "전세사기 특별법이 국회 본회의를 통과했다.",
    "cp1251": "Проходческий щит дошёл до будущей станции метро.",
    "cp1252": "Le budget 2025 sera adopté sans vote, a annoncé la Première ministre.",
    "cp1250": "Zażółć gęślą jaźń — příliš žluťoučký kůň.",
}


def page(body: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize("charset", SAMPLES)
def test_meta_charset(charset):
    html = page(SAMPLES[charset], f'<meta charset="{charset}">').encode(charset)
    assert SAMPLES[charset] in decode_html(html)


@pytest.mark.parametrize("charset", SAMPLES)
def test_http_header_charset_wins(charset):
    html = page(SAMPLES[charset]).encode(charset)
    assert SAMPLES[charset] in decode_html(html, f"text/html; charset={charset}")


@pytest.mark.parametrize("charset", ["shift_jis", "euc-jp", "gb18030", "big5", "euc-kr", "cp1251"])
def test_undeclared_charset_is_detected(charset):
    text = " ".join([SAMPLES[charset]] * 6)
    assert SAMPLES[charset] in decode_html(page(text).encode(charset))


def test_wrong_declared_charset_falls_back_to_the_bytes():
    text = " ".join([SAMPLES["shift_jis"]] * 6)
    html = page(text, '<meta charset="utf-8">').encode("shift_jis")
    assert SAMPLES["shift_jis"] in decode_html(html)


def test_utf8_bom_and_utf16():
    assert "café" in decode_html("\ufeff<p>café</p>".encode("utf-8"))
    assert "日本" in decode_html("<p>日本</p>".encode("utf-16"))


@pytest.mark.parametrize("data,kind", [
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (gzip.compress(b"not html at all"), "gzip"),
    (bytes(range(256)) * 40, "NUL"),
], ids=["png", "pdf", "gzip", "random"])
def test_binary_input_is_refused(data, kind):
    with pytest.raises(InputError, match=kind) as info:
        decode_html(data)
    assert info.value.reason == "binary"


@pytest.mark.parametrize("data", [b"", b"   \n\t ", "  "], ids=["bytes", "whitespace", "str"])
def test_empty_input(data):
    with pytest.raises(InputError) as info:
        decode_html(data)
    assert info.value.reason == "empty"


def test_stray_nul_bytes_are_dropped():
    assert decode_html(b"<p>a\x00b</p>") == "<p>ab</p>"
