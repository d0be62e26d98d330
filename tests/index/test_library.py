"""The library end to end on a real data dir: the seeds answer questions with verbatim quotes,
boilerplate is never quoted, and the search index recovers from crashes and damage by itself."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from index.corpus.indexing import INDEX_ID
from index.errors import BadQuestion, NotFound
from index.library import DB_NAME, INDEX_DIR, Library, sample_corpus
from index.models import SAMPLE, ArticleDraft
from index.store.schema import index_state
from tests.made_up_news import Feed, kill_mid_ingest
from tests.ordering import in_answer_order

REPO = Path(__file__).resolve().parents[2]

SEED_QUESTIONS = [
    "what did Microsoft say?",
    "माइक्रोसॉफ्ट ने क्या कहा?",
    "Apa kata Microsoft?",
    "microsoft ne kya kaha",
    "Elon Musk 44 billion",
    "Satya Nadella letter",
    "Twitter data agreement",
    "Malang Terkini powered by Surfing Waves",
    "Komentar Additional JS",
    "Baca Juga Egg Freezing",
    "min read minutes",
]
BOILERPLATE = ("powered by", "Baca Juga", "min read", "Komentar", "Additional JS", "Sosial Media",
               "Egg Freezing", "इंस्टाग्राम", "2-3 minutes")


async def all_quotes(library: Library, questions=SEED_QUESTIONS, **options):
    out = []
    for question in questions:
        answer = await library.ask(question, **options)
        out.append(answer)
    return out


# --- opening -------------------------------------------------------------------------------


async def test_first_open_of_an_empty_dir_ingests_the_seeds(tmp_path: Path) -> None:
    """A new data dir gets the two bundled seed articles, indexed, on first open only."""
    async with await Library.open(tmp_path, sample=True) as library:
        assert await library.store.count_articles() == 2
        passages = await library.store.count_passages()
        assert passages > 0
        assert library.engine.num_docs() == passages
        assert sorted(await library.languages()) == ["hi", "id"]
        assert (tmp_path / DB_NAME).is_file() and (tmp_path / INDEX_DIR).is_dir()
    async with await Library.open(tmp_path, sample=True) as library:
        assert await library.store.count_articles() == 2
        assert library.engine.num_docs() == passages


async def test_open_without_sample_stays_empty(tmp_path: Path) -> None:
    """With sample=False a new corpus holds nothing and every question has no answer."""
    async with await Library.open(tmp_path, sample=False) as library:
        assert await library.store.count_articles() == 0
        answer = await library.ask("what did Microsoft say?")
        assert answer.no_answer and answer.quotes == ()


async def test_the_sample_is_a_starter_for_whoever_has_nothing_yet(tmp_path: Path) -> None:
    """The sample answers on a new corpus; once the shared collection has its own article the
    command line no longer sees it, but a server with nothing of its own (and the shared
    collection turned off) still does, and it is never loaded twice."""
    async with await Library.open(tmp_path, sample=True) as library:
        assert SAMPLE in (await library.scope()).collections
        assert not (await library.ask("what did Microsoft say?")).no_answer
        record = {"text": "The harbour authority said the ferry resumes on Monday.",
                  "url": "https://news.example/ferry"}
        report = await library.ingest.upload("own.jsonl", json.dumps(record).encode())
        assert SAMPLE not in (await library.scope()).collections
        assert all(q.article_id == report.added[0]
                   for q in (await library.ask("what did Microsoft say ferry")).quotes)
        await library.servers.set_search_shared(1234, False)
        alone = await library.scope(1234)
        assert SAMPLE in alone.collections
        answer = await library.ask("what did Microsoft say?", scope=alone)
        assert answer.quotes and all(q.article_id != report.added[0] for q in answer.quotes)
    async with await Library.open(tmp_path, sample=True) as library:
        assert await library.store.count_articles() == 3


async def test_ingest_progress_has_totals_for_every_phase(
    tmp_path: Path, corpus_dir: Path
) -> None:
    """Progress bars are asked for with a total: bytes to read, then passages to index and to
    read statements from."""
    bars: list[tuple[str, int | None, str, list[int]]] = []

    class Bar:
        def __init__(self, phase: str, total: int | None, unit: str) -> None:
            self.counts: list[int] = []
            bars.append((phase, total, unit, self.counts))

        def update(self, n: int = 1) -> None:
            self.counts.append(n)

        def note(self, text: str) -> None:
            pass

        def close(self) -> None:
            pass

    async with await Library.open(tmp_path, sample=False) as library:
        await library.ingest.paths([corpus_dir], progress=Bar)
        passages = await library.store.count_passages()
    (reading, read_total, read_unit, read), *derived = bars
    size = sum(p.stat().st_size for p in corpus_dir.rglob("*") if p.is_file()
               and not p.name.endswith(".meta.json"))
    assert (reading, read_unit, read_total) == ("reading", "B", size) and sum(read) == size
    assert [(phase, total, sum(done)) for phase, total, _unit, done in derived] == [
        ("indexing", passages, passages), ("statements", passages, passages)]


async def test_sample_corpus_folder_is_packaged() -> None:
    """sample_corpus() points at a folder holding the seed .txt files."""
    assert len(list(sample_corpus().glob("*.txt"))) == 2


# --- asking the seeds ----------------------------------------------------------------------


async def test_microsoft_statement_from_the_indonesian_seed_is_a_top_result(
    library: Library,
) -> None:
    """"what did Microsoft say?" quotes Microsoft's response from the Indonesian article."""
    answer = await library.ask("what did Microsoft say?", k=5)
    assert not answer.no_answer
    assert answer.speaker == "Microsoft"
    top = [q.text for q in answer.quotes[:3]]
    assert any(text.startswith("Microsoft menanggapi dengan menyatakan") for text in top)
    assert answer.quotes[0].text.startswith("Microsoft")


