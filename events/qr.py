"""The QR image of a person's check-in code, drawn on the server as SVG (segno).

The image carries the code only (8 characters from CODE_ALPHABET), the same code the
person can read aloud or the organiser can type: the scanner on the check-in page
(static/js/check-in.js) fills the form's code field with it and posts it, so the code
travels in a POST body, never in a URL. An SVG data URI needs no file, no request and no
exception to the Content Security Policy (img-src allows data:).
"""

import segno

# Eight modules to a unit: 29 × 8 = 232 px for a version 1 code with its quiet zone, sharp
# on any screen (SVG) and large enough for a phone camera held at arm's length.
SCALE = 8
# The quiet zone the standard asks for (4 modules): scanners find the code faster with it.
BORDER = 4


def check_in_qr(code: str) -> str:
    """A data: URI of the SVG QR code of `code` (error correction raised as far as the size allows)."""
    return segno.make_qr(code, error="m", boost_error=True).svg_data_uri(scale=SCALE, border=BORDER, xmldecl=False)
