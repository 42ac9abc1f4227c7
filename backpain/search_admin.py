"""The admin of the site-wide search terms (registered from ``BackpainConfig.ready``: ``backpain.admin`` is the
admin site's own module, and a model registered while it is imported would be lost when the site is built)."""

from django.contrib import admin

from .models import SearchTerm


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """Readers' own words for what the pages say differently, and what search looks for instead."""

    list_display = ("phrase", "search_for", "has_note")
    search_fields = ("phrase", "search_for", "note")
    fields = ("phrase", "search_for", "note")

    @admin.display(boolean=True, description="Note")
    def has_note(self, obj):
        return bool(obj.note)
