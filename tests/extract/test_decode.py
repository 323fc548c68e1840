"""Decoding: encodings are detected, never assumed; bad input fails with a clear reason."""
from __future__ import annotations

import codecs

import pytest

from app.extract import DecodeError, decode_bytes, parse_bytes
from app.extract.decode import html_to_text

TEXT = (
    "株式会社ミナモト商会 不正アクセスに関するお詫びとお知らせ 2023年4月1日\n"
    "このたび、弊社が運営する「ミナモト公式ストア」におきまして、お客様のクレジットカード情報(1,234件)が"
    "漏洩した可能性があることが判明いたしました。ご迷惑をおかけしますことを深くお詫び申し上げます。\n"
)


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("cp932", TEXT.encode("cp932")),
        ("shift_jis", TEXT.encode("shift_jis")),
        ("euc_jp", TEXT.encode("euc_jp")),
        ("utf-16", TEXT.encode("utf-16")),
        ("utf-16-le", TEXT.encode("utf-16-le")),
        ("utf-16-be", TEXT.encode("utf-16-be")),
    ],
)
def test_encodings(encoding: str, data: bytes) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert decoded.format == "text"


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp"])
def test_short_japanese_is_not_misdetected(encoding: str) -> None:
    for text in ("漏えい", "個人情報の流出について", "カード情報1,938件"):
        assert decode_bytes(text.encode(encoding)).text == text


def test_html_visible_text() -> None:
    html = (
        '<!DOCTYPE html><html><head><meta charset="shift_jis"><title>お知らせ</title>'
        "<style>p{color:red}</style><script>var a='流出';</script></head><body>"
        "<nav>ホーム | 会社概要</nav><header>ロゴ</header>"
        "<h1>不正アクセスに関するお詫び</h1><p>顧客情報1,200件が<b>流出</b>しました。</p><div>以上</div>"
        "<footer>Copyright</footer></body></html>"
    )
    decoded = decode_bytes(html.encode("cp932"), filename="notice.html")
    assert decoded.format == "html"
    assert "不正アクセスに関するお詫び\n" in decoded.text
    assert "顧客情報1,200件が流出しました。" in decoded.text
    for hidden in ("var a", "color:red", "ホーム", "Copyright", "ロゴ"):
        assert hidden not in decoded.text


@pytest.mark.parametrize("html, text", [
    ("<p>一行目<br>二行目<br/>三行目</p>", "一行目\n二行目\n三行目\n"),  # a <br> ends a line, once
    ("<div>見出し</div><p>本文</p>", "見出し\n\n本文\n"),  # a block is a paragraph of its own
    ("<p>A&amp;B社&nbsp;&lt;お知らせ&gt; &#x7B2C;2&#22577;</p>", "A&B社 <お知らせ> 第2報\n"),  # entities
    ("<p>\n    弊社は   お詫び\t申し上げます。  </p>", "弊社は お詫び 申し上げます。\n"),  # spaces as shown
    ("<head><title>題</title></head><body><p>本文<button>送信</button></p><form>検索</form></body>", "本文\n"),
    ("<p>途中<script>alert('x')</script>で<style>p{}</style>終わる</p><template>雛形</template>", "途中で終わる\n"),
])
def test_html_to_text_as_a_reader_sees_it(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_html_sniffed_without_name() -> None:
    decoded = decode_bytes("<html><body><p>漏えいのお知らせ</p></body></html>".encode())
    assert decoded.format == "html"
    assert decoded.text.strip() == "漏えいのお知らせ"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "binary data (NUL bytes)"),
    ],
)
def test_bad_input(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=r"^" + reason.replace("(", r"\(").replace(")", r"\)")):
        decode_bytes(data)


def test_too_large() -> None:
    with pytest.raises(DecodeError, match=r"too large: 2048 bytes > 1024"):
        decode_bytes(b"a" * 2048, max_bytes=1024)


def test_undecodable() -> None:
    # Bytes that are valid in no Japanese encoding we read.
    with pytest.raises(DecodeError, match="undecodable"):
        decode_bytes(bytes([0x80, 0xFF, 0xFE, 0x81, 0xFF, 0x7F, 0xFD]) * 50)


def test_parse_bytes() -> None:
    decoded, incidents = parse_bytes(TEXT.encode("euc_jp"))
    assert decoded.encoding in ("euc_jp", "euc-jp")
    assert incidents[0].card_records == 1234


def test_html_notice_end_to_end() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        "<title>お知らせ | ミナモト商会</title></head><body>"
        "<header><nav><a href='/'>トップ</a> <a href='/news'>ニュース 2020年1月1日</a></nav></header>"
        "<main><h1>不正アクセスによる個人情報漏えいに関するお詫び</h1>"
        "<p class='date'>2023年4月1日</p><p>株式会社ミナモト商会</p>"
        "<p>このたび、弊社が運営する「ミナモト公式ストア」において、お客様のクレジットカード情報(1,234件)が"
        "漏洩した可能性があることが判明いたしました。</p>"
        "<p>2022年11月2日、カード会社から連絡を受け、同日カード決済を停止しました。</p></main>"
        "<footer>Copyright 2023 ミナモト商会</footer></body></html>"
    )
    decoded, [inc] = parse_bytes(html.encode("cp932"), filename="notice.htm")
    assert decoded.format == "html"
    assert inc.organization == "株式会社ミナモト商会"
    assert inc.disclosed_on is not None and inc.disclosed_on.isoformat() == "2023-04-01"
    assert inc.discovered_on is not None and inc.discovered_on.isoformat() == "2022-11-02"
    s, e = inc.evidence["card_records"]
    assert decoded.text[s:e] == "1,234件"


def test_an_html_table_s_row_is_one_line_of_cells() -> None:
    html = (
        "<html><body><p>今月の公表事案</p><table><tr><th>発表日</th><th>組織</th><th>概要</th></tr>"
        "<tr><td>7/3</td><td>株式会社ミカサ楽器</td><td>カード情報<br>1,893件流出の可能性</td></tr>"
        "<tr><td>7/6</td><td>栗原台市</td><td>名簿を紛失</td></tr></table></body></html>"
    )
    text = html_to_text(html)
    assert "発表日 | 組織 | 概要\n" in text
    assert "7/3 | 株式会社ミカサ楽器 | カード情報 1,893件流出の可能性\n" in text  # a <br> inside a cell keeps the row
    assert "7/6 | 栗原台市 | 名簿を紛失" in text
