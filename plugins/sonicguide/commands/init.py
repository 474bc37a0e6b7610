"""``sonicguide init [DIR]``: turn an empty folder into a guide repository that builds at once.

Writes ``mkdocs.yml`` (Material and the plugin), ``brands/<slug>/`` (the ``sonicguide new``
scaffold), ``schema/brand.schema.json`` (for the editor modeline), ``docs/.gitkeep`` (MkDocs needs
the folder; the plugin generates every page), a ``.gitignore`` for the built site and the cache, and a
``README.md`` telling the team how to add a brand, validate and publish. Never overwrites: when any of
these exists, nothing is written and the message names it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from sonicguide.commands.new import SCHEMA_FILE, create_brand
from sonicguide.core.load.schema import schema_text

DEFAULT_SLUG = "my-brand"

MKDOCS_YML = """\
# A sonicguide site: `mkdocs build --strict` (or `properdocs build --strict`) writes it to site/.
site_name: {site_name}
# Set the published address: Open Graph cards then get absolute image URLs.
# site_url: https://guides.example/
strict: true

theme:
  name: material
  font: false            # no web fonts: nothing is fetched when the site is viewed
  features:
    - navigation.sections
    # Past 60 brands the nav lists them in groups; prune puts only the page's own group in each page.
    - navigation.prune

plugins:
  - search
  - sonicguide:
      brands_dir: brands            # one folder per brand: brands/<slug>/brand.yml + audio
      cache_dir: .cache/sonicguide  # analysis results by content hash; keep it between CI runs
      # cache_max_size: 2G          # trim the cache to this size at the end of each build (off by default)
"""

GITIGNORE = """\
# The built site (and the folders of the atomic build beside it) and the analysis cache.
/site/
/site.sonicguide-new/
/site.sonicguide-old/
/.cache/
__pycache__/
"""

README = """\
# {site_name}

The sonic-identity guides of our brands, built with sonicguide (an MkDocs
plugin on Material for MkDocs).

## Working on the guide

```sh
pip install sonicguide properdocs      # once (or the sonicguide wheel your team uses)
properdocs serve -f mkdocs.yml         # preview at http://127.0.0.1:8000 (or: mkdocs serve)
```

- **Add a brand**: `sonicguide new SLUG` creates `brands/SLUG/brand.yml` (every section commented)
  with a placeholder tone. Put the real audio in `brands/SLUG/audio/` and list it under `assets:`.
- **Validate** before you push: `sonicguide validate` checks every brand and prints each problem as
  `file:line:column: field: message`. `sonicguide doctor` checks the tools themselves.
- **Build**: `mkdocs build --strict` (or `properdocs build --strict -f mkdocs.yml`) writes the site to
  `site/`. Conformance failures and disclosure-policy breaches are warnings, so a strict build stops
  on them.

## Publishing

`site/` is a plain static site: copy it to any static host (an object store behind a CDN, Netlify,
GitHub Pages, an nginx folder). `mkdocs gh-deploy` publishes it to the `gh-pages` branch.

Keep `.cache/sonicguide` between CI runs so that only changed audio is analysed again, and prune
it before it is saved so that it holds what this build used and no more, e.g. on GitHub Actions
(the cache is saved when the job ends, after the last step):

```yaml
      - uses: actions/cache@v4
        with:
          path: .cache/sonicguide
          key: sonicguide-${{{{ hashFiles('requirements*.txt') }}}}-${{{{ hashFiles('brands/**') }}}}
          restore-keys: sonicguide-${{{{ hashFiles('requirements*.txt') }}}}-
      - run: mkdocs build --strict
      - run: sonicguide cache prune --keep-builds 1
```

The cache is keyed by content inside, so a cache restored from an older commit is safe and only
makes the build faster.

## The cache

Builds keep analyses, charts, rendered pages and copies of the audio in `.cache/sonicguide`, and
every edit leaves the old versions behind. `sonicguide cache info` says how big it is and how much
of it the last builds used; `sonicguide cache prune` removes what the last 3 builds did not use
(`--keep-builds N`, `--max-size 2G`, `--dry-run`). Deleting the folder is always safe: the next
build is slower, that is all.
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("init", help="turn an empty folder into a guide repository",
                                   description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("dir", metavar="DIR", nargs="?", default=Path(), type=Path,
                        help="the folder to set up (default: the current folder; created if missing)")
    parser.add_argument("--brand", default=DEFAULT_SLUG, metavar="SLUG",
                        help=f"slug of the first brand (default: {DEFAULT_SLUG})")
    parser.add_argument("--name", default=None, help="the site's name (default: from the folder name)")
    parser.set_defaults(func=run)


def site_name_for(folder: Path) -> str:
    """A readable site name from a folder name: ``acme-sound`` gives "Acme sound guides"."""
    words = re.sub(r"[-_.\s]+", " ", folder.absolute().name).strip()
    return f"{words[:1].upper()}{words[1:]} guides" if words else "Sonic guides"


def init_project(folder: Path, *, slug: str = DEFAULT_SLUG, site_name: str | None = None) -> list[Path]:
    """Write the guide repository's files into ``folder``; return them in the order written.

    Raises ``FileExistsError`` naming every file that is already there (nothing is written then) and
    ``ValueError`` for an invalid slug or site name.
    """
    name = site_name if site_name is not None else site_name_for(folder)
    if not name.strip() or any(ord(char) < 0x20 or ord(char) == 0x7F for char in name):
        raise ValueError(f"{name!r} is not a usable site name (empty or with control characters).")
    plain = {
        folder / "mkdocs.yml": MKDOCS_YML.format(site_name=_yaml_string(name)),
        folder / ".gitignore": GITIGNORE,
        folder / "README.md": README.format(site_name=name),
        folder / SCHEMA_FILE: schema_text(),
        folder / "docs" / ".gitkeep": "",
    }
    brand_dir = folder / "brands" / slug
    existing = [path for path in [*plain, brand_dir] if path.exists() or path.is_symlink()]
    if existing:
        names = ", ".join(path.as_posix() for path in existing)
        raise FileExistsError(f"{names} already exist{'s' if len(existing) == 1 else ''}; nothing was changed. "
                              "sonicguide init never overwrites: run it in an empty folder, or move these away.")
    # The brand first: it checks the slug, and a bad slug must leave the folder as it was.
    written = [create_brand(folder / "brands", slug, project_dir=folder) / "brand.yml"]
    for path, text in plain.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never replace a file
            handle.write(text)
        written.append(path)
    return written


def _yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = init_project(folder, slug=args.brand, site_name=args.name)
    except (ValueError, FileExistsError) as exc:
        print(f"sonicguide init: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"sonicguide init: cannot set up {folder.as_posix()}: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"Created {path.as_posix()}")
    where = "" if folder == Path() else f"cd {folder.as_posix()} && "
    print(f"Next: {where}mkdocs serve   (then edit brands/{args.brand}/brand.yml; see README.md)")
    return 0
