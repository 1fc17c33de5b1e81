"""Placement commands: ``merit run``, ``merit demo``, ``merit compare``."""

from __future__ import annotations
