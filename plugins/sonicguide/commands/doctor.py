"""``sonicguide doctor``: which generator, theme and versions a build would use, and what cannot work.

Reads the installed distributions and the site's configuration (``properdocs.yml`` or ``mkdocs.yml``
in the current folder, or ``-f FILE``) without building anything. Prints one line per fact or
problem; exits 1 when a combination cannot build a guide (MkDocs 2, Material missing, the plugin not
installed or not in the configuration), 0 otherwise (warnings included).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import yaml

from sonicguide import __version__

#: Distributions doctor reports, by the name it prints.
DISTRIBUTIONS = {"MkDocs": "mkdocs", "ProperDocs": "properdocs", "Material for MkDocs": "mkdocs-material",
                 "Zensical": "zensical"}
CONFIG_NAMES = ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")
HEAD_PARTIAL = "partials/sonicguide/head.html"


@dataclass(frozen=True)
class Finding:
    """One line of the report: ``level`` is ``ok`` (a fact), ``warn`` or ``error`` (cannot work)."""

    level: Literal["ok", "warn", "error"]
    message: str


def installed_versions() -> dict[str, str | None]:
    """The installed version of each of :data:`DISTRIBUTIONS` (None when not installed)."""
    versions: dict[str, str | None] = {}
    for label, dist in DISTRIBUTIONS.items():
        try:
            versions[label] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[label] = None
    return versions


def plugin_entry_points() -> set[str]:
    """The entry-point groups through which the installed sonicguide registers its plugin."""
    groups = set()
    for group in ("mkdocs.plugins", "properdocs.plugins"):
        if any(ep.name == "sonicguide" for ep in metadata.entry_points(group=group)):
            groups.add(group)
    return groups


def find_config(folder: Path) -> Path | None:
    """The configuration file ProperDocs would read in ``folder`` (MkDocs reads only mkdocs.yml)."""
    for name in CONFIG_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


class _TolerantLoader(yaml.SafeLoader):  # type: ignore[misc]  # untyped PyYAML
    """Reads mkdocs.yml as data: tags such as ``!ENV`` or ``!!python/name:`` become None."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506 (a SafeLoader)
    return data if isinstance(data, dict) else {}


def _major(version: str) -> int:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else 0


def _plugin_names(plugins: Any) -> list[str]:
    if isinstance(plugins, dict):
        return [str(name) for name in plugins]
    if isinstance(plugins, list):
        return [str(next(iter(item))) if isinstance(item, dict) and item else str(item) for item in plugins]
    return []


