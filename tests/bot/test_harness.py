"""The offline harness: JSONL simulation, the console, and its version pins."""

from __future__ import annotations

import io
import json
from importlib.metadata import version

import pytest

from bot import harness
from bot.harness import ACK_LIMIT_MS, Outcome, simulate
from bot.harness.console import console, format_outcome
from bot.settings import Settings

SCRIPT = [
    '{"as": "alice", "slash": "ask", "options": {"question": "what did Microsoft say?"}}',
    '{"as": "alice", "click": "More results"}',
    '{"as": "bob", "click": "More results"}',
    '{"as": "bob", "click": "Context 6"}',
    '{"as": "carol", "message": "@storybot what did Microsoft say?"}',
    "# a comment",
    '{"as": "dave", "admin": true, "slash": "ingest", "options": {"url": "http://127.0.0.1/"}}',
    '{"as": "alice", "slash": "ask", "autocomplete": "source", "options": {"source": "Ex"}}',
    '{"as": "alice", "slash": "help"}',
]


async def run_script(library, lines, settings=None) -> tuple[int, list[dict]]:
    out = io.StringIO()
    status = await simulate(lines, library, out, settings=settings or Settings(ask_cooldown=0))
    return status, [json.loads(line) for line in out.getvalue().splitlines()]


async def test_simulate_prints_one_json_line_per_action(library) -> None:
    """Each action yields a numbered JSON line with ack time, visibility and API payloads."""
    status, results = await run_script(library, SCRIPT)
    assert status == 0
    assert [r["action"] for r in results] == [1, 2, 3, 4, 5, 6, 7, 8]
    ask, page2, refused, context, mention, ingest, choices, help_ = results
    assert all(r["ack_ms"] < ACK_LIMIT_MS for r in results)
    assert ask["ephemeral"] is False and ask["messages"][0]["embeds"]
    assert ask["messages"][0]["components"][0]["type"] == 1
    assert "Results 6" in page2["messages"][0]["content"]
    assert refused["ephemeral"] and "Only the person" in refused["messages"][0]["content"]
    assert context["ephemeral"] and context["messages"][0]["embeds"]
    assert mention["messages"][0]["content"] == ask["messages"][0]["content"]
    assert "loopback" in ingest["messages"][0]["content"]
    assert "Example Wire" in [c["value"] for c in choices["choices"]]
    assert help_["ephemeral"]


async def test_simulate_reports_bad_actions_and_exits_nonzero(library) -> None:
    """Malformed lines and impossible actions become error lines and a non-zero status."""
    status, results = await run_script(
        library,
        [
            "not json",
            '{"as": "carol", "slash": "ingest", "options": {"url": "http://x.example/"}}',
            '{"as": "alice", "click": "No such button"}',
            '{"as": "alice"}',
        ],
    )
    assert status == 1
    assert [r["action"] for r in results] == [1, 2, 3, 4]
    assert "not JSON" in results[0]["error"]
    assert "does not offer /ingest to carol" in results[1]["hidden"]
    assert "No such button" in results[2]["error"]
    assert "needs one of" in results[3]["error"]


async def test_a_member_running_an_admin_command_is_a_reply_not_a_failure(library) -> None:
    """/feed list by a member without Manage Server: the script says Discord hides it from
    them, and the run still succeeds."""
    status, results = await run_script(library, ['{"as": "bob", "slash": "feed list"}'])
    assert status == 0
    assert results == [{"action": 1, "hidden": "Discord does not offer /feed list to bob here: "
                        "it needs Manage Server (or a role an admin allowed)"}]


async def test_simulate_wait_moves_the_cooldown_clock(library) -> None:
    """A wait action lets a per-user cooldown expire in simulated time."""
    ask = '{"as": "alice", "slash": "ask", "options": {"question": "Microsoft"}}'
    status, results = await run_script(
        library, [ask, ask, '{"wait": 61}', ask], Settings(ask_cooldown=60)
    )
    assert status == 0
    assert "Slow down" in results[1]["messages"][0]["content"]
    assert results[2] == {"action": 3, "waited": 61.0}
    assert results[3]["messages"][0]["content"].startswith("**Results")


