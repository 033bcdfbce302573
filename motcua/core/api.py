"""Core endpoints: administrative units and the working-day calendar."""

from ninja import Router

router = Router(tags=["Nền tảng"])
