"""Paging and context buttons under an answer."""

from __future__ import annotations

from bot.views import NEXT_LABEL, PREVIOUS_LABEL, context_label

QUESTION = "what did Microsoft say?"


def buttons(message: dict) -> dict[str, dict]:
    return {
        button["label"]: button
        for row in message["components"]
        for button in row["components"]
        if button.get("type") == 2
    }


async def test_answer_has_paging_context_and_link_buttons(session) -> None:
    """The first page has Previous (disabled), More results, one Context per quote, links."""
    outcome = await session.slash("alice", "ask", {"question": QUESTION})
    shown = buttons(outcome.messages[0])
    assert shown[PREVIOUS_LABEL].get("disabled") is True
    assert not shown[NEXT_LABEL].get("disabled")
    assert context_label(1) in shown
    assert all(b["custom_id"].startswith("storybot:") for b in shown.values() if "custom_id" in b)
    links = [b for b in shown.values() if b.get("style") == 5]
    assert links and all(len(b["url"]) <= 512 for b in links)


async def test_asker_can_page_forward_and_back(session) -> None:
    """More results edits the message in place to the next quotes; Previous goes back."""
    first = await session.slash("alice", "ask", {"question": QUESTION})
    page2 = await session.click("alice", NEXT_LABEL)
    assert page2.ack_ms is not None and page2.ack_ms < 3000
    assert page2.messages[0]["id"] == first.messages[0]["id"]
    assert "Results 6–" in page2.messages[0]["content"]
    assert context_label(6) in buttons(page2.messages[0])
    back = await session.click("alice", PREVIOUS_LABEL)
    assert back.messages[0]["content"] == first.messages[0]["content"]


async def test_someone_else_cannot_page(session) -> None:
    """Another member clicking More results gets a private refusal; the answer is unchanged."""
    first = await session.slash("alice", "ask", {"question": QUESTION})
    refused = await session.click("bob", NEXT_LABEL)
    assert refused.ephemeral
    assert "Only the person who asked" in refused.messages[0]["content"]
    message = session._payload(session.channel.id, int(first.messages[0]["id"]))
    assert message["content"] == first.messages[0]["content"]


async def test_context_shows_the_quote_in_its_surroundings_privately(session, library) -> None:
    """Context N answers privately with the passage block-quoted between its neighbours."""
    await session.slash("alice", "ask", {"question": QUESTION})
    outcome = await session.click("bob", context_label(2))
    assert outcome.ephemeral
    [embed] = outcome.messages[0]["embeds"]
    assert "\n\n> " in embed["description"] or embed["description"].startswith("> ")


async def test_private_answer_can_be_paged_by_its_asker(session) -> None:
    """Buttons work on an ephemeral answer too."""
    await session.slash("alice", "ask", {"question": QUESTION, "private": True})
    page2 = await session.click("alice", "storybot:next")  # the custom id without its nonce
    assert "Results 6–" in page2.messages[0]["content"]


async def test_single_page_answers_have_no_paging_buttons(session) -> None:
    """When every quote fits on one page, only Context and link buttons appear."""
    outcome = await session.slash("alice", "ask", {"question": "zebra council"})
    message = outcome.messages[0]
    assert "page 1/" not in message["content"]
    shown = buttons(message)
    assert NEXT_LABEL not in shown and PREVIOUS_LABEL not in shown
    assert context_label(1) in shown
