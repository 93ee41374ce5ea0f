"""The article under study is kept byte for byte."""

import hashlib
from pathlib import Path

from tests.ci import unavailable

ROOT = Path(__file__).resolve().parents[1]
SEED = "000_6c3e8eb290f461cb.txt"
SHA256 = "c209c71714c3dba555278b445d76fb80b515fa434cc5de8e2c1b0770b700aead"


def test_seed_is_unchanged():
    assert hashlib.sha256((ROOT / "seeds" / SEED).read_bytes()).hexdigest() == SHA256


def shared_seed() -> Path | None:
    """The original in ``shared/seeds``: beside the clone (as CI checks it out), or beside a folder
    above it (a clone in ``wt/`` next to ``shared/``)."""
    for folder in ROOT.parents:
        if (folder / "shared" / "seeds" / SEED).is_file():
            return folder / "shared" / "seeds" / SEED
    return None


def test_seed_matches_the_shared_copy():
    shared = shared_seed()
    if shared is None:
        unavailable(
            "no shared/seeds beside this clone or above it",
            "a CI run checks the clone out as a sibling of shared/",
            "the copy in seeds/ is still checked against its SHA-256",
        )
    assert shared.read_bytes() == (ROOT / "seeds" / SEED).read_bytes()


def test_seed_readme_explains_the_source():
    text = (ROOT / "seeds" / "README.md").read_text(encoding="utf-8")
    for needed in ("Russia Direct", "paragraph", SHA256, "2016"):
        assert needed in text
