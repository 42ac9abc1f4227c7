"""The error summary every public form shows after a failed POST (the GOV.UK pattern), drawn by one tag.

Load with ``{% load error_summary %}`` and fill the layout's ``error_summary`` block with it::

    {% block error_summary %}{% error_summary form %}{% endblock error_summary %}

``base.html`` then puts the summary first in the main content and starts the page title with "Error: ".
The summary is a box titled "There is a problem" listing every error, each a link to its field. It is
focused as the page loads (``autofocus``, and ``static/js/error-summary.js`` where a browser ignores that
on a ``<div>``), so a reader on a phone starts at the summary rather than at the top of a long page.

Which element each link points at:

- a field's own input (``id_for_label``); a group of radios or checkboxes, its first one;
- an error of the whole form (too fast, timed out, rate limited) points at the field named by the form's
  ``error_summary_field`` attribute, where the reader's text is kept, and has no link without one;
- keyword arguments override any of these by field name: ``{% error_summary form signs="id_signs_7" %}``
  (a template that draws its own checkboxes), or ``other="..."`` for the form's own errors;
- hidden fields have no link: there is nothing there a reader can change.
"""

from django import template

register = template.Library()


def field_anchor(bound_field):
    """The id a link to ``bound_field`` should go to, or "" for a field a reader cannot reach."""
    if bound_field.is_hidden:
        return ""
    if bound_field.id_for_label:
        return bound_field.id_for_label
    # RadioSelect and CheckboxSelectMultiple label no single input: go to the first choice.
    choices = bound_field.subwidgets
    return choices[0].id_for_label if choices else bound_field.auto_id or ""


def summary_items(form, **targets):
    """``[(message, anchor), ...]`` for every error of ``form``, the form's own errors first."""
    if form is None or not form.errors:
        return []
    other = targets.pop("other", None)
    if other is None:
        name = getattr(form, "error_summary_field", "")
        other = targets.get(name) or (field_anchor(form[name]) if name else "")
    items = [(message, other) for message in form.non_field_errors()]
    for bound_field in form:
        anchor = targets.get(bound_field.name) or field_anchor(bound_field)
        items.extend((message, anchor) for message in bound_field.errors)
    return items


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms, **targets):
    """``{% error_summary form %}``: the "There is a problem" box, or nothing if no form has errors.

    A page with several forms names them all (``{% error_summary comment_form helpful_vote_form %}``); only
    the one just sent can have errors, and a form that is ``None`` (not sent) is skipped.
    """
    return {"errors": [item for form in forms for item in summary_items(form, **targets)]}