def diagnose(versions: Mapping[str, str | None], config_path: Path | None, *, entry_points: set[str],
             config: Mapping[str, Any] | None = None) -> list[Finding]:
    """Everything doctor says, from the installed ``versions``, the plugin's ``entry_points`` and the
    site's configuration (``config``, read from ``config_path`` when not given)."""
    found: list[Finding] = [Finding("ok", f"sonicguide {__version__}, Python {sys.version.split()[0]}")]
    mkdocs, properdocs = versions.get("MkDocs"), versions.get("ProperDocs")
    material, zensical = versions.get("Material for MkDocs"), versions.get("Zensical")

    generators = []
    if mkdocs is not None:
        if _major(mkdocs) >= 2:
            found.append(Finding("error", f"MkDocs {mkdocs} is installed: MkDocs 2 runs no plugins, so `mkdocs build` "
                                 "cannot build a guide. Install ProperDocs (pip install properdocs) and use "
                                 "`properdocs build`, or pin mkdocs<2."))
        else:
            generators.append(f"`mkdocs build` uses MkDocs {mkdocs}")
    if properdocs is not None:
        generators.append(f"`properdocs build` uses ProperDocs {properdocs}")
    if generators:
        found.append(Finding("ok", "generator: " + "; ".join(generators)))
    elif mkdocs is None:
        found.append(Finding("error", "neither MkDocs 1.6 nor ProperDocs is installed: pip install properdocs "
                             "(or mkdocs<2)."))
    if zensical is not None:
        found.append(Finding("warn", f"Zensical {zensical} is installed: `zensical build` skips plugins it does not "
                             "know without a word, so a guide built with it has no brand pages. Build with "
                             "`properdocs build` or `mkdocs build`."))
    if material is None:
        found.append(Finding("error", "Material for MkDocs is not installed: pip install 'mkdocs-material>=9.5,<10'."))
    else:
        found.append(Finding("ok", f"theme: Material for MkDocs {material}"))
    if "mkdocs.plugins" not in entry_points:
        found.append(Finding("error", "the sonicguide plugin is not registered (no mkdocs.plugins entry point): "
                             "reinstall the package (pip install sonicguide)."))
    elif properdocs is not None and "properdocs.plugins" not in entry_points:
        found.append(Finding("warn", "the installed sonicguide has no properdocs.plugins entry point; ProperDocs "
                             "still loads it through mkdocs.plugins. Reinstall to update."))

    if config_path is None:
        found.append(Finding("warn", "no properdocs.yml or mkdocs.yml here: run doctor where the site's "
                             "configuration is, pass -f FILE, or create one with `sonicguide init`."))
        return found
    if config is None:
        try:
            config = read_config(config_path)
        except (OSError, yaml.YAMLError) as exc:
            found.append(Finding("error", f"{config_path.as_posix()}: cannot be read: {exc}"))
            return found
    found.append(Finding("ok", f"configuration: {config_path.as_posix()}"))
    if config_path.name.startswith("properdocs") and properdocs is None:
        found.append(Finding("error", f"{config_path.name} is read only by ProperDocs, which is not installed: "
                             "pip install properdocs."))
    elif config_path.name.startswith("properdocs"):
        found.append(Finding("ok", f"{config_path.name} is read by `properdocs build` (`mkdocs build` ignores it)"))
    theme = config.get("theme")
    theme_name = theme.get("name") if isinstance(theme, dict) else theme
    if theme_name != "material":
        found.append(Finding("error", f"{config_path.name}: theme.name is {theme_name!r}; sonicguide pages need "
                             "`theme: {name: material}`."))
    if "sonicguide" not in _plugin_names(config.get("plugins")):
        found.append(Finding("error", f"{config_path.name}: plugins does not list sonicguide, so no brand page is "
                             "built. Add `- sonicguide` under `plugins:` (keep `- search` too)."))
    else:
        options = _plugin_options(config.get("plugins"))
        brands_dir = config_path.parent / str(options.get("brands_dir", "brands"))
        if not brands_dir.is_dir():
            found.append(Finding("warn", f"brands folder {brands_dir.as_posix()} does not exist: "
                                 "`sonicguide new SLUG` creates it with a first brand."))
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    if custom_dir:
        main_html = config_path.parent / str(custom_dir) / "main.html"
        if main_html.is_file() and HEAD_PARTIAL not in main_html.read_text(encoding="utf-8", errors="replace"):
            found.append(Finding("warn", f"{main_html.as_posix()} replaces sonicguide's main.html and does not include "
                                 f"{HEAD_PARTIAL}: brand pages lose their JSON-LD and Open Graph tags. Add "
                                 f'{{% include "{HEAD_PARTIAL}" %}} to its extrahead block.'))
    return found


def _plugin_options(plugins: Any) -> dict[str, Any]:
    items = plugins.items() if isinstance(plugins, dict) else (
        next(iter(item.items())) for item in plugins or [] if isinstance(item, dict) and item)
    for name, options in items:
        if name == "sonicguide" and isinstance(options, dict):
            return options
    return {}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("doctor", help="report generator, theme and versions; warn about what cannot work",
                                   description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("-f", "--config-file", type=Path, default=None,
                        help="the site's configuration (default: properdocs.yml or mkdocs.yml here)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, *, versions: Callable[[], Mapping[str, str | None]] = installed_versions) -> int:
    config_path = args.config_file if args.config_file is not None else find_config(Path())
    if config_path is not None and not config_path.is_file():
        print(f"sonicguide doctor: {config_path.as_posix()} does not exist.", file=sys.stderr)
        return 1
    findings = diagnose(versions(), config_path, entry_points=plugin_entry_points())
    for finding in findings:
        print(f"{finding.level:<5} {finding.message}")
    return 1 if any(finding.level == "error" for finding in findings) else 0
