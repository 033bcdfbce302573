from django.conf import settings

from motcua.core.services.national_signin import national_signin_enabled


def site(request):
    return {
        "SITE_NAME": "Một cửa",
        "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL,
        "NATIONAL_SIGNIN": national_signin_enabled(),
    }
