"""Payment QR images: every valid vector survives PNG rendering and scanning unchanged."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from defa.errors import InputRejected
from defa.qr import decode, encode
from defa.qr.image import (
    MAX_IMAGE_BYTES,
    check_image,
    read_image,
    render_png,
    render_svg,
    scan_image,
)
from tests.shared import shared_path

VALID = [
    r["payload"]
    for r in json.loads(shared_path("vectors", "qr", "payloads.json").read_text("utf-8"))
    if r["valid_crc_and_tlv"]
]


def test_every_valid_vector_round_trips_through_png() -> None:
    lost = [p for p in VALID if scan_image(render_png(p, scale=4)) != [p]]
    assert lost == []


def test_non_ascii_payload_reads_back_as_utf8() -> None:
    khmer = next(p for p in VALID if "ចន" in p)
    back = read_image(render_png(khmer))
    assert back.text == khmer
    assert encode(back) == khmer
    assert back.valid


def test_svg_is_an_svg_document() -> None:
    svg = render_svg(VALID[0])
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")


def test_images_without_a_code_are_reported() -> None:
    blank = io.BytesIO()
    Image.new("L", (200, 200), 255).save(blank, format="PNG")
    assert [i.code for i in check_image(blank.getvalue()).issues] == ["qr.not_a_qr_image"]
    assert [i.code for i in check_image(b"not an image").issues] == ["qr.not_a_qr_image"]


def test_oversized_images_are_refused() -> None:
    with pytest.raises(InputRejected):
        scan_image(b"\x00" * (MAX_IMAGE_BYTES + 1))


def test_report_of_an_image_is_the_payload_report() -> None:
    payload = VALID[5]
    assert check_image(render_png(payload)).to_dict() == decode(payload).report().to_dict()
