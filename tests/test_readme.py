"""What the README tells teachers is what the tests rehearse."""

import re
from urllib.parse import parse_qs, urlsplit

from tests.repo import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_nbgitpuller_link_is_the_one_the_classroom_rehearsal_follows():
    from tests.hub.classroom import git_pull_link

    class Hub:
        url = "https://hub.example.edu"

    example = re.search(r"^(https://hub\.example\.edu/hub/user-redirect/git-pull\?\S+)$", README, flags=re.M).group(1)
    owner = "https://github.com/<owner>/vientiane-students"
    rehearsed = git_pull_link(Hub, owner, "main", "00_start_here.ipynb")
    assert parse_qs(urlsplit(example.replace("<owner>", "%3Cowner%3E")).query) == parse_qs(urlsplit(rehearsed).query)
    assert urlsplit(example).path == urlsplit(rehearsed).path


def test_every_link_for_students_points_at_the_students_repository():
    found = re.findall(r"^https://\S+$", README, flags=re.M)
    assert [link for link in found if "git-pull" in link or "mybinder" in link]
    for link in found:
        if "git-pull" in link:
            assert "branch=main" in link and "vientiane-students" in link, link
        if "mybinder.org" in link:
            assert "/vientiane-students/main?" in link, link


def test_the_fast_lane_is_one_pytest_run_without_the_slow_tests_and_ci_runs_make_test():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    fast = re.search(r"^test-fast:.*\n((?:\t.*\n)+)", makefile, re.M).group(1).strip().splitlines()
    assert len(fast) == 1 and '-m pytest -m "not slow"' in fast[0]
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == "make test"
    assert "`make test-fast`" in README and "make test      # the whole test suite" in README


def test_the_readme_examples_are_what_make_links_prints():
    from vientiane_teacher import links

    repo = "https://github.com/<owner>/vientiane-students"
    found = re.findall(r"^https://\S+$", README, flags=re.M)
    hub = links.nbgitpuller_link("https://hub.example.edu", repo).replace("%3Cowner%3E", "<owner>")
    assert hub in found
    assert links.binder_link(repo) in found
