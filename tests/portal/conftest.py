"""The portal's tests reuse the dossier fixtures: two communes A and B, one officer per role in each."""

from tests.dossiers.conftest import *  # noqa: F403  (pytest fixtures)
