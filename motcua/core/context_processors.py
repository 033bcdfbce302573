from django.conf import settings


def site(request):
    from motcua.core.services.national_signin import national_signin_enabled

    return {
        "SITE_NAME": "Một cửa",
        "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL,
        "NATIONAL_SIGNIN": national_signin_enabled(),
    }
