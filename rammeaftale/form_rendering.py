"""Every form field is drawn with the design system's classes.

Det Fælles Designsystem resets every control (`appearance: none`) and styles
only its own classes: a radio button without `form-radio` has no size at all,
a select without `form-select` no arrow. The class is given here, once, for
every form of the project (settings.FORM_RENDERER), so no form can forget it.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


def design_system_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "form-checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "form-radio"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-input"


class DesignSystemBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = f"{widget.attrs.get('class', '')} {attrs.get('class', '')}".split()
        if not widget.is_hidden and not any(name.startswith("form-") for name in classes):
            attrs["class"] = " ".join([*classes, design_system_class(widget)])
        return attrs


class DesignSystemRenderer(DjangoTemplates):
    bound_field_class = DesignSystemBoundField
