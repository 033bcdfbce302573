from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Nền tảng"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's own guard, for images opened outside the upload checks (motcua.core.images): warn
        # above this many pixels, refuse above twice it.
        Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
