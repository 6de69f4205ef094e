"""An upload's memory stays bounded (issue 10: a 6000×6000 picture took the web process to
900 MiB): over CARD_IMAGE_MAX_PIXELS it is refused from its header, below it is decoded once
and shrunk. Measured in a fresh process (bench/card_image_memory.py, resource.getrusage)."""

import pytest

from bench.card_image_memory import measure

pytestmark = pytest.mark.live  # starts Python processes


def test_a_6000_square_picture_is_refused_without_being_decoded():
    result = measure(6000, 6000, "PNG")
    assert result["status"] == 200, "refused: the form is shown again with the error"
    # Decoded, it would be 6000 × 6000 × 3 bytes = 103 MiB before any copy.
    assert result["peak_mib"] - result["before_mib"] < 40, result


def test_a_picture_at_the_cap_is_stored_within_a_bounded_peak():
    result = measure(4096, 4096, "PNG")
    assert result["status"] == 302, result
    # Before: 376 MiB peak for this picture (290 over the process's own), 706 for 6000².
    assert result["peak_mib"] - result["before_mib"] < 180, result
