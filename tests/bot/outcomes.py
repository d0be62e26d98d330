"""What the bot did in the harness, picked out of action outcomes for the tests."""

from __future__ import annotations

from typing import Any


def alert_posts(*outcomes: Any) -> list[dict]:
    """The quote alerts the bot posted during these actions (an embed, "… said:" above it)."""
    return [m for o in outcomes for m in o.posted if m["embeds"] and "said:" in m["content"]]
