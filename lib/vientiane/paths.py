"""Where things are: the one module that resolves the collection's locations.

The library works in two places:

* inside the collection (a clone of the repository, with ``lib/vientiane`` installed in
  editable mode): the data package and the article are the repository's ``data/`` and
  ``seeds/``;
* installed from a wheel (``pip install`` of the collection, a hub image, Binder): the wheel
  carries a copy of ``data/`` and ``seeds/`` made when it was built, in
  ``vientiane/collection/``.

Figures are written to ``$VIENTIANE_FIGURES`` when it is set, else to the ``figures/`` folder
of the collection the working directory is in (a clone or the student edition), else to
``figures/`` in the working directory.

>>> data_package().name
'datapackage.json'
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLE = _PACKAGE / "collection"  # filled by the wheel build (see setup.py)


def checkout() -> Path | None:
    """The repository folder when the library is used from a clone, else None.

    >>> checkout() is None or (checkout() / "data").is_dir()
    True
    """
    root = _PACKAGE.parents[1]
    if (root / "lib" / "vientiane").is_dir() and _is_collection(root):
        return root
    return None


def collection() -> Path:
    """The folder that holds ``data/`` and ``seeds/``: the clone's, or the installed copy.

    >>> (collection() / "seeds").is_dir()
    True
    """
    root = checkout()
    if root is not None:
        return root
    if _is_collection(_BUNDLE):
        return _BUNDLE
    raise FileNotFoundError(
        f"the vientiane library found no data package: neither a clone around {_PACKAGE} nor a copy in {_BUNDLE}. "
        "Install the collection with `pip install <its folder>` (not by copying lib/ alone)."
    )


def data_package() -> Path:
    """The bundled data package's descriptor, ``data/datapackage.json``.

    >>> data_package().parent.name, data_package().name
    ('data', 'datapackage.json')
    """
    return collection() / "data" / "datapackage.json"


def figures_dir(cwd: Path | None = None) -> Path:
    """Where ``figures.save`` writes: $VIENTIANE_FIGURES, the collection's figures/, or ./figures.

    "The collection" is the first folder, from the working directory upwards, that holds both
    ``data/datapackage.json`` and ``notebooks/`` (a clone, or the student edition).

    >>> figures_dir().is_absolute()
    True
    """
    if os.environ.get("VIENTIANE_FIGURES"):
        return Path(os.environ["VIENTIANE_FIGURES"]).resolve()
    here = Path(cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_collection(folder) and (folder / "notebooks").is_dir():
            return folder / "figures"
    return here / "figures"


def _is_collection(folder: Path) -> bool:
    return (folder / "data" / "datapackage.json").is_file() and (folder / "seeds").is_dir()


def package_file(name: str):
    """A file shipped inside the package (``exercises.json``, ``hints.json``, ``geo/…``), found
    through ``importlib.resources`` so that it is read the same from a clone, a wheel or a zip.

    >>> package_file("hints.json").is_file()
    True
    """
    return resources.files(__package__).joinpath(name)
