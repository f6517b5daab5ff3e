"""Import and export of municipalities, by their three-digit code."""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from agreements.models import Municipality, Region
from register_io.services import IntegerWidget, NaturalKeyWidget, RegisterResource, TextWidget

MUNICIPALITY_CODE = "Kommunekode"


def municipality_widget() -> NaturalKeyWidget:
    """A municipality by its code, as every register file names it."""
    return NaturalKeyWidget(
        Municipality.objects.all(),
        "code",
        _("There is no municipality with code %(value)s."),
    )


def region_widget() -> NaturalKeyWidget:
    return NaturalKeyWidget(
        Region.objects.all(), "code", _("There is no region with code %(value)s.")
    )


class MunicipalityResource(RegisterResource):
    code = Field(attribute="code", column_name=MUNICIPALITY_CODE, widget=IntegerWidget(100, 999))
    name = Field(attribute="name", column_name="Navn", widget=TextWidget())
    region = Field(attribute="region", column_name="Regionskode", widget=region_widget())

    key_fields = ("code",)

    class Meta(RegisterResource.Meta):
        model = Municipality
        name = _("Municipalities")
        fields = ("code", "name", "region")
        import_id_fields = ("code",)

    def existing_queryset(self):
        return Municipality.objects.select_related("region")

    def related_for_export(self) -> list[str]:
        return ["region"]
