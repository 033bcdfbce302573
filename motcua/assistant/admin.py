from django.contrib import admin

from .models import Conversation, Exchange, FaqEntry


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "procedure", "valid_from", "valid_until", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["question", "keywords", "answer"]
    raw_id_fields = ["procedure"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Exchange)
class ExchangeAdmin(admin.ModelAdmin):
    list_display = ["text", "intent", "confidence", "answered", "source", "created_at", "reviewed"]
    list_filter = ["intent", "answered", "source", "reviewed"]
    search_fields = ["folded"]
    readonly_fields = [f.name for f in Exchange._meta.fields if f.name != "reviewed"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["public_id", "channel", "started_at", "updated_at"]
    list_filter = ["channel"]
    readonly_fields = ["public_id", "channel", "sender", "started_at", "updated_at", "context"]
