"""The versions of discord.py and simcord the harness is built for, checked before either loads.

The harness relies on simcord's internals (its request log, its stored messages, its clock)
and on discord.py's, so it refuses other versions with a message saying what to install.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["PINS", "check_pins"]

PINS = {"discord.py": "2.7.", "simcord": "3.2."}


def check_pins() -> None:
    """Refuse to run against discord.py or simcord versions the harness was not built for."""
    for package, prefix in PINS.items():
        try:
            found = version(package)
        except PackageNotFoundError:
            raise RuntimeError(
                f"the harness needs {package} {prefix}x, which is not installed"
            ) from None
        if not found.startswith(prefix):
            raise RuntimeError(
                f"the harness is pinned to {package} {prefix}x (it relies on its internals), "
                f"but {found} is installed; install the versions pyproject.toml pins"
            )
