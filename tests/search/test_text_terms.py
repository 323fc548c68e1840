"""An incident's document is made again on every merge; each text in it is tokenised once
(app.search.document.text_terms), so a merge does not cost more as the incident gains sources."""

from __future__ import annotations

from collections import Counter

import pytest

from app.search import document


@pytest.fixture
def tokenised(monkeypatch):
    document._cached_terms.cache_clear()
    seen: Counter = Counter()
    real = document.lemma_readings

    def counting(text: str):  # noqa: ANN202
        seen[text] += 1
        return real(text)

    monkeypatch.setattr(document, "lemma_readings", counting)
    yield seen
    document._cached_terms.cache_clear()


def test_each_text_is_tokenised_once_however_often_the_document_is_made(tokenised):
    texts = [f"株式会社テスト{n}は不正アクセスにより顧客{n}名のカード情報が漏洩したと発表した。" for n in range(5)]
    docs = [document.index_document(["株式会社テスト"], texts[:k]) for k in range(1, 6)]
    assert set(tokenised.values()) == {1} and len(tokenised) == 5
    # the same terms as made without the cache, in the same order
    document._cached_terms.cache_clear()
    again = document.index_document(["株式会社テスト"], texts)
    assert again == docs[-1]
    body = [t for text in texts for t in document._terms(document.nfkc(text))[0]]
    assert docs[-1].body == body


def test_a_text_too_long_to_keep_is_tokenised_each_time(tokenised, monkeypatch):
    monkeypatch.setattr(document, "TEXT_TERMS_MAX_CHARS", 10)
    long = "不正アクセスにより個人情報が漏洩した。"
    document.index_document([], [long])
    document.index_document([], [long])
    assert tokenised[long] == 2
