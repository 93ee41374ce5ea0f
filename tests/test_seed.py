"""The article under study is kept byte for byte."""

import hashlib

import pytest

from tests.repo import ROOT

SEED = "000_6c3e8eb290f461cb.txt"
SHA256 = "c209c71714c3dba555278b445d76fb80b515fa434cc5de8e2c1b0770b700aead"


def test_seed_is_unchanged():
    assert hashlib.sha256((ROOT / "seeds" / SEED).read_bytes()).hexdigest() == SHA256


def test_seed_matches_the_shared_copy_when_present():
    shared = ROOT.parent / "shared" / "seeds" / SEED
    if not shared.exists():
        pytest.skip("no shared/seeds beside this clone")
    assert shared.read_bytes() == (ROOT / "seeds" / SEED).read_bytes()


def test_seed_readme_explains_the_source():
    text = (ROOT / "seeds" / "README.md").read_text(encoding="utf-8")
    for needed in ("Russia Direct", "paragraph", SHA256, "2016"):
        assert needed in text
