"""``merit synth``: write a deterministic synthetic Kota Kupang dataset."""

from __future__ import annotations
