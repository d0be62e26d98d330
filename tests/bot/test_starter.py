"""The bundled sample as a per-server starter, through the real bot: a server with nothing of
its own sees it; what one server ingests never changes what another sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Library

OWN = ("quay.txt", b"The Quillhaven harbour board approved new lamps for the quay on Tuesday.\n")


@pytest.fixture
async def library(tmp_path: Path):
    """A new installation: the bundled sample and nothing else."""
    lib = await Library.open(tmp_path / "data", sample=True)
    yield lib
    await lib.close()


def shown(outcome) -> str:
    return " ".join(f"{m['content']} {e.get('title', '')} {e.get('description', '')}"
                    for m in outcome.messages for e in m["embeds"] or [{}])


async def test_one_servers_ingest_leaves_the_sample_to_the_others(session) -> None:
    """Before any ingest both servers answer from the sample; after main's admin ingests a file,
    main answers from its own article only, and "other" still lists and quotes the sample."""
    for guild in ("main", "other"):
        answer = await session.slash("bob", "ask", {"question": "what did Microsoft say?"},
                                     guild=guild)
        assert "Microsoft" in shown(answer), guild
    added = await session.slash("admin", "ingest", {"file": OWN}, admin=True)
    assert "added 1" in added.messages[0]["content"]

    mine = await session.slash("alice", "sources")
    assert "starter sample" not in shown(mine) and "Malang Terkini" not in shown(mine)
    theirs = await session.slash("bob", "sources", guild="other")
    assert "Malang Terkini" in shown(theirs) and "starter sample" in shown(theirs)

    here = await session.slash("alice", "ask", {"question": "what did Microsoft say?"})
    assert "couldn't find" in shown(here) and not here.messages[0]["embeds"]
    there = await session.slash("bob", "ask", {"question": "what did Microsoft say?"},
                                guild="other")
    assert "Microsoft" in shown(there)
