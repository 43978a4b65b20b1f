"""``.pre-commit-hooks.yaml``: ``pre-commit try-repo`` against a temporary repository.

pre-commit installs gklint from a git repository into its own virtualenv, which
needs PyPI for gklint's dependencies.  The working tree (with uncommitted files)
is copied into a repository under the pytest cache and committed there with
fixed dates, so an unchanged tree gets the same commit and pre-commit reuses the
environment it built before (only the latest one is kept).  When pre-commit cannot build the environment
(no network), the test is skipped with the reason; any other failure fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gklint.testing import make_report

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
GIT = shutil.which("git")

pytestmark = [
    pytest.mark.skipif(GIT is None, reason="git is not installed"),
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install 'gklint[test]')"),
]

FIXED = {"GIT_AUTHOR_NAME": "gklint tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
         "GIT_COMMITTER_NAME": "gklint tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
         "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+0800", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+0800",
         "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **FIXED}
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def hook_repository(base: Path) -> Path:
    """A committed copy of the working tree (tracked and new, not ignored files)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, timeout=60)
    if listed.returncode != 0:
        pytest.skip("the source tree is not a git checkout")
    repo = base / "gklint-hook-repo"
    shutil.rmtree(repo, ignore_errors=True)
    for name in sorted(filter(None, listed.stdout.decode("utf-8").split("\0"))):
        source = ROOT / name
        if source.is_file():
            target = repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "gklint working tree")
    return repo


@pytest.fixture(scope="module")
def try_repo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    cache = getattr(request.config, "cache", None)  # None under -p no:cacheprovider
    base = Path(cache.mkdir("gklint-pre-commit")) if cache is not None else tmp_path_factory.mktemp("pc")
    repo = hook_repository(base)
    rev, marker = git(repo, "rev-parse", "HEAD").strip(), base / "built-for"
    if not marker.exists() or marker.read_text(encoding="utf-8") != rev:
        shutil.rmtree(base / "home", ignore_errors=True)  # keep one environment, not one per tree
        marker.write_text(rev, encoding="utf-8")
    site = tmp_path_factory.mktemp("site")
    git(site, "init", "-q")
    (site / "2022").mkdir()
    (site / "2022" / "正文.html").write_text(
        make_report(flattening="html", table3={"carried_forward": [2, 0, 0, 0, 0, 0]}), encoding="utf-8")
    (site / "clean.txt").write_bytes(make_report().encode("gb18030"))
    (site / "notes.md").write_text("（此处待填）\n", encoding="utf-8")
    git(site, "add", "-A")
    env = {**os.environ, **FIXED, "PRE_COMMIT_HOME": str(base / "home"), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        assert PRE_COMMIT is not None
        done = subprocess.run([PRE_COMMIT, "try-repo", str(repo), "gklint", *args], cwd=site, env=env,
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=900)
        output = done.stdout + done.stderr
        if done.returncode not in (0, 1) and "An unexpected error has occurred" in output \
                and ("pip" in output or "virtualenv" in output):
            last = [line for line in output.splitlines() if line.strip()][-1:]
            pytest.skip(f"pre-commit could not build gklint's environment (PyPI unreachable?): {' '.join(last)}")
        return done

    return run


def test_hook_fails_on_a_broken_report_and_skips_other_files(try_repo):
    done = try_repo("--all-files", "--verbose")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Failed" in output and "Traceback" not in output
    assert output.count("GK201") == 2 and "2022/正文.html" in output
    assert "clean.txt:" not in output and "notes.md" not in output


def test_hook_passes_a_clean_report(try_repo):
    done = try_repo("--files", "clean.txt", "notes.md")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Passed" in output
