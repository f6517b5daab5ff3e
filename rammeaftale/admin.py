from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

# Users are linked to providers and municipalities from those pages; the user
# admin must be searchable for their autocomplete fields.
admin.site.unregister(User)


@admin.register(User)
class RammeaftaleUserAdmin(UserAdmin):
    search_fields = ["username", "first_name", "last_name", "email"]
