"""A brand's logo image (identity.look.logo, issue 12 item 2): SVGs rebuilt from an allow-list with
hostile content refused, PNGs checked by their bytes, paths resolved like audio paths but with no
link at all, every problem positioned in brand.yml, and the picture on the brand page, the gallery
card and the comparison of a real build."""

from __future__ import annotations

import os
import struct
import time
import zlib
from pathlib import Path

import pytest

from hardening_fixtures import MINIMAL_BRAND, make_brand
from sonicguide.core.errors import BrandError
from sonicguide.core.load.brand import load_brand
from sonicguide.core.load.images import (
    MAX_PNG_SIDE,
    ImageRefused,
    check_png,
    resolve_image_path,
    sanitise_svg,
)

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" ' \
      'width="40" height="20">{}</svg>'
CLEAN = ('<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
         '<circle id="c" cx="5" cy="5" r="4" fill="url(#g)" style="stroke: #000"/>'
         '<use xlink:href="#c" x="1"/><text x="0" y="9" font-size="3">Acme</text>')


def png(width: int = 8, height: int = 4) -> bytes:
    """A valid PNG of ``width`` × ``height`` grey pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def refusal(svg: str) -> str:
    with pytest.raises(ImageRefused) as caught:
        sanitise_svg(svg.encode("utf-8"))
    return str(caught.value)


# -- SVG ------------------------------------------------------------------------------------------


def test_a_clean_svg_keeps_its_drawing_and_is_written_the_same_every_time() -> None:
    image = sanitise_svg(SVG.format(CLEAN).encode())
    text = image.data.decode()
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"')
    for kept in ('<stop offset="0" stop-color="#fff" />', 'fill="url(#g)"', 'style="stroke: #000"',
                 '<use href="#c" x="1" />', ">Acme</text>"):
        assert kept in text
    assert "xlink" not in text  # xlink:href is written as href, the only namespace left is SVG's
    assert (image.kind, image.width, image.height) == ("svg", 40.0, 20.0)
    assert sanitise_svg(SVG.format(CLEAN).encode()).data == image.data


def test_editor_data_and_comments_are_dropped_silently() -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
           'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" viewBox="0 0 1 1">'
           '<!-- a comment --><sodipodi:namedview inkscape:zoom="2"/><metadata><x/></metadata>'
           '<path d="M0 0h1" inkscape:label="line"/></svg>')
    assert sanitise_svg(svg.encode()).data.decode() == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><path d="M0 0h1" /></svg>\n')


@pytest.mark.parametrize(("body", "words"), [
    ("<script>alert(1)</script>", "<script>"),
    ('<g><script xlink:href="https://evil.example/x.js"/></g>', "<script>"),
    ('<circle r="1" onload="alert(1)"/>', "event handler (onload"),
    ('<rect width="1" height="1" onclick="x()"/>', "event handler (onclick"),
    ('<use xlink:href="https://evil.example/sprite.svg#a"/>', "reference outside the file"),
    ('<use href="http://evil.example/a.svg#x"/>', "reference outside the file"),
    ('<use href="data:image/svg+xml;base64,PHN2Zz4="/>', "reference outside the file"),
    ('<rect width="1" height="1" fill="url(https://evil.example/p.svg#g)"/>', "reference outside the file"),
    ('<rect width="1" height="1" style="fill: url(http://evil.example/t.png)"/>', "reference outside the file"),
    ("<style>@import url(https://evil.example/a.css);</style>", "@import"),
    ("<style>rect { fill: url('//evil.example/x') }</style>", "reference outside the file in a <style>"),
    ('<style>rect { background: u\\72l(x) }</style>', "CSS escapes"),
    ('<rect width="1" height="1" style="fill: image-set(\'https://e.example/a.png\' 1x)"/>', "image-set()"),
    ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>', "<foreignObject>"),
    ('<image href="logo.png" width="1" height="1"/>', "<image>"),
    ('<a href="javascript:alert(1)"><rect width="1" height="1"/></a>', "<a> link"),
    ('<set attributeName="href" to="javascript:alert(1)"/>', "<set>"),
    ('<animate attributeName="fill" values="red;blue"/>', "<animate>"),
    ('<iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/>', "<iframe>"),
    ('<textPath href=" javascript:alert(1)">x</textPath>', "script address"),
])
def test_hostile_svg_is_refused_with_the_reason(body: str, words: str) -> None:
    message = refusal(SVG.format(body))
    assert words in message
    assert message.endswith("refers to nothing outside its file)")


def test_every_problem_of_one_svg_is_named_at_once() -> None:
    message = refusal(SVG.format('<script/><circle r="1" onload="x()"/><use href="https://e.example/a"/>'))
    assert "<script>" in message and "onload" in message and "reference outside the file" in message


def test_entity_bombs_and_external_entities_are_refused_before_expansion() -> None:
    # A billion laughs: ten levels of ten references each, 10^10 characters once expanded.
    bomb = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
            + ']><svg xmlns="http://www.w3.org/2000/svg"><text>&j;</text></svg>')
    start = time.perf_counter()
    assert "declares a DTD or entities" in refusal(bomb)
    assert time.perf_counter() - start < 1.0
    external = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')
    assert "declares a DTD or entities" in refusal(external)
    assert "declares a DTD" in refusal('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                                       '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
                                       '<svg xmlns="http://www.w3.org/2000/svg"/>')


@pytest.mark.parametrize(("svg", "words"), [
    ('<svg viewBox="0 0 1 1"><path d="M0 0"/></svg>', "root element must be <svg xmlns="),
    ('<html xmlns="http://www.w3.org/1999/xhtml"><script>x()</script></html>', "root element must be <svg"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', "not well-formed XML"),
    ('<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 40 + "</g>" * 40 + "</svg>", "nested more than 32"),
])
def test_not_an_svg_logo(svg: str, words: str) -> None:
    assert words in refusal(svg)


# -- PNG ------------------------------------------------------------------------------------------


def test_png_is_checked_by_its_bytes() -> None:
    image = check_png(png(8, 4))
    assert (image.kind, image.width, image.height) == ("png", 8.0, 4.0)
    with pytest.raises(ImageRefused, match="not a PNG"):
        check_png(b"GIF89a" + b"\x00" * 40)
    with pytest.raises(ImageRefused, match="not a PNG"):
        check_png(SVG.format("").encode())
    huge = bytearray(png(8, 4))
    huge[16:24] = struct.pack(">II", MAX_PNG_SIDE + 1, 10)
    with pytest.raises(ImageRefused, match=f"each side must be 1 to {MAX_PNG_SIDE}"):
        check_png(bytes(huge))


# -- paths and positioned problems ------------------------------------------------------------------


def brand_with_logo(tmp_path: Path, look: str) -> Path:
    text = MINIMAL_BRAND.replace("  industry: Testing\n", f"  industry: Testing\n  look:\n{look}")
    assert text != MINIMAL_BRAND
    return make_brand(tmp_path / "brands", "acme", text)


@pytest.mark.parametrize(("relative", "words"), [
    ("../outside.svg", "leaves the brand folder"),
    ("/etc/logo.svg", "is absolute"),
    ("https://example.org/logo.svg", "is a URL"),
    ("images/logo.gif", "is not an SVG or PNG file"),
    ("images/missing.svg", "does not exist"),
])
def test_refused_logo_paths(tmp_path: Path, relative: str, words: str) -> None:
    folder = brand_with_logo(tmp_path, "    primary: \"#123456\"\n")
    (tmp_path / "brands" / "outside.svg").write_text(SVG.format(""), encoding="utf-8")
    path, message = resolve_image_path(relative, folder)
    assert path is None and words in str(message)


def test_links_are_refused_even_inside_the_folder(tmp_path: Path) -> None:
    folder = brand_with_logo(tmp_path, "    primary: \"#123456\"\n")
    (folder / "images").mkdir()
    (folder / "images" / "real.svg").write_text(SVG.format(""), encoding="utf-8")
    (folder / "images" / "alias.svg").symlink_to("real.svg")
    (folder / "linked").symlink_to(folder / "images", target_is_directory=True)
    assert "link" in str(resolve_image_path("images/alias.svg", folder)[1])
    assert "link" in str(resolve_image_path("linked/real.svg", folder)[1])
    assert resolve_image_path("images/real.svg", folder) == (Path(os.path.realpath(folder / "images/real.svg")), None)


def test_every_logo_problem_is_positioned_in_brand_yml_at_once(tmp_path: Path) -> None:
    folder = brand_with_logo(tmp_path, "    logo: images/logo.svg\n    logo_dark: ../secret.png\n")
    (folder / "images").mkdir()
    (folder / "images" / "logo.svg").write_text(SVG.format('<circle r="1" onload="alert(1)"/>'), encoding="utf-8")
    with pytest.raises(BrandError) as caught:
        load_brand(folder, display_root=tmp_path)
    problems = [str(p) for p in caught.value.problems]
    assert problems[0].startswith("brands/acme/brand.yml:5:11: identity.look.logo: 'images/logo.svg': the SVG has "
                                  "an event handler (onload=...)")
    assert problems[1].startswith("brands/acme/brand.yml:6:16: identity.look.logo_dark: '../secret.png' leaves "
                                  "the brand folder")
    assert len(problems) == 2


def test_a_good_logo_is_loaded_sanitised(tmp_path: Path) -> None:
    folder = brand_with_logo(tmp_path, "    logo: images/logo.svg\n    logo_dark: images/dark.png\n")
    (folder / "images").mkdir()
    (folder / "images" / "logo.svg").write_text(SVG.format("<!-- x --><path d='M0 0'/>"), encoding="utf-8")
    (folder / "images" / "dark.png").write_bytes(png())
    loaded = load_brand(folder)
    assert loaded.brand.identity.look is not None and loaded.brand.identity.look.logo == "images/logo.svg"
    assert set(loaded.images) == {"logo", "logo_dark"}
    assert b"<!--" not in loaded.images["logo"].data
    assert loaded.images["logo_dark"].data == png()
