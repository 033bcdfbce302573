"""Included by the assistant's urls under /tro-ly/."""

from django.urls import path

from . import views

urlpatterns = [
    path("zalo/webhook/", views.zalo_webhook, name="zalo_webhook"),
    path("sms/den/", views.sms_incoming, name="sms_incoming"),
]
