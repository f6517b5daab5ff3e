"""Every form field is drawn with the design system's classes.

Det Fælles Designsystem resets every control (`appearance: none`) and styles
only its own classes: a radio button without `form-radio` has no size at all,
a select without `form-select` no arrow. The class is given here, once, for
every form of the project (settings.FORM_RENDERER), so no form can forget it.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.formats import get_format


def design_system_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "form-checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "form-radio"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-input"


def local_number(value):
    """A limit in an error message as the language writes it: 0,01 in
    Danish, 0.01 in English; never grouped (a year limit stays 2000)."""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", get_format("DECIMAL_SEPARATOR"))
    return value


def localised(error: ValidationError) -> ValidationError:
    """The error with its numbers (min/max validators' limit_value, show_value)
    written in the page's language."""
    if not isinstance(error.params, dict):
        return error
    params = {name: local_number(value) for name, value in error.params.items()}
    return ValidationError(error.message, code=error.code, params=params)


class DesignSystemBoundField(BoundField):
    @property
    def errors(self):
        errors = super().errors
        copy = errors.copy()
        copy.data = [localised(error) for error in errors.as_data()]
        return copy

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = f"{widget.attrs.get('class', '')} {attrs.get('class', '')}".split()
        if not widget.is_hidden and not any(name.startswith("form-") for name in classes):
            attrs["class"] = " ".join([*classes, design_system_class(widget)])
        return attrs


class DesignSystemRenderer(DjangoTemplates):
    bound_field_class = DesignSystemBoundField
