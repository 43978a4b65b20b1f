"""Install a plugin distribution into a folder (a module plus ``.dist-info``), as pip would, without pip."""

from __future__ import annotations

from pathlib import Path


def install(site: Path, dist: str, version: str, entry_point: str, module: str, files: dict[str, str]) -> None:
    """Write *files* (relative path -> text) under *site* and register entry point *entry_point* = *module*."""
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[gklint]\n{entry_point} = {module}\n", encoding="utf-8")
