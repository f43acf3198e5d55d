"""When a drawn signature is good enough to stand for consent.

An empty pad, a dot or a tiny scribble is refused, kindly, with the reason. The test is
on the ink itself, so it is the same for touch, pen and mouse, and for any pad size.
"""

from __future__ import annotations

import enum
import itertools
import math

from kiosk.domain.summary import Signature

#: The ink must span at least this share of the pad's width.
MIN_WIDTH_SHARE = 0.15
#: ...and the pen must travel at least this share of the pad's width in all.
MIN_INK_SHARE = 0.25


class SignatureProblem(enum.Enum):
    EMPTY = "empty"
    TOO_SMALL = "too_small"


class SignatureRefused(ValueError):
    def __init__(self, problem: SignatureProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def ink_length(signature: Signature) -> float:
    return sum(
        math.dist(a, b) for stroke in signature.strokes for a, b in itertools.pairwise(stroke)
    )


def check_signature(signature: Signature) -> None:
    """Raise ``SignatureRefused`` unless the signature is a real mark across the pad.

    One continuous stroke is accepted on purpose: many people sign without lifting the
    pen. What is refused is nothing at all, a dot, or a mark narrower than 15% of the pad.
    """
    points = [p for stroke in signature.strokes for p in stroke]
    if not points or signature.width <= 0:
        raise SignatureRefused(SignatureProblem.EMPTY)
    xs = [x for x, _ in points]
    if (max(xs) - min(xs)) < MIN_WIDTH_SHARE * signature.width or ink_length(
        signature
    ) < MIN_INK_SHARE * signature.width:
        raise SignatureRefused(SignatureProblem.TOO_SMALL)
