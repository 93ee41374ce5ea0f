"""Publishing the student edition to a separate students' repository, and the links to it.

Every test works in a clone of this repository (never in it) and publishes into a local bare
repository, as a teacher would with ``make student STUDENT_REPO=<path>``.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from vientiane_teacher import links, publish

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "ghp_0123456789abcdefSECRET"


def git(*args, cwd) -> str:
    result = subprocess.run(["git", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def teacher(tmp_path) -> Path:
    clone = tmp_path / "teacher"
    git("clone", "-q", ROOT, clone, cwd=tmp_path)
    git("config", "user.email", "teacher@school.example", cwd=clone)
    git("config", "user.name", "A Teacher", cwd=clone)
    # The remote a teacher's clone often has: an address with a token in it.
    git("remote", "set-url", "origin", f"https://teacher:{TOKEN}@git.school.example/t/vientiane.git", cwd=clone)
    return clone


@pytest.fixture
def students(tmp_path) -> Path:
    bare = tmp_path / "srv" / "vientiane-students.git"
    git("init", "-q", "--bare", bare, cwd=tmp_path)
    return bare


def published(bare: Path, tmp_path: Path) -> dict[str, bytes]:
    """The files of the students' repository's main, as a student's clone gets them."""
    target = tmp_path / f"student-{len(list(tmp_path.glob('student-*')))}"
    git("clone", "-q", "--branch", "main", bare.as_uri(), target, cwd=tmp_path)
    names = git("ls-files", cwd=target).splitlines()
    return {name: (target / name).read_bytes() for name in names}


