"""`dvc plots show` with the project's offline template draws charts in headless Chromium."""

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
VEGA = REPO / "node_modules" / "vega" / "build" / "vega.min.js"

PLOTS_YAML = """
plots:
  - PCK against threshold:
      template: linear
      x: alpha
      y:
        pck_curve.csv: pck
"""


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None or not VEGA.is_file(), reason="needs Debian chromium and `npm ci`")
def test_offline_page_draws_the_chart(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(REPO / "templates", project / "templates")
    os.symlink(REPO / "node_modules", project / "node_modules")
    (project / "dvc.yaml").write_text(PLOTS_YAML)
    (project / "pck_curve.csv").write_text("alpha,pck\n" + "".join(f"{a / 10},{a / 6}\n" for a in range(6)))
    dvc = [sys.executable, "-m", "dvc"]
    env = dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}")
    for command in (["init", "--no-scm", "-q"], ["config", "core.analytics", "false"],
                    ["config", "plots.html_template", "../templates/plots_offline.html"], ["plots", "show"]):
        subprocess.run(dvc + command, cwd=project, env=env, check=True, capture_output=True)
    page = project / "dvc_plots" / "index.html"
    assert "cdn.jsdelivr" not in page.read_text()
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout
    # vega-embed replaces the spec with a rendered canvas and its action menu.
    assert "<canvas" in dom and "vega-embed" in dom