@pytest.mark.parametrize(
    "question", ["माइक्रोसॉफ्ट ने क्या कहा?", "Apa kata Microsoft?", "microsoft ne kya kaha"]
)
async def test_statement_question_in_any_language_finds_both_seeds(
    library: Library, question: str
) -> None:
    """Asked in Hindi, Indonesian or romanised Hindi, the answer quotes both seed articles."""
    answer = await library.ask(question, k=5)
    assert {q.lang for q in answer.quotes} == {"hi", "id"}
    assert any("Microsoft menanggapi dengan menyatakan" in q.text for q in answer.quotes)


async def test_unrelated_question_has_no_answer(library: Library) -> None:
    """A question the corpus cannot answer says so, with no results at all."""
    answer = await library.ask("What is the weather in Paris tomorrow?")
    assert answer.no_answer
    assert answer.quotes == ()


async def test_question_of_stop_words_only_has_no_answer(library: Library) -> None:
    """A question with nothing to search for after stop words is a plain no-answer."""
    answer = await library.ask("the and of")
    assert answer.no_answer and answer.quotes == ()


@pytest.mark.parametrize("question", ["", "   ", "x" * 5000])
async def test_unsearchable_question_raises(library: Library, question: str) -> None:
    """Empty and over-long questions raise BadQuestion from ask."""
    with pytest.raises(BadQuestion):
        await library.ask(question)


async def test_boilerplate_is_never_quoted(library: Library) -> None:
    """Whatever is asked, no quote holds page chrome or the headline."""
    titles = set()
    for answer in await all_quotes(library):
        for quote in answer.quotes:
            for junk in BOILERPLATE:
                assert junk not in quote.text, (answer.query, quote.text)
            if quote.title:
                titles.add(quote.title)
                assert quote.text != quote.title
    assert titles, "the questions should have quoted something"


async def test_quotes_are_verbatim_passages_of_the_clean_text(library: Library) -> None:
    """Each quote is a stored passage, sliced exactly out of its article's clean text."""
    for answer in await all_quotes(library):
        assert in_answer_order((q.article_id, q.score) for q in answer.quotes)
        assert len(answer.quotes) <= 5
        for quote in answer.quotes:
            article = await library.article(quote.article_id)
            passages = {p.id: p for p in await library.passages(quote.article_id)}
            passage = passages[quote.passage_id]
            assert quote.text == passage.text == article.clean_text[passage.start : passage.end]


async def test_one_article_does_not_fill_the_answer(tmp_path: Path) -> None:
    """A long article that matches a question in every paragraph gives two quotes; the third
    goes to the other outlet's report of the same story, though it matches less."""
    long_one = "\n\n".join([
        "The Zanzibar ferry strike entered its third day as the harbour stayed closed to "
        "passenger boats and tourists waited on the quay in Stone Town.",
        "Ferry crews in Zanzibar say the strike will go on until owners raise wages that have "
        "not changed since the new fuel levy was introduced two years ago.",
        "Island traders said the ferry strike had cut deliveries of fruit, so Zanzibar market "
        "prices rose sharply during the week according to the chamber of commerce.",
        "The ministry asked both sides of the Zanzibar ferry strike to meet a mediator on "
        "Friday, and police said the protest at the port remained peaceful.",
    ])
    short_one = "Crews of the Zanzibar ferry stopped work over pay, a union official said."
    async with await Library.open(tmp_path, sample=False) as library:
        await library.ingest.drafts([
            ArticleDraft(text=long_one, origin="wire", lang="en", title="Ferry strike"),
            ArticleDraft(text=short_one, origin="local", lang="en", title="Union news"),
        ])
        answer = await library.ask("Zanzibar ferry strike", k=3)
    outlets = [q.article_id for q in answer.quotes]
    assert len(outlets) == 3 and len(set(outlets[:2])) == 1 and outlets[2] != outlets[0]