def test_late_acknowledgement_is_flagged() -> None:
    """An action acknowledged after 3 s is marked late and fails the run."""
    outcome = Outcome(action=1, ack_ms=3500.0, interaction=True)
    assert outcome.late and not outcome.ok
    assert "3500 ms" in outcome.to_json()["late"]
    assert "as failed" in format_outcome(outcome)
    never = Outcome(action=2, interaction=True)
    assert never.late and never.to_json()["late"] == "never acknowledged"
    message = Outcome(action=3, ack_ms=3500.0)  # no 3-second rule for plain messages
    assert not message.late and message.ok


async def test_console_chats_with_the_bot(library) -> None:
    """Lines become mentions or slash commands; replies print as text; quit ends it."""
    stdin = io.StringIO(
        "what did Microsoft say?\n"
        ":click More results\n"
        "/sources\n"
        "/ask Microsoft private:true\n"
        ":as bob\n"
        ":click Previous\n"
        "/nosuch\n"
        "quit\n"
        "never read\n"
    )
    stdout = io.StringIO()
    await console(library, stdin, stdout, settings=Settings(ask_cooldown=0))
    text = stdout.getvalue()
    assert "Results 1–5" in text and "Results 6–" in text
    assert "**" not in text  # Markdown is rendered, not printed
    assert "╭" in text and "[More results]" in text
    assert "Sources" in text
    assert "(only you can see this)" in text
    assert "Only the person who asked" in text
    assert "no command /nosuch" in text
    assert text.rstrip().endswith("bye")


async def test_console_helps_and_never_makes_you_wait(library) -> None:
    """``help`` and ``:help`` print the console's help; a second question right after the first
    is answered (no cooldown with one person at the keyboard); ``/sources`` shows one outlet a
    line, as Discord would."""
    stdin = io.StringIO("help\n:help\nwhat did Microsoft say?\nApa kata Microsoft?\n/sources\n")
    stdout = io.StringIO()
    await console(library, stdin, stdout, settings=Settings())  # the default 10 s cooldown
    text = stdout.getvalue()
    assert text.count(":wait <time>") == 3  # at start, then for help and :help
    assert text.count("Results 1–") == 2 and "Slow down" not in text
    sources = text[text.index("Sources"):]
    assert [line for line in sources.splitlines() if "Example Wire" in line
            or "Malang Terkini" in line]  # each outlet on a line of its own
    assert not any("Example Wire" in line and "Malang Terkini" in line
                   for line in sources.splitlines())


async def test_console_ends_on_eof(library) -> None:
    """End of input closes the console cleanly."""
    stdout = io.StringIO()
    await console(library, io.StringIO("/help\n"), stdout)
    assert "storybot" in stdout.getvalue() and stdout.getvalue().rstrip().endswith("bye")


def test_pins_match_installed_versions() -> None:
    """The installed discord.py and simcord are the pinned minor versions."""
    harness.check_pins()
    assert version("discord.py").startswith("2.7.")
    assert version("simcord").startswith("3.2.")


def test_pin_check_rejects_other_versions(monkeypatch) -> None:
    """Another discord.py version makes the harness refuse with a clear message."""
    from bot.harness import pins

    monkeypatch.setattr(pins, "version", lambda name: "9.9.9")
    with pytest.raises(RuntimeError, match=r"pinned to discord\.py 2\.7\.x"):
        pins.check_pins()


def test_ctrl_c_ends_the_console_at_once(tmp_path) -> None:
    """Ctrl+C at the prompt ends the console without waiting for one more line of input (its
    input stays open: a console that waited would never end; the long timeout only keeps such
    a failure from hanging the suite)."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    env = {**os.environ, "STORYBOT_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env.pop("DISCORD_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        seen = b""
        deadline = time.monotonic() + 120
        while b"you> " not in seen:  # the prompt: the console is up and waiting for a line
            assert proc.poll() is None and time.monotonic() < deadline, seen
            seen += os.read(proc.stdout.fileno(), 4096)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=600) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdin:
            proc.stdin.close()
        if proc.stdout:
            proc.stdout.close()


async def test_the_example_script_runs_clean(library) -> None:
    """examples/simulate.jsonl (shown in the README) plays without an error line: exit 0."""
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "examples" / "simulate.jsonl"
    lines = script.read_text(encoding="utf-8").splitlines()
    status, results = await run_script(library, lines, Settings())
    assert status == 0, [r for r in results if "error" in r]
    assert len(results) == len([line for line in lines if line.strip()])
