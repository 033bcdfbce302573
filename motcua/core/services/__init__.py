"""Writes of the core app, one module per area (`<entity>_<verb>`, keyword-only, one transaction each)."""