def test_published_edition_is_what_git_tracks_at_head_and_names_the_commit(teacher, students, tmp_path):
    (teacher / "notebooks" / "answer-key-draft.txt").write_text("02.1: LAO, VNM\n")  # untracked
    (teacher / "lib" / "vientiane" / ".checks.py.swp").write_bytes(b"editor swap")  # untracked
    (teacher / "data" / "draft.csv").write_text("a,b\n")  # untracked, in a copied folder
    out = io.StringIO()
    commit = publish.publish_to(str(students), teacher, out=out)
    files = published(students, tmp_path)
    assert not [n for n in files if "answer-key" in n or n.endswith(".swp") or n.endswith("draft.csv")]
    head = git("rev-parse", "HEAD", cwd=teacher).strip()
    message = git("log", "-1", "--format=%B", commit, cwd=students)
    assert head in message, message
    tracked = set(git("ls-files", "data", "seeds", "lib/vientiane", cwd=teacher).splitlines())
    assert tracked == {n for n in files if n.startswith(("data/", "seeds/", "lib/"))}
    lessons = sorted(p.name for p in (teacher / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(n.split("/")[1] for n in files if n.endswith(".ipynb")) == lessons


def test_no_teacher_material_in_the_edition(teacher, students, tmp_path):
    publish.publish_to(str(students), teacher, out=io.StringIO())
    files = published(students, tmp_path)
    assert "notebooks/teacher_guide.md" not in files and not [n for n in files if "vientiane_teacher" in n]
    for name in (n for n in files if n.endswith(".ipynb")):
        nb = json.loads(files[name])
        tags = {t for c in nb["cells"] for t in c.get("metadata", {}).get("tags", [])}
        assert not tags & {"solution", "teacher"}, name
        assert not [c for c in nb["cells"] if c.get("outputs")], f"{name} keeps outputs"


def test_uncommitted_changes_are_refused_by_name(teacher, students):
    lesson = next((teacher / "notebooks").glob("02_*.ipynb"))
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Vientiane", "Vientiane (edited)", 1))
    (teacher / "lib" / "vientiane" / "hints.json").unlink()
    with pytest.raises(publish.PublishError) as refused:
        publish.publish_to(str(students), teacher, out=io.StringIO())
    assert f"notebooks/{lesson.name}" in str(refused.value) and "lib/vientiane/hints.json" in str(refused.value)
    assert git("ls-remote", students, cwd=teacher).strip() == ""  # nothing was published
    with pytest.raises(publish.PublishError):  # the preview branch is made the same way
        publish.publish(teacher, out=io.StringIO())


def test_a_staged_change_is_refused_too(teacher, students):
    (teacher / "data" / "new.csv").write_text("x\n")
    git("add", "data/new.csv", cwd=teacher)
    with pytest.raises(publish.PublishError, match="data/new.csv"):
        publish.publish_to(str(students), teacher, out=io.StringIO())


def test_credentials_in_urls_are_stripped_and_reported(teacher, students, tmp_path):
    lesson = next((teacher / "notebooks").glob("01_*.ipynb"))
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    md = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    md["source"] = [*md["source"], f"\n\nSlides: https://ada:{TOKEN}@slides.school.example/deck"]
    lesson.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    git("commit", "-qam", "a link with a token", cwd=teacher)
    out = io.StringIO()
    publish.publish_to(str(students), teacher, out=out)
    everything = b"".join(published(students, tmp_path).values())
    assert TOKEN.encode() not in everything and b"//ada" not in everything
    assert b"https://slides.school.example/deck" in everything  # the link itself stays
    assert b"git.school.example" not in everything  # the teacher's own remote is never named
    assert f'{lesson.relative_to(teacher).as_posix()}: removed the user name "ada"' in out.getvalue()
    assert TOKEN not in out.getvalue()


def test_a_token_never_reaches_an_error_message(teacher):
    with pytest.raises(publish.PublishError) as failed:
        publish.publish_to(f"https://ada:{TOKEN}@127.0.0.1:9/students.git", teacher, out=io.StringIO())
    assert TOKEN not in str(failed.value) and "git" in str(failed.value)


def test_no_local_path_is_published(teacher, students, tmp_path):
    publish.publish_to(str(students), teacher, out=io.StringIO())
    everything = b"".join(published(students, tmp_path).values())
    for path in (teacher, students, tmp_path, Path.home()):
        assert str(path).encode() + b"/" not in everything, path
    # A committed file naming the teacher's folder stops the publication, with file and line.
    (teacher / "notebooks" / "glossary.md").write_text(f"Terms\n\nSee {teacher}/notes.txt\n", encoding="utf-8")
    git("commit", "-qam", "a local path", cwd=teacher)
    with pytest.raises(publish.PublishError, match=r"notebooks/glossary.md, line 3, names the local folder"):
        publish.publish_to(str(students), teacher, out=io.StringIO())


def test_publishing_again_is_a_child_commit_or_nothing(teacher, students, tmp_path):
    first = publish.publish_to(str(students), teacher, out=io.StringIO())
    assert publish.publish_to(str(students), teacher, out=io.StringIO()) is None  # same tree: no commit
    glossary = teacher / "notebooks" / "glossary.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\nA new term.\n", encoding="utf-8")
    git("commit", "-qam", "glossary", cwd=teacher)
    second = publish.publish_to(students.as_uri(), teacher, out=io.StringIO())  # a file:// URL works too
    assert git("rev-parse", f"{second}^", cwd=students).strip() == first  # nbgitpuller can merge it
    assert b"A new term." in published(students, tmp_path)["notebooks/glossary.md"]


def test_the_students_repository_must_exist_and_be_another_one(teacher, tmp_path):
    with pytest.raises(publish.PublishError, match="git init --bare"):
        publish.publish_to(str(tmp_path / "nowhere.git"), teacher, out=io.StringIO())
    with pytest.raises(publish.PublishError, match="separate"):
        publish.publish_to(str(teacher), teacher, out=io.StringIO())


def test_without_a_students_repository_the_preview_branch_is_written(teacher):
    before = git("rev-parse", "HEAD", cwd=teacher)
    assert publish.main(["--root", str(teacher)]) == 0
    assert git("rev-parse", "HEAD", cwd=teacher) == before and git("status", "--porcelain", cwd=teacher) == ""
    assert "notebooks/00_start_here.ipynb" in git("ls-tree", "-r", "--name-only", "student", cwd=teacher)


def test_links_for_a_hub_and_binder():
    repo = f"https://ada:{TOKEN}@github.com/school/vientiane-students.git"
    hub = links.nbgitpuller_link("https://hub.example.edu/", repo, "02_membership_structures.ipynb")
    query = parse_qs(urlsplit(hub).query)
    assert urlsplit(hub).path == "/hub/user-redirect/git-pull" and TOKEN not in hub
    assert query == {
        "repo": ["https://github.com/school/vientiane-students.git"],
        "branch": ["main"],
        # nbgitpuller's folder is the address's last part, .git included
        "urlpath": ["lab/tree/vientiane-students.git/notebooks/02_membership_structures.ipynb"],
    }
    binder = links.binder_link(repo)
    assert (
        binder
        == "https://mybinder.org/v2/gh/school/vientiane-students/main?urlpath=lab/tree/notebooks/00_start_here.ipynb"
    )
    other = links.binder_link("https://gitlab.school.example/t/students")
    assert unquote(urlsplit(other).path) == "/v2/git/https://gitlab.school.example/t/students/main"
    assert links.repository_url("git@github.com:school/s.git") == "https://github.com/school/s.git"


def test_the_link_is_the_one_the_classroom_rehearsal_follows():
    from tests.hub.classroom import git_pull_link

    class Hub:
        url = "https://hub.example.edu"

    repo = "https://github.com/school/vientiane-students"
    assert links.nbgitpuller_link(Hub.url, repo) == git_pull_link(Hub, repo, "main", "00_start_here.ipynb")


def test_a_local_repository_gets_a_file_link_and_no_binder(students, capsys):
    assert links.main(["--hub", "https://hub.example.edu", "--repo", str(students)]) == 0
    printed = capsys.readouterr().out
    assert f"repo={students.as_uri()}".replace("/", "%2F").replace(":", "%3A") in printed
    assert "Binder:     none" in printed and "02_membership_structures.ipynb" in printed
