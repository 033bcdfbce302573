from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from motcua.api import api
from motcua.core import urls as core_urls
from motcua.portal import urls as portal_urls

urlpatterns = [
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("thu-tuc/", include("motcua.catalog.urls")),
    path("ho-so/", include("motcua.dossiers.urls")),
    # One inbox for citizens: the old address of "my messages" answers with the dossiers' inbox page.
    path(
        "thong-bao/cua-toi/",
        RedirectView.as_view(pattern_name="dossiers:inbox", permanent=True, query_string=True),
        name="my_messages_moved",
    ),
    path("thong-bao/", include("motcua.notifications.urls")),
    path("cong-nghe-so/", include("motcua.outreach.urls")),
    path("to-cong-nghe-so/tien-do/", include("motcua.outreach.progress.urls")),
    path("thong-bao-dien-rong/", include("motcua.notifications.broadcasts.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("thanh-toan/kenh/", include("motcua.payments.channels.urls")),
    path("bien-lai/", include("motcua.payments.receipts.urls")),
    path("chu-ky-so/", include("motcua.signing.urls.officer")),
    path("xac-thuc/", include("motcua.signing.urls.public")),
    path("danh-gia/", include("motcua.ratings.urls")),
    path("van-ban/", include("motcua.documents.urls")),
    path("xep-hang/bang/", include("motcua.queue.board.urls")),
    path("xep-hang/", include("motcua.queue.urls")),
    path("dat-lich/tong-dai/", include("motcua.appointments.switchboard.urls")),
    path("dat-lich/", include("motcua.appointments.urls")),
    path("tro-ly/", include("motcua.assistant.urls")),
    path("dong-bo-dvcqg/", include("motcua.nationalsync.urls")),
    path("chi-so/", include("motcua.serviceindex.urls")),
    path("phan-anh/", include("motcua.fieldreports.urls")),
    path("open311/v2/", include("motcua.fieldreports.open311.urls")),
    path("", include("motcua.verification.urls")),
    path("", include(([*portal_urls.urlpatterns, *core_urls.urlpatterns], core_urls.app_name))),
]

handler400 = "motcua.core.views.error_pages.bad_request"
handler403 = "motcua.core.views.error_pages.permission_denied"
handler404 = "motcua.core.views.error_pages.page_not_found"
handler500 = "motcua.core.views.error_pages.server_error"
