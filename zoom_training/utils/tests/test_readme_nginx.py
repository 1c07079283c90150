"""The README's *Deploying* shows the nginx configuration that `make bench` runs with: the same file."""

import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_the_readme_shows_docs_nginx_zoom_training_conf_verbatim():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    deploying = readme[readme.index("\n## Deploying in an existing Odoo\n") :]
    block = deploying[deploying.index("   ```nginx\n") + len("   ```nginx\n") :]
    block = block[: block.index("   ```\n")]
    assert textwrap.dedent(block) == (REPO / "docs" / "nginx" / "zoom_training.conf").read_text()
