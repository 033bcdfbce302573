"""Admin: templates are edited as new versions, with a live preview; the outbox is read-only."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.core.text import format_vnd

from .models import ContactPreference, DeliveryAttempt, InboxMessage, Message, MessageTemplate, ProviderCallback
from .services.templates import template_save
from .templates import EVENTS, preview, template_problems


class MessageTemplateForm(forms.ModelForm):
    event = forms.ChoiceField(label=_("sự kiện"), choices=[(k, f"{k} – {v.label}") for k, v in EVENTS.items()])

    class Meta:
        model = MessageTemplate
        fields = ["event", "channel", "subject", "body", "provider_template_id"]

    def clean(self):
        data = super().clean()
        problems = template_problems(
            event=data.get("event", ""),
            channel=data.get("channel", ""),
            subject=data.get("subject", ""),
            body=data.get("body", ""),
            provider_template_id=data.get("provider_template_id", ""),
        )
        if problems:
            raise forms.ValidationError(problems)
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["event", "channel", "version", "is_active", "created_at"]
    list_filter = ["channel", "is_active", "event"]
    search_fields = ["event", "body"]
    readonly_fields = ["version", "is_active", "sample_preview", "allowed_placeholders"]

    @admin.display(description=_("tham số dùng được"))
    def allowed_placeholders(self, obj):
        spec = EVENTS.get(obj.event) if obj and obj.pk else None
        if spec is None:
            return "—"
        return format_html_join(", ", "<code>(({}))</code>", ((name,) for name in spec.placeholders))

    @admin.display(description=_("xem trước với dữ liệu mẫu"))
    def sample_preview(self, obj):
        if not obj or not obj.pk:
            return _("Lưu mẫu để xem trước.")
        result = preview(event=obj.event, channel=obj.channel, subject=obj.subject, body=obj.body)
        html = format_html("<p><strong>{}</strong></p><pre>{}</pre>", result["subject"], result["body"])
        if result["sms"]:
            facts = result["sms"]["unaccented"]
            html += format_html(
                "<p>Không dấu: <pre>{}</pre>{} ký tự, mã {}, {} tin, ước tính {}.</p>",
                facts["text"],
                facts["characters"],
                facts["encoding"],
                facts["segments"],
                format_vnd(facts["cost"]),
            )
        return html

    def save_model(self, request, obj, form, change):
        # Editing never rewrites what was sent: it saves the next version and activates it.
        saved = template_save(
            event=obj.event,
            channel=obj.channel,
            subject=obj.subject,
            body=obj.body,
            provider_template_id=obj.provider_template_id,
            actor=request.user,
        )
        obj.pk, obj.version, obj.is_active = saved.pk, saved.version, True

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "provider", "outcome", "http_status", "response", "error"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "channel", "recipient", "event", "status", "attempts", "created_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["recipient", "dedupe_key", "provider_message_id"]
    inlines = [DeliveryAttemptInline]
    raw_id_fields = ["person", "template", "broadcast", "fallback_of"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.is_secret:
            # A one-time code is for its recipient only: the admin shows the mask.
            return ["body_shown" if f == "body" else f for f in fields if f != "params"]
        return fields

    @admin.display(description=_("nội dung"))
    def body_shown(self, obj):
        return obj.body_shown

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "body_shown"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ContactPreference)
class ContactPreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "channel_order", "zalo_user_id", "broadcast_opt_out"]
    raw_id_fields = ["person"]


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ["title", "person", "event", "created_at", "read_at"]
    raw_id_fields = ["person"]
    search_fields = ["title"]


@admin.register(ProviderCallback)
class ProviderCallbackAdmin(admin.ModelAdmin):
    list_display = ["provider", "callback_id", "provider_message_id", "received_at"]
    readonly_fields = ["provider", "callback_id", "provider_message_id", "payload", "received_at", "message"]
