"""Geometry of report places: distances on the ground and the grid of the public map."""

from __future__ import annotations

import math

# Grid levels (cells of 2^-level degrees): 4 ≈ 7 km ... 12 ≈ 27 m. The map picks one per zoom.
MAP_LEVELS = (4, 6, 8, 10, 12)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def cell_of(level: int, lat: float, lon: float) -> tuple[str, float, float]:
    """The cell key "x:y" and its origin (min_lat, min_lon) for a point at `level`."""
    scale = 2**level
    x, y = math.floor(lon * scale), math.floor(lat * scale)
    return f"{x}:{y}", y / scale, x / scale
