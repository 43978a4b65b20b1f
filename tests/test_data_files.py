"""Where the national standard's data files are found."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pytest

from gklint import data
from gklint.data import load_standard_data, national_data_files


def test_installed_package_ships_layouts_and_registry() -> None:
    names = sorted(f.name for f in national_data_files())
    assert {"layout-2021.toml", "layout-2020.toml", "citations.toml", "contact.toml"} <= set(names)
    standard = load_standard_data(national_data_files())
    assert sorted(standard.layouts) == ["2020", "2021"]


def test_source_checkout_without_install_uses_the_rules_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    checkout_rules = Path(data.__file__).resolve().parent.parent / "rules"
    if not checkout_rules.is_dir():
        pytest.skip("running from an installed wheel, not a checkout")

    monkeypatch.setitem(sys.modules, "gklint.rules", None)  # importing it fails, as when it is not installed
    found = national_data_files()
    assert found and all(Path(str(f)).is_relative_to(checkout_rules) for f in found)
    assert sorted(load_standard_data(found).layouts) == ["2020", "2021"]


@pytest.mark.parametrize("package", ["gklint.rules", "gklint", "gklint.national"])
def test_package_files_are_those_importlib_resources_gives(package: str) -> None:
    assert data.package_files(package) == resources.files(package)
