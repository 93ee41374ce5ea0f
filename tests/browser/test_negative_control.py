"""The checks can fail: with the widget extension disabled, a rendered explorer is not found."""

import json
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from vientiane_teacher import present

from .jupyter_browser import isolated_env, lab_open, lab_run_all, lab_server, wait_for_explorers


def test_checks_fail_without_the_widget_extension(page, tmp_path):
    notebook = new_notebook(
        cells=[
            new_code_cell("import vientiane\nfacts = vientiane.load()\nvientiane.widgets.membership_explorer(facts)")
        ],
        metadata={"kernelspec": present.KERNELSPEC},
    )
    (tmp_path / "root").mkdir()
    nbformat.write(notebook, tmp_path / "root" / "sample.ipynb")
    env = isolated_env(tmp_path / "home", tmp_path / "figures")
    # --level=user writes into the temporary JUPYTER_CONFIG_DIR; the default (sys_prefix)
    # would disable the extension in the venv itself.
    disable = ["labextension", "disable", "--level=user", "@jupyter-widgets/jupyterlab-manager"]
    subprocess.run(
        [sys.executable, "-m", "jupyter", *disable],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    page_config = json.loads((tmp_path / "home" / "config" / "labconfig" / "page_config.json").read_text())
    assert page_config["disabledExtensions"]["@jupyter-widgets/jupyterlab-manager"]

    with lab_server(tmp_path / "root", tmp_path / "home", env) as lab:
        lab.wait_api()
        lab_open(page, lab, "sample.ipynb")
        lab_run_all(page)
        with pytest.raises(AssertionError, match=r"widgets not rendered.*Explorer\('"):
            wait_for_explorers(page, "lab", 1)
