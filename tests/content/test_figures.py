"""Every shipped stretch and self-test figure: present, valid XML, titled, small, and safe under the CSP."""

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def shipped_figures():
    paths = []
    for muscle in yaml.safe_load((ROOT / "articles/site_content/muscles.yaml").read_text()):
        paths += [s["illustration"] for s in muscle.get("stretches", [])]
    paths += [t["illustration"] for t in yaml.safe_load((ROOT / "assessment/site_content/self_tests.yaml").read_text())]
    return paths


def test_every_stretch_and_self_test_names_a_figure():
    paths = shipped_figures()
    assert len([p for p in paths if p.startswith("img/stretches/")]) == 15
    assert len([p for p in paths if p.startswith("img/self-tests/")]) == 6


@pytest.mark.parametrize("path", shipped_figures())
def test_figure_is_a_small_safe_titled_svg(path):
    file = ROOT / "static" / path
    assert file.is_file(), path
    text = file.read_text()
    assert len(text.encode()) < 4096, f"{path} is {len(text.encode())} bytes"
    root = ElementTree.fromstring(text)  # noqa: S314 (our own shipped files)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") and root.get("role") == "img"
    assert (root.findtext(f"{SVG}title") or "").strip()
    assert (root.findtext(f"{SVG}desc") or "").strip()
    for element in root.iter():
        assert element.tag.replace(SVG, "") not in {"script", "image", "foreignObject", "use", "a"}
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (path, name)
            assert not name.endswith("href"), (path, name)
            assert "url(" not in value and "http" not in value.replace("http://www.w3.org/2000/svg", ""), (path, value)
    assert not re.search(r"<style|@import", text)
