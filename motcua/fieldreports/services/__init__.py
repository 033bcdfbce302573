"""Writes for field reports: submission, handling, deadlines and the map rollup."""