async def test_k_limits_the_number_of_quotes(library: Library) -> None:
    """ask(k=n) gives at most n quotes, and the first of them are ask(k=5)'s first ones."""
    five = await library.ask("Satya Nadella letter", k=5)
    two = await library.ask("Satya Nadella letter", k=2)
    assert len(two.quotes) == 2
    assert [q.passage_id for q in two.quotes] == [q.passage_id for q in five.quotes[:2]]


@pytest.mark.parametrize("lang", ["hi", "id"])
async def test_lang_filter_limits_quotes_to_one_language(library: Library, lang: str) -> None:
    """ask(lang=...) quotes only articles in that language."""
    answer = await library.ask("what did Microsoft say?", lang=lang)
    assert answer.quotes
    assert {q.lang for q in answer.quotes} == {lang}


async def test_source_filter_limits_quotes_to_one_outlet(library: Library) -> None:
    """ask(source=...) quotes only that outlet, whatever the letter case."""
    answer = await library.ask("what did Microsoft say?", source="malang terkini")
    assert answer.quotes
    assert {q.source for q in answer.quotes} == {"Malang Terkini"}
    with pytest.raises(BadQuestion, match=r"no outlet is called 'Nobody'.*Malang Terkini"):
        await library.ask("what did Microsoft say?", source="Nobody")


async def test_both_engines_give_the_same_answers(tmp_path: Path) -> None:
    """The library on rank-bm25 quotes the same passages, in the same order, as on tantivy."""
    answers = {}
    for engine in ("tantivy", "rank-bm25"):
        async with await Library.open(tmp_path / engine, engine=engine) as library:
            answers[engine] = await all_quotes(library, SEED_QUESTIONS[:7])
    for ours, reference in zip(answers["tantivy"], answers["rank-bm25"], strict=True):
        assert [q.passage_id for q in ours.quotes] == [q.passage_id for q in reference.quotes]
        assert np.allclose([q.score for q in ours.quotes], [q.score for q in reference.quotes],
                           rtol=0.05)


async def test_near_duplicate_passages_are_quoted_once(tmp_path: Path) -> None:
    """The same story syndicated by two outlets is quoted once, not twice."""
    text = ("The harbour authority said the container terminal would close for repairs in June. "
            "Shipping lines were told to send their vessels to the northern port instead.")
    records = [
        {"url": "https://one.example/port", "source": "One", "lang": "en", "text": text},
        {"url": "https://two.example/port", "source": "Two", "lang": "en",
         "text": text.replace("in June", "in early June")},
    ]
    async with await Library.open(tmp_path, sample=False) as library:
        data = "\n".join(json.dumps(r) for r in records).encode()
        report = await library.ingest.upload("syndicated.jsonl", data)
        assert len(report.added) == 2
        question = "container terminal repairs harbour"
        hits = library.engine.search(
            (await _plan(library, question)).query, 10
        )
        assert len({h.article_id for h in hits}) == 2  # both copies match
        answer = await library.ask(question)
        assert len(answer.quotes) == 1


async def _plan(library: Library, question: str):
    from index.search.answer import plan_searches
    from index.search.query import parse_question

    [plan] = plan_searches(parse_question(question), await library.languages(), library.ranking)
    return plan


async def test_quote_links_point_at_the_passage(tmp_path: Path) -> None:
    """A quote from an article with a URL carries a text-fragment link; without a URL, none."""
    async with await Library.open(tmp_path, sample=True) as library:
        record = {"url": "https://wire.example/port?id=7", "lang": "en",
                  "text": "The harbour authority said the container terminal would close."}
        await library.ingest.upload("port.jsonl", json.dumps(record).encode())
        answer = await library.ask("harbour container terminal")
        [quote] = [q for q in answer.quotes if q.url]
        assert quote.link is not None
        assert quote.link.startswith("https://wire.example/port?id=7#:~:text=")
        seeds = await library.ask("what did Microsoft say?")
        assert all(q.link is None for q in seeds.quotes if q.url is None)


