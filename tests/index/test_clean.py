"""Cleaning: page chrome goes, the title is returned apart, the article's own lines stay as is."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest.clean import Cleaned, clean_article
from index.ingest.readers import read_path
from index.library import sample_corpus
from index.models import ArticleDraft

HINDI_SEED = "000_b5a2195512b71870.txt"
INDONESIAN_SEED = "003_6984d136ec1c0c36.txt"

BODY_1 = "The minister said on Monday that the new port would open in the spring of next year."
BODY_2 = "The port will employ two thousand workers from the nearby towns and villages."


def read_seed(name: str) -> ArticleDraft:
    [draft] = list(read_path(sample_corpus() / name))
    assert isinstance(draft, ArticleDraft)
    return draft


def clean_seed(name: str) -> tuple[ArticleDraft, Cleaned]:
    draft = read_seed(name)
    return draft, clean_article(draft.text, draft.title)


def raw_lines(draft: ArticleDraft) -> list[str]:
    return [" ".join(line.split()) for line in draft.text.splitlines() if line.strip()]


def test_sample_corpus_holds_the_two_seeds() -> None:
    """The bundled sample folder holds the Hindi and the Indonesian seed with their sidecars."""
    names = sorted(p.name for p in Path(sample_corpus()).iterdir())
    assert HINDI_SEED in names and INDONESIAN_SEED in names
    assert HINDI_SEED.replace(".txt", ".meta.json") in names


# --- the Indonesian seed -------------------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    [
        "Sosial Media",
        "powered by Surfing Waves",
        "3 min read",
        "2-3 minutes",
        "Baca Juga:",
        "Komentar",
        "Additional JS",
        "Home Internet Microsoft Pilihan Twitter",
        "Ingin Cepat Kaya?",
        "- Malang Terkini",
    ],
)
def test_indonesian_seed_loses_page_chrome(junk: str) -> None:
    """Widgets, read-time lines, teasers, breadcrumbs and the outlet headline are removed."""
    _draft, cleaned = clean_seed(INDONESIAN_SEED)
    assert junk in read_seed(INDONESIAN_SEED).text  # it really was in the scrape
    assert junk not in cleaned.text


def test_indonesian_seed_lone_counter_and_menu_word_are_removed() -> None:
    """The lone "0" and "News" lines of the scrape do not survive as lines."""
    _draft, cleaned = clean_seed(INDONESIAN_SEED)
    lines = cleaned.text.split("\n")
    assert "0" not in lines and "News" not in lines


def test_indonesian_seed_title_is_returned_not_quoted() -> None:
    """The headline (and its "- Malang Terkini" echo) is the title and never a text line."""
    draft, cleaned = clean_seed(INDONESIAN_SEED)
    assert cleaned.title == draft.title
    assert cleaned.title is not None and cleaned.title.startswith("Twitter Tuduh Microsoft")
    for line in cleaned.text.split("\n"):
        assert not line.startswith("Twitter Tuduh Microsoft Gunakan Datanya")


def test_indonesian_seed_title_is_found_without_metadata() -> None:
    """With no title given, the repeated headline is recognised as the title (shortest form)."""
    draft = read_seed(INDONESIAN_SEED)
    cleaned = clean_article(draft.text)
    assert cleaned.title == (
        "Twitter Tuduh Microsoft Gunakan Datanya secara Tidak Benar, "
        "Platform Milik Elon Musk Ajukan Tuntutan"
    )
    assert "Malang Terkini\n" not in cleaned.text


def test_indonesian_seed_keeps_real_sentences_verbatim() -> None:
    """Every kept line is a whole line of the scrape, and the story's sentences are all there."""
    draft, cleaned = clean_seed(INDONESIAN_SEED)
    lines = cleaned.text.split("\n")
    assert set(lines) <= set(raw_lines(draft))
    assert lines[0].startswith("MALANG TERKINI – Twitter telah mengirim surat")
    assert lines[-1] == (
        "Platform iklan perusahaan digunakan oleh para pengiklan, untuk mengelola akun media "
        "sosial mereka, termasuk Twitter.***"
    )
    assert any(line.startswith("Microsoft menanggapi dengan menyatakan bahwa") for line in lines)
    assert len(lines) == 12


