"""QR codes for printed invites, as inline SVG, thousands a second.

segno builds one code in a few milliseconds of pure Python (a province's 45,000 invites were
minutes). Every step of QR encoding in byte mode is affine over GF(2) in the bits of the content
once the length, error level, version and mask are fixed: the segment header and padding are
constant, Reed-Solomon is linear, interleaving and placement are permutations, masking and the
format information are constant. So the symbol of any content of a given length is the symbol
of a first (base) content of that length XOR one precomputed difference per bit in which the two
differ. The differences are made by segno itself, once, as they are needed (an invite link
differs from the base in its 8-character code, so ~60 differences serve a whole province), and
`tests/test_invite_sheets.py` checks the result module by module against segno's own symbol.

The mask pattern is fixed instead of searched (the search is segno's 8 trial masks scored by
ISO 18004's penalty rules): any mask decodes, and a printed 30 mm code is read either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import segno

ERROR = "m"
MASK = 0
# Quiet zone around a code, in modules.
BORDER = 2
_DARK_RUN = re.compile(r"1+")


def symbol(content: bytes) -> tuple[int, int]:
    """segno's symbol of `content` (byte mode, fixed mask) as (bits as an int, width)."""
    qr = segno.make(content, error=ERROR, mask=MASK, mode="byte")
    bits = "".join("".join("1" if v else "0" for v in row) for row in qr.matrix)
    return int(bits, 2), len(qr.matrix)


@dataclass
class _Basis:
    base: bytes
    matrix: int
    width: int
    differences: dict[tuple[int, int], int] = field(default_factory=dict)

    def encode(self, content: bytes) -> int:
        matrix = self.matrix
        for index, (byte, base) in enumerate(zip(content, self.base, strict=True)):
            changed = byte ^ base
            while changed:
                bit = changed & -changed
                changed ^= bit
                difference = self.differences.get((index, bit))
                if difference is None:
                    flipped = bytearray(self.base)
                    flipped[index] ^= bit
                    difference = symbol(bytes(flipped))[0] ^ self.matrix
                    self.differences[(index, bit)] = difference
                matrix ^= difference
        return matrix


_BASES: dict[int, _Basis] = {}


def matrix_of(content: bytes) -> tuple[int, int]:
    """The symbol of `content` (as `symbol` gives it), from the basis of its length."""
    basis = _BASES.get(len(content))
    if basis is None:
        matrix, width = symbol(content)
        basis = _BASES[len(content)] = _Basis(content, matrix, width)
    return basis.encode(content), basis.width


@lru_cache(maxsize=1024)
def qr_svg(content: str) -> str:
    """An inline SVG QR code of `content`, one path of dark runs, sized by CSS (only a
    viewBox). Cached: a content repeated on the sheets is drawn once."""
    matrix, width = matrix_of(content.encode("utf-8"))
    bits = format(matrix, f"0{width * width}b")
    parts = []
    for y in range(width):
        row = bits[y * width : (y + 1) * width]
        for run in _DARK_RUN.finditer(row):
            parts.append(f"M{run.start() + BORDER} {y + BORDER}.5h{run.end() - run.start()}")
    size = width + 2 * BORDER
    return (
        f'<svg viewBox="0 0 {size} {size}" class="segno">'
        f'<path stroke="#000" d="{"".join(parts)}"/></svg>'
    )
