"""A question among many unrelated passages, as in a real deployment: the answer in another
language or in other words still comes first, and junk or an absent subject gets no answer.

A handful of real-looking articles in English, Hindi and Indonesian sit among 120 made-up
council reports (240 passages about nothing the questions ask), every passage with its vector.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from index.library import Library
from index.models import ArticleDraft
from tests.made_up_news import Feed

ARTICLES = [
    ArticleDraft(
        origin="id-ekspor", lang="id", title="Ekspor Jawa Tengah naik",
        text="Badan Pusat Statistik mencatat nilai ekspor Jawa Tengah pada Oktober mencapai "
             "US$ 1,02 miliar, naik 4 persen dibanding bulan sebelumnya.",
    ),
    ArticleDraft(
        origin="id-cabai", lang="id", title="Harga cabai",
        text="Harga cabai rawit di pasar Semarang naik menjelang akhir tahun, kata pedagang.",
    ),
    ArticleDraft(
        origin="hi-baadh", lang="hi", title="मुंबई में बाढ़",
        text="मुंबई में भारी बारिश के बाद आई बाढ़ से 14 लोगों की मौत हो गई और कई सड़कें बंद रहीं।",
    ),
    ArticleDraft(
        origin="hi-loc", lang="hi", title="पुंछ में गोलीबारी",
        text="पाकिस्तान ने सुबह 11:20 बजे पुंछ जिले के कर्णी सेक्टर में संघर्षविराम तोड़कर "
             "गोलीबारी की।",
    ),
    ArticleDraft(  # कोरोना's key is Karni's: a key this common cannot tell the name apart
        origin="hi-corona", lang="hi", title="कोरोना के मामले",
        text="राज्य में कोरोना के 20 नए मामले मिले। कोरोना जांच के लिए नए केंद्र खुलेंगे।",
    ),
    ArticleDraft(
        origin="hi-corona-2", lang="hi", title="कोरोना टीका",
        text="कोरोना टीके की दूसरी खुराक अगले महीने से दी जाएगी।",
    ),
    ArticleDraft(
        origin="id-defisit", lang="id", title="Defisit anggaran",
        text='"Defisit anggaran tahun depan tetap di bawah 3 persen," kata Sri Mulyani di '
             "Jakarta, Senin.",
    ),
    ArticleDraft(
        origin="hi-chunav", lang="hi", title="चुनाव",
        text="चुनाव आयोग ने कहा कि अगले महीने तीन राज्यों में मतदान होगा।",
    ),
    ArticleDraft(
        origin="en-plant", lang="en", title="Carmaker cuts staff",
        text="The carmaker laid off 1,200 workers at its Pune plant after sales fell for a "
             "third quarter.",
    ),
    ArticleDraft(
        origin="en-port", lang="en", title="Port strike ends",
        text="Dock workers ended their strike after the port operator promised that no jobs "
             "would be lost and that pay would rise next year.",
    ),
    ArticleDraft(
        origin="en-rates", lang="en", title="Rates on hold",
        text="The central bank kept interest rates unchanged on Thursday, its governor said.",
    ),
]


async def _build(folder: Path) -> None:
    Feed.write(folder / "council.jsonl", 120)
    async with await Library.open(folder / "data", sample=False) as library:
        await library.ingest.paths([folder / "council.jsonl"])
        await library.ingest.drafts(ARTICLES)
        await library.embedding.run()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once for the module (embedding 250 passages takes a few seconds)."""
    folder = tmp_path_factory.mktemp("unrelated")
    asyncio.run(_build(folder))
    return folder / "data"


@pytest.fixture
async def corpus(data_dir: Path) -> AsyncIterator[Library]:
    async with await Library.open(data_dir, sample=False) as library:
        yield library


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # English over Indonesian: "Central Java" is "Jawa Tengah", "exports" "ekspor"
        ("How much were Central Java's exports worth in October?", "US$ 1,02 miliar"),
        # English over Hindi: Mumbai is मुंबई, the floods बाढ़, "killed" मौत हो गई
        ("How many people died in the Mumbai floods?", "14 लोगों की मौत"),
        # Hindi typed in Latin letters over a Hindi article
        ("mumbai mein baadh se kitne log mare", "14 लोगों की मौत"),
    ],
)
async def test_a_question_finds_its_answer_in_another_language(
    corpus: Library, question: str, answer: str
) -> None:
    reply = await corpus.ask(question, k=3)
    assert reply.quotes and answer in reply.quotes[0].text, [q.text for q in reply.quotes]


async def test_a_paraphrase_without_the_passages_words_finds_it(corpus: Library) -> None:
    """No content word of the question is in the answer ("lost their jobs" for "laid off")."""
    reply = await corpus.ask("How many employees lost their jobs at the car factory?", k=3)
    assert reply.quotes and "1,200 workers" in reply.quotes[0].text, [q.text for q in reply.quotes]


async def test_a_name_spelt_in_another_script_is_not_taken_for_an_absent_one(
    corpus: Library,
) -> None:
    """"Karni" is कर्णी in the Hindi article; its sound key is also कोरोना's, common here, so
    the key cannot prove the name is present, but it cannot prove it absent either."""
    reply = await corpus.ask("What time did Pakistan open fire in the Karni sector?", k=3)
    assert reply.quotes and "11:20" in reply.quotes[0].text, [q.text for q in reply.quotes]


async def test_what_someone_said_asked_in_slang_is_their_statement(corpus: Library) -> None:
    """"ngomong" (colloquial "say") is in no passage, so it is the question's rarest word;
    the answer is Sri Mulyani's statement all the same."""
    reply = await corpus.ask("sri mulyani ngomong apa soal defisit?", k=3)
    assert reply.quotes and "di bawah 3 persen" in reply.quotes[0].text, [
        q.text for q in reply.quotes]


@pytest.mark.parametrize(
    "question",
    [
        "egg freezing pros and cons",  # no word of it is in the corpus, in any form
        "powered by WordPress",
        "who won the rugby world cup?",  # a subject nobody wrote about
        "सचिन तेंदुलकर ने कितने शतक बनाए?",
    ],
)
async def test_junk_and_absent_subjects_get_no_answer(corpus: Library, question: str) -> None:
    reply = await corpus.ask(question, k=3)
    assert reply.no_answer and not reply.quotes, [q.text for q in reply.quotes]