# --- the Hindi seed ------------------------------------------------------------------------


def test_hindi_seed_drops_the_related_article_teaser() -> None:
    """The trailing teaser for another story ("इंस्टाग्राम रोल आउट उपहार…") is not article text."""
    draft, cleaned = clean_seed(HINDI_SEED)
    assert "इंस्टाग्राम रोल आउट उपहार" in draft.text
    assert "इंस्टाग्राम" not in cleaned.text


def test_hindi_seed_title_line_is_not_in_the_text() -> None:
    """The headline line inside the Hindi scrape is removed; the sidecar title is returned."""
    draft, cleaned = clean_seed(HINDI_SEED)
    assert draft.title is not None and draft.title in draft.text
    assert cleaned.title == draft.title
    assert draft.title not in cleaned.text.split("\n")


def test_hindi_seed_keeps_real_sentences_verbatim() -> None:
    """All other lines of the Hindi scrape survive unchanged and in order."""
    draft, cleaned = clean_seed(HINDI_SEED)
    expected = [
        line for line in raw_lines(draft)
        if line != draft.title and not line.startswith("इंस्टाग्राम")
    ]
    assert cleaned.text.split("\n") == expected
    # a body line without a final danda, between real sentences, is still kept
    assert (
        "पिछले महीने माइक्रोसॉफ्ट ने अपने विज्ञापन प्लेटफॉर्म के ग्राहकों से कहा था कि वह ट्विटर को "
        "प्लेटफॉर्म से हटा देगा"
    ) in cleaned.text.split("\n")


# --- one rule at a time --------------------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    [
        "3 min read",
        "5 menit baca",
        "2-3 minutes",
        "Reading time: 4 minutes",
        "2 मिनट में पढ़ें",
        "Baca Juga: Harga beras naik lagi menjelang Lebaran",
        "Read also: Ten things to know about ports",
        "यह भी पढ़ें: शेयर बाजार में तेजी, सेंसेक्स 500 अंक चढ़ा",
        "powered by Blogger",
        "Komentar",
        "Share",
        "टिप्पणी",
        "Home > News > Business",
        "© 2023 Example Media",
        "12",
        "Sign up for CNN's Wonder Theory science newsletter. Explore the universe with news.",
        "Get our free weekly newsletter Sign up for CNN Opinion's newsletter.",
        "Support local journalism. Subscribe to azcentral.com today.",
        "The Short List is a snappy news roundup. Subscribe to the newsletter here.",
        '(You can get "5 Things You Need to Know Today" delivered to your inbox daily.)',
    ],
)
def test_boilerplate_line_is_removed_anywhere(junk: str) -> None:
    """A boilerplate line goes, whether it sits before, between or after the body lines."""
    for text in (f"{junk}\n{BODY_1}\n{BODY_2}", f"{BODY_1}\n{junk}\n{BODY_2}",
                 f"{BODY_1}\n{BODY_2}\n{junk}"):
        cleaned = clean_article(text)
        assert cleaned.text == f"{BODY_1}\n{BODY_2}", text


@pytest.mark.parametrize(
    "note",
    [
        "(This story has not been edited by Example staff and is auto-generated from a "
        "syndicated feed.)",
        "(यह आर्टिकल एजेंसी फीड से ऑटो-अपलोड हुआ है। इसे एक्जाम्पल.कॉम की टीम ने एडिट नहीं किया है।)",
    ],
)
def test_a_publishers_note_glued_to_the_last_line_is_cut(note: str) -> None:
    """The line stays, the syndicated-feed disclaimer at its end goes."""
    cleaned = clean_article(f"{BODY_1}\n{BODY_2}{note}")
    assert cleaned.text == f"{BODY_1}\n{BODY_2}"


