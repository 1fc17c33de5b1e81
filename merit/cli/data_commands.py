"""Data commands: ``merit validate``, ``merit synth``, ``merit schemas``."""

from __future__ import annotations
