"""The built-in pictograms: all 24 exist, render as SVG and PNG, and are told apart easily.

Pure Pillow and XML: no Django, no database.
"""

import itertools
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from games.pictograms import MOTIFS, PICTOGRAMS, render_image, render_svg, shade

SVG_NS = "{http://www.w3.org/2000/svg}"
FIELD_COLOURS = ("#1f6fb2", "#7b3fa0", "#c0392b", "#1e8449")
NUMBERS = range(1, 25)
MASK_SIDE = 16


def alpha_mask(number: int) -> list[bool]:
    """The picture's silhouette, 64px downsampled to 16x16."""
    alpha = (
        render_image(number, "#1e8449", 64)
        .getchannel("A")
        .resize((MASK_SIDE, MASK_SIDE), Image.Resampling.BILINEAR)
    )
    return [alpha.getpixel((x, y)) >= 128 for y in range(MASK_SIDE) for x in range(MASK_SIDE)]


@pytest.fixture(scope="module")
def masks() -> dict[int, list[bool]]:
    return {number: alpha_mask(number) for number in NUMBERS}


def test_all_24_values_have_a_pictogram_and_a_motif():
    assert sorted(PICTOGRAMS) == list(NUMBERS)
    assert sorted(MOTIFS) == list(NUMBERS)
    assert all(PICTOGRAMS[number] for number in NUMBERS)


@pytest.mark.parametrize("number", NUMBERS)
def test_svg_is_standalone_xml_with_the_100_viewbox(number):
    svg = render_svg(number, "#c0392b", title="Linking value & <friends>")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 100 100"
    assert root.get("role") == "img"
    assert root.find(f"{SVG_NS}title").text == "Linking value & <friends>"
    assert len(root) > 1
    assert "href" not in svg and "url(" not in svg
    assert "#c0392b" in svg


def test_svg_without_title_has_no_title_and_is_deterministic():
    svg = render_svg(10, "#c0392b")
    assert ET.fromstring(svg).find(f"{SVG_NS}title") is None
    assert render_svg(10, "#c0392b") == svg
    assert render_svg(10, "#1f6fb2") != svg


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("size", [64, 160])
def test_image_has_requested_size_and_visible_pixels(number, size):
    image = render_image(number, FIELD_COLOURS[number % 4], size)
    assert image.mode == "RGBA"
    assert image.size == (size, size)
    alpha = image.getchannel("A")
    lo, hi = alpha.getextrema()
    assert hi == 255  # something is drawn ...
    assert lo == 0  # ... on a transparent background
    covered = sum(1 for value in alpha.get_flattened_data() if value >= 128) / size**2
    assert 0.12 < covered < 0.8, f"{number} covers {covered:.0%} of its square"


def test_image_is_deterministic_and_uses_the_field_colour():
    first = render_image(1, "#1f6fb2", 96)
    assert first.tobytes() == render_image(1, "#1f6fb2", 96).tobytes()
    colours = {rgba[:3] for rgba in first.get_flattened_data() if rgba[3] == 255}
    assert (0x1F, 0x6F, 0xB2) in colours


def test_pictograms_are_pairwise_distinct(masks):
    for a, b in itertools.combinations(NUMBERS, 2):
        same = sum(x == y for x, y in zip(masks[a], masks[b], strict=True)) / MASK_SIDE**2
        overlap = sum(x and y for x, y in zip(masks[a], masks[b], strict=True))
        union = sum(x or y for x, y in zip(masks[a], masks[b], strict=True))
        assert same <= 0.9, f"{a} and {b} share {same:.0%} of their mask pixels"
        assert overlap / union <= 0.8, f"{a} and {b} overlap {overlap / union:.0%} (IoU)"


def test_unknown_number_and_bad_input_are_refused():
    with pytest.raises(ValueError):
        render_svg(25, "#1f6fb2")
    with pytest.raises(ValueError):
        render_image(0, "#1f6fb2", 64)
    with pytest.raises(ValueError):
        render_image(1, "#1f6fb2", 0)
    with pytest.raises(ValueError):
        render_svg(1, "blue")


def test_shade_mixes_towards_white_and_black():
    assert shade("#1f6fb2", 0) == "#1f6fb2"
    assert shade("#1f6fb2", 1) == "#ffffff"
    assert shade("#1f6fb2", -1) == "#000000"
    assert shade("#000", 0.5) == "#808080"
    assert shade("#FFFFFF", -0.5) == "#808080"
