from django.urls import path

from . import views

app_name = "queue_board"
urlpatterns = [
    path("<int:office_id>/", views.board_page, name="board"),
    path("<int:office_id>/trang-thai/", views.board_state_json, name="state"),
    path("<int:office_id>/su-kien/", views.board_stream, name="stream"),
]
