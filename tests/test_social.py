"""Social card PNGs: exact size, deterministic bytes, text drawn literally, cached by content."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from sonicguide.core.cache import Cache
from sonicguide.core.views.social import card_alt, card_fields, card_png, social_card


def _fields(name: str = "Acme $x^2$ Sound") -> dict[str, object]:
    return card_fields(name=name, tagline="Brass & bells", industry="Rail", tier_label="Human-made",
                       peaks=[[-0.5, 0.5], [-0.2, 0.9], [0.0, 0.1]])


def test_card_is_a_1200_by_630_png_with_the_same_bytes_every_time() -> None:
    first, second = card_png(_fields()), card_png(_fields())
    assert first == second
    image = Image.open(io.BytesIO(first))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert "Software" not in image.info and not any(k.lower().startswith("date") for k in image.info)


def test_text_is_drawn_literally_and_changes_the_image() -> None:
    # A "$" pair would be TeX to matplotlib; parse_math=False draws it as typed (and does not raise).
    assert card_png(_fields("Acme $x^2$ Sound")) != card_png(_fields("Acme x2 Sound"))
    assert card_alt(_fields()) == ("Acme $x^2$ Sound: sonic identity guide. Brass & bells. Rail, Human-made. "
                                   "The waveform of its sonic logo.")


def test_cards_are_cached_by_content(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    path = social_card(_fields(), cache)
    stamp = path.stat().st_mtime_ns
    assert social_card(_fields(), cache) == path and path.stat().st_mtime_ns == stamp
    assert social_card(_fields("Other"), cache) != path


def _pixels(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _colours(image: Image.Image) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in pixel) for pixel in np.asarray(image).reshape(-1, 3)}


def test_a_long_name_is_fitted_inside_the_margins_not_cut_at_the_edge() -> None:
    fields = card_fields(name="A Very Long Brand Name Indeed For Testing The Card", tagline=None, industry="Rail",
                         tier_label=None, peaks=[])
    image = _pixels(card_png(fields))
    background = image.getpixel((1199, 0))
    # The name's band (the text is centred 30 % from the top); the right margin stays empty.
    band = _colours(image.crop((1128, 150, 1200, 230)))
    assert band == {background}
    # ...and the name is there, ended by an ellipsis rather than dropped.
    assert len(_colours(image.crop((72, 150, 1128, 230)))) > 10


def test_the_sonic_logo_waveform_is_filled_between_its_columns() -> None:
    image = _pixels(card_png(_fields()))
    accent = (0x7F, 0xB0, 0xFF)
    wave = image.crop((72, 391, 1128, 530))
    assert accent in _colours(wave)
    # Without peaks the band is empty.
    empty = _pixels(card_png(card_fields(name="A", tagline=None, industry="Rail", tier_label=None, peaks=[])))
    assert accent not in _colours(empty.crop((72, 391, 1128, 530)))