async def test_context_gives_neighbouring_passages(library: Library) -> None:
    """context() returns a passage with the passages before and after it ('' at the edges)."""
    answer = await library.ask("what did Microsoft say?")
    quote = answer.quotes[0]
    passage, before, after = await library.context(quote.passage_id)
    passages = await library.passages(quote.article_id)
    index = [p.id for p in passages].index(quote.passage_id)
    assert passage.text == quote.text
    assert before == (passages[index - 1].text if index > 0 else "")
    assert after == (passages[index + 1].text if index + 1 < len(passages) else "")
    _first, before, _ = await library.context(passages[0].id)
    assert before == ""


@pytest.mark.parametrize("ident", ["a000000000ff:0", "nonsense", "a000000000ff:x"])
async def test_unknown_passage_or_article_raises_not_found(library: Library, ident: str) -> None:
    """Looking up an id that is not stored raises NotFound naming it."""
    with pytest.raises(NotFound):
        await library.context(ident)
    with pytest.raises(NotFound, match="a000000000ff"):
        await library.article("a000000000ff")


# --- keeping the index in step -------------------------------------------------------------


async def test_reindex_returns_passage_count_and_keeps_answers(library: Library) -> None:
    """reindex rebuilds from the store, returns the passage count, and answers do not change."""
    before = [a.to_json() for a in await all_quotes(library)]
    count = await library.reindex()
    assert count == await library.store.count_passages() == library.engine.num_docs()
    after = [a.to_json() for a in await all_quotes(library)]
    assert after == before


async def test_index_catches_up_after_a_kill_mid_ingest(tmp_path: Path) -> None:
    """After SIGKILL in the middle of a big ingest, open indexes exactly what the store holds."""
    data = tmp_path / "data"
    kill_mid_ingest(tmp_path, data)

    async with await Library.open(data, sample=False) as library:
        stored = await library.store.count_articles()
        assert 150 <= stored < 3020, "killed mid-ingest"
        assert library.engine.num_docs() == await library.store.count_passages()
        async with library.store.engine.connect() as conn:
            last_id, last_text = (await conn.execute(text(
                "SELECT id, clean_text FROM articles ORDER BY rowid DESC LIMIT 1"
            ))).one()
        word = next(w for w in (Feed.word(i) for i in range(stored + 5)) if w in last_text)
        answer = await library.ask(word)
        assert answer.quotes and answer.quotes[0].article_id == last_id
        # nothing of the killed run is half-stored: every article has both its passages
        async with library.store.engine.connect() as conn:
            assert await conn.scalar(text(
                "SELECT COUNT(*) FROM articles a"
                " WHERE (SELECT COUNT(*) FROM passages p WHERE p.article_id = a.id) != 2"
            )) == 0


async def test_deleted_index_folder_is_rebuilt_on_open(tmp_path: Path) -> None:
    """With the tantivy folder deleted, the next open re-indexes every stored passage."""
    import shutil

    async with await Library.open(tmp_path, sample=True) as library:
        passages = await library.store.count_passages()
    shutil.rmtree(tmp_path / INDEX_DIR)
    async with await Library.open(tmp_path, sample=True) as library:
        assert library.engine.num_docs() == passages
        assert not (await library.ask("what did Microsoft say?")).no_answer


async def test_corrupt_index_is_rebuilt_on_open(tmp_path: Path) -> None:
    """With junk in the index's meta.json, open rebuilds the index from the store."""
    async with await Library.open(tmp_path, sample=True) as library:
        passages = await library.store.count_passages()
        before = (await library.ask("what did Microsoft say?")).to_json()
    (tmp_path / INDEX_DIR / "meta.json").write_text("{ this is not json", encoding="utf-8")
    async with await Library.open(tmp_path, sample=True) as library:
        assert library.engine.num_docs() == passages
        assert (await library.ask("what did Microsoft say?")).to_json() == before


async def test_an_index_of_an_older_schema_is_rebuilt_on_open(tmp_path: Path) -> None:
    """An index written by an older storybot (here: without the collection field) does not
    open with today's schema, so it is rebuilt from the store rather than searched wrongly."""
    import tantivy

    async with await Library.open(tmp_path, sample=True) as library:
        passages = await library.store.count_passages()
    index_dir = tmp_path / INDEX_DIR
    index_id = (index_dir / "storybot-index-id").read_text()
    shutil.rmtree(index_dir)
    index_dir.mkdir()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("terms", tokenizer_name="whitespace")
    tantivy.Index(builder.build(), path=str(index_dir), reuse=True)
    (index_dir / "storybot-index-id").write_text(index_id)
    async with await Library.open(tmp_path, sample=True) as library:
        assert library.engine.num_docs() == passages
        assert not (await library.ask("what did Microsoft say?")).no_answer


