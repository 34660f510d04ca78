"""Reading time: CJK characters and Latin words counted apart; a page's own
words_per_minute gives Jekyll's (Minimal Mistakes') number."""

from __future__ import annotations

import pytest

from pelican.plugins.palimpsest.reading_time import count_text, jekyll_reading_minutes, reading_minutes

CHINESE = "申请居留卡的时候需要准备很多材料。" * 50  # 16 characters x 50 = 800
FRENCH = "Le renouvellement du titre de séjour se fait désormais en ligne. " * 40  # 11 words x 40 = 440
ENGLISH = "The residence permit is now renewed online through a single portal. " * 40  # 11 x 40 = 440
MIXED = "申请 titre de séjour 的步骤很简单，préfecture 会寄来 récépissé。"


def test_counts_scripts_separately() -> None:
    assert count_text(CHINESE) == (800, 0)
    assert count_text(FRENCH) == (0, 440)
    assert count_text(MIXED) == (11, 5)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [(CHINESE, 2), (FRENCH, 2), (ENGLISH, 2), (CHINESE + ENGLISH, 4), ("court", 1)],
)
def test_reading_minutes(text: str, minutes: int) -> None:
    assert reading_minutes(text) == minutes


def test_rates_are_configurable() -> None:
    assert reading_minutes(CHINESE, cjk_per_minute=160) == 5
    assert reading_minutes(ENGLISH, words_per_minute=110) == 4


def test_a_chinese_page_counts_as_a_few_words_for_jekyll() -> None:
    # Minimal Mistakes splits on whitespace: 800 Chinese characters without spaces are one "word".
    assert jekyll_reading_minutes(CHINESE, 20) == 0
    assert jekyll_reading_minutes(" ".join(["词"] * 100), 20) == 5
