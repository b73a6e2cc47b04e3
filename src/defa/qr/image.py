"""Payment QR images: render a payload as PNG or SVG, and read payloads back from images.

Rendering uses segno in byte mode; a payload with non-ASCII characters (Khmer or Chinese
merchant names in ID 64) is marked with ECI 26 (UTF-8) so that readers decode it as UTF-8
rather than ISO 8859-1. Reading uses zxing-cpp on images Pillow can open. Both packages are
optional: without them the functions raise :class:`~defa.errors.DataError`
(``qr.image_unavailable``).
"""

from __future__ import annotations

import io
from typing import Any

from defa.errors import DataError, InputRejected, Issue, Report, ValidationError
from defa.qr._payload import Payload, decode

__all__ = ["MAX_IMAGE_BYTES", "check_image", "read_image", "render_png", "render_svg", "scan_image"]

#: Images larger than this are refused unread.
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def _missing(package: str, exc: ImportError) -> DataError:
    return DataError(
        Issue(
            "qr.image_unavailable",
            f"{package} is not installed; pip install segno zxing-cpp Pillow",
            loc="image",
            ctx={"package": package, "error": str(exc)},
        )
    )


def _symbol(payload: str, error: str) -> Any:
    try:
        import segno
    except ImportError as exc:
        raise _missing("segno", exc) from None
    # Byte mode keeps the payload's UTF-8 bytes exactly; ECI only where it matters, since some
    # wallet scanners predate ECI and every ASCII payload reads the same without it.
    return segno.make_qr(
        payload, mode="byte", encoding="utf-8", eci=not payload.isascii(), error=error
    )


def render_png(payload: str, *, scale: int = 8, border: int = 4, error: str = "m") -> bytes:
    """The payload as a PNG image (error correction level ``error``: l, m, q or h)."""
    out = io.BytesIO()
    _symbol(payload, error).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def render_svg(payload: str, *, scale: int = 8, border: int = 4, error: str = "m") -> str:
    """The payload as an SVG document."""
    out = io.BytesIO()
    _symbol(payload, error).save(out, kind="svg", scale=scale, border=border, xmldecl=False)
    return out.getvalue().decode("utf-8")


def _not_a_qr(msg: str) -> Issue:
    return Issue("qr.not_a_qr_image", msg, loc="image")


def scan_image(image: bytes) -> list[str]:
    """The text of every QR Code found in an image (PNG, JPEG, ... as bytes), in reading order.

    Raises :class:`~defa.errors.InputRejected` for an oversized image and
    :class:`~defa.errors.ValidationError` (``qr.not_a_qr_image``) for bytes that are no image.
    """
    if len(image) > MAX_IMAGE_BYTES:
        raise InputRejected(
            Issue("qr.too_large", f"the image exceeds {MAX_IMAGE_BYTES} bytes", loc="image")
        )
    try:
        import zxingcpp
        from PIL import Image
    except ImportError as exc:
        raise _missing("zxing-cpp and Pillow", exc) from None
    try:
        with Image.open(io.BytesIO(image)) as img:
            img.load()
            found = zxingcpp.read_barcodes(img, formats=zxingcpp.barcode_formats_from_str("QRCode"))
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _not_a_qr(f"the bytes are not an image Pillow reads: {exc}")
        ) from None
    return [str(b.text) for b in found if b.valid]


def read_image(image: bytes) -> Payload:
    """Decode the first QR Code in an image as a payment payload.

    Raises :class:`~defa.errors.ValidationError` (``qr.not_a_qr_image``) when none is found.
    """
    texts = scan_image(image)
    if not texts:
        raise ValidationError(_not_a_qr("no QR Code was found in the image"))
    return decode(texts[0])


def check_image(image: bytes) -> Report:
    """Read an image and report on its payload; never raises on bad input."""
    try:
        return read_image(image).report()
    except (ValidationError, DataError) as exc:
        return Report(issues=list(exc.issues))
