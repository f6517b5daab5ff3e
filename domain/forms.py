"""The design system's form: what every app's workflow forms build on."""

from django import forms


class DesignSystemForm(forms.Form):
    """Widgets with the design system's classes (form-input, form-select), so
    the workflow forms have its full-width fields under their labels. Render
    its fields with `includes/form_fields.html`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                css = "form-radio"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-checkbox"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class DateInput(forms.DateInput):
    """The browser's date picker, with the value in the ISO form it reads."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
