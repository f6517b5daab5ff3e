"""One way for a page to take a step on a POST: validate the form, call the
service, say what happened, and go on.

    return post_step(
        request,
        lambda data: services.adjustment_withdraw(user=request.user, adjustment=adjustment),
        done=_("The request is withdrawn."),
        then=reverse("capacity:adjustment", args=[adjustment.pk]),
    )
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from domain.errors import Refusal


def post_step(
    request: HttpRequest,
    perform: Callable[[dict], Any],
    *,
    done: str | Callable[[Any], str],
    then: Any,
    form: forms.Form | None = None,
    page: Callable[[], HttpResponse] | None = None,
) -> HttpResponse:
    """Validate `form` (if any) and `perform` the step with its cleaned data.

    On success the person is told `done` (a text, or a function making it
    from what `perform` returned) and sent to `then`: what `redirect` takes,
    or (with `page`) a function making it from what `perform` returned.

    With `page`, an invalid form or a refused step (a `Refusal`) answers
    `page()`: the page again, with the input kept, the form's errors beside
    its fields and the refusal at the top of the form. Without it, each
    error is shown as a message naming its field, the refusal's message
    likewise, and the person goes back to `then`."""
    if form is not None and not form.is_valid():
        if page is not None:
            return page()
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            for error in errors:
                messages.error(request, f"{field.label}: {error}" if field else error)
        return redirect(then)
    try:
        result = perform(form.cleaned_data if form is not None else {})
    except Refusal as refusal:
        if page is not None and form is not None:
            form.add_error(None, refusal.message)
            return page()
        messages.error(request, refusal.message)
        return page() if page is not None else redirect(then)
    messages.success(request, done(result) if callable(done) else done)
    return redirect(then(result) if callable(then) else then)