def test_short_lead_lines_are_menus_and_the_last_is_the_title() -> None:
    """Short lines before the body are dropped and the last of them is taken as the headline."""
    cleaned = clean_article(f"World Sport Culture\nPort to open next spring\n{BODY_1}\n{BODY_2}")
    assert cleaned.title == "Port to open next spring"
    assert cleaned.text == f"{BODY_1}\n{BODY_2}"


def test_short_trailing_lines_without_a_sentence_end_are_dropped() -> None:
    """A teaser headline after the last body line is not article text."""
    cleaned = clean_article(f"{BODY_1}\n{BODY_2}\nTen things to know about ports")
    assert cleaned.text == f"{BODY_1}\n{BODY_2}"


def test_title_echo_with_outlet_suffix_is_removed() -> None:
    """A line repeating the given title, also as "Title - Outlet", is removed."""
    text = f"Port to open next spring - Example Times\n{BODY_1}\nPort to open next spring\n{BODY_2}"
    cleaned = clean_article(text, "Port to open next spring")
    assert cleaned.title == "Port to open next spring"
    assert cleaned.text == f"{BODY_1}\n{BODY_2}"


def test_repeated_line_is_kept_once_when_the_title_is_known() -> None:
    """A line that appears twice is kept the first time only."""
    cleaned = clean_article(f"{BODY_1}\n{BODY_2}\n{BODY_1}", "Port to open next spring")
    assert cleaned.text == f"{BODY_1}\n{BODY_2}"


def test_repeated_body_sentence_is_not_taken_for_the_title() -> None:
    """Without a title, a repeated full body sentence is still kept once and is not the title."""
    cleaned = clean_article(f"{BODY_1}\n{BODY_2}\n{BODY_1}")
    assert cleaned.title != BODY_1
    assert cleaned.text == f"{BODY_1}\n{BODY_2}"


def test_spaces_and_nbsp_are_collapsed_inside_a_line() -> None:
    """Runs of spaces and non-breaking spaces become one space; the words are unchanged."""
    cleaned = clean_article(
        "  The minister\u00a0said  on Monday that the port would open next year.  "
    )
    assert cleaned.text == "The minister said on Monday that the port would open next year."


def test_text_that_is_all_boilerplate_is_empty() -> None:
    """A scrape of nothing but chrome cleans to empty text."""
    assert clean_article("Home\nShare\n3 min read\nKomentar\n").text == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "Home sales fell sharply in March as mortgage rates climbed to a new high.",
        "Beranda rumah itu hancur diterjang banjir pada Senin malam kemarin.",
        "Copyright lawyers said the ruling would change how music is licensed.",
        "Share prices fell by 5 percent in early trading on Tuesday morning.",
        "News of the deal spread quickly through the town on Tuesday evening.",
        "Readers who subscribe to the paper's print edition will pay more from June.",
        "She said she had signed up for the newsletter after the floods.",
        "The report has not been edited by the ministry, the spokesman said on Monday.",
    ],
)
def test_real_sentence_starting_with_a_menu_word_is_kept(sentence: str) -> None:
    """A body sentence that merely starts with a word like Home/Share/News, or speaks of
    subscribing or of not being edited, is not boilerplate."""
    cleaned = clean_article(f"{BODY_1}\n{sentence}\n{BODY_2}")
    assert sentence in cleaned.text.split("\n")


def test_opening_sentence_that_starts_with_the_title_is_kept() -> None:
    """A body sentence that begins with the headline's words is article text, not an echo."""
    text = "Microsoft responds to the deal with a statement.\nIt said it would review the letter."
    cleaned = clean_article(text, title="Microsoft responds to the deal")
    assert "Microsoft responds to the deal with a statement." in cleaned.text
