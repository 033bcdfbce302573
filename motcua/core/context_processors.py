from django.conf import settings


def site(request):
    return {"SITE_NAME": "Một cửa", "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL}