async def test_index_drops_articles_deleted_from_the_store(tmp_path: Path) -> None:
    """An article deleted from the store behind the index's back leaves the index on next open."""
    async with await Library.open(tmp_path, sample=True) as library:
        answer = await library.ask("Apa kata Microsoft?", lang="id")
        victim = answer.quotes[0].article_id
        assert await library.store.delete_article(victim)
        async with library.store.engine.connect() as conn:
            assert await conn.scalar(text(
                "SELECT COUNT(*) FROM index_state WHERE article_id = :a"), {"a": victim}
            ) == 1  # the ledger still lists it
    async with await Library.open(tmp_path, sample=True) as library:
        assert library.engine.num_docs() == await library.store.count_passages()
        assert library.engine.num_docs(lang="id") == 0
        async with library.store.engine.connect() as conn:
            assert await conn.scalar(text("SELECT COUNT(*) FROM index_state")) == 1
        answer = await library.ask("Apa kata Microsoft?")
        assert all(q.article_id != victim for q in answer.quotes)


async def test_sync_after_store_changes_updates_the_index(library: Library) -> None:
    """sync() reports how many articles it brought up to date, and then has nothing left to do."""
    record = {"url": "https://x.example/a", "lang": "en",
              "text": "A brand new article arrives about the harbour terminal today."}
    await library.ingest.upload("a.jsonl", json.dumps(record).encode())
    assert await library.search.sync() == 0
    await library.store.reset_ledger(index_state, INDEX_ID, await library.store.get_meta(INDEX_ID))
    assert await library.search.sync() == await library.store.count_articles()
    assert library.engine.num_docs() == await library.store.count_passages()


async def test_articles_added_under_another_engine_reach_the_index(tmp_path: Path) -> None:
    """An ingest run with the in-memory engine is indexed on the next tantivy start."""
    data = tmp_path / "data"
    library = await Library.open(data, sample=False)
    await library.close()
    record = {"text": "The harbour authority said the zanzibar ferry resumes on Monday."}
    other = await Library.open(data, engine="rank-bm25", sample=False)
    try:
        await other.ingest.upload("late.jsonl", json.dumps(record).encode())
    finally:
        await other.close()
    library = await Library.open(data, sample=False)
    try:
        answer = await library.ask("zanzibar ferry")
    finally:
        await library.close()
    assert answer.quotes and "zanzibar" in answer.quotes[0].text


async def test_index_from_another_store_is_replaced(tmp_path: Path) -> None:
    """An index folder that belongs to another database is rebuilt, not trusted."""
    first, second = tmp_path / "one", tmp_path / "two"
    for folder, word in ((first, "zanzibar"), (second, "timbuktu")):
        library = await Library.open(folder, sample=False)
        text = f"The harbour authority said the {word} ferry resumes on Monday."
        await library.ingest.upload("a.jsonl", json.dumps({"text": text}).encode())
        await library.close()
    shutil.rmtree(second / "index")
    shutil.copytree(first / "index", second / "index")
    library = await Library.open(second, sample=False)
    try:
        assert not (await library.ask("zanzibar ferry")).quotes
        assert (await library.ask("timbuktu ferry")).quotes
    finally:
        await library.close()


async def test_copy_without_url_keeps_the_url_and_edits_still_update(tmp_path: Path) -> None:
    """Re-ingesting an article's text without its URL keeps the URL; a later edit updates it."""
    library = await Library.open(tmp_path, sample=False)
    try:
        text = "The harbour authority said the ferry resumes on Monday after repairs."
        url = "https://news.example/ferry"
        record = json.dumps({"text": text, "url": url}).encode()
        first = await library.ingest.upload("a.jsonl", record)
        copy = await library.ingest.upload("copy.txt", text.encode())
        edited = await library.ingest.upload(
            "b.jsonl", json.dumps({"text": text + " Tickets are on sale.", "url": url}).encode()
        )
        article = await library.article(first.added[0])
    finally:
        await library.close()
    assert copy.skipped == first.added and edited.updated == first.added
    assert article.url == url


async def test_many_passages_are_fetched_in_one_call(library: Library) -> None:
    """Fetching over a thousand passage keys works (SQLite's expression limit is respected)."""
    keys = [("a00000000000", n) for n in range(1200)]
    passages, articles = await library.store.quotable(keys)
    assert passages == {} and articles == {}
