"""One rule for tests that need something a machine may lack (a browser, node, the lessons'
run): without it they skip with a message, except under CI (CI=1, true or True), where they fail."""

import os

import pytest


def under_ci() -> bool:
    """True when the CI variable says so (``1``, ``true`` or ``True``)."""
    return os.environ.get("CI", "").lower() in ("1", "true")


def unavailable(reason: str, under_ci_message: str, skip_message: str):
    """Fail (under CI) or skip, naming ``reason``."""
    if under_ci():
        pytest.fail(f"{reason} ({under_ci_message})", pytrace=False)
    pytest.skip(f"{reason}: {skip_message}")
