"""The wheel carries a copy of data/ and seeds/ (vientiane/collection/), made when it is built.

The repository keeps one source of the facts: data/ and seeds/ at its top. A wheel, or a plain
`pip install .`, copies them into the package so that the library works wherever it is
installed; an editable install (`make`) reads the repository's own folders instead
(see lib/vientiane/paths.py). Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

COLLECTION = ("data", "seeds")


class BuildWithCollection(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads data/ and seeds/ where they are
        target = Path(self.build_lib) / "vientiane" / "collection"
        shutil.rmtree(target, ignore_errors=True)
        for folder in COLLECTION:
            shutil.copytree(Path(__file__).parent / folder, target / folder)


setup(cmdclass={"build_py": BuildWithCollection})
