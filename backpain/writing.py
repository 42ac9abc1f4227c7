"""Writing tools for editors: a Markdown editor with a live preview and a link picker, a link check on save,
and pictures chosen by their thumbnails.

Every admin page of the site gets them (``EditorsAdminSite.register`` mixes ``WritingToolsAdmin`` into each
model admin, and it into their inlines), with no line in any admin class:

- every Markdown field (a model field validated by ``validate_markdown``) gets ``MarkdownEditor``, a textarea
  with a preview pane the server renders with the site's own renderer (``preview`` below; the script is
  ``static/js/markdown-editor.js``, an external file as the security policy asks), a button that opens a
  searchable list of the site's pages (``pages`` below) and inserts a link, and ``validate_links``, which
  refuses a save whose internal links or pictures would let readers down, naming each;
- a field an app registers with ``register_illustrations`` (a shipped drawing's path) is chosen from a grid of
  the drawings in its folder, each with its thumbnail: radio buttons, no script needed;
- an uploaded picture (``PictureField``) shows a thumbnail of the picture it holds.

Without JavaScript the editor is a plain textarea, and the check on save still holds.

Plumbing: imports no app.
"""

import datetime
import re

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.staticfiles import finders
from django.core import validators
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from . import links, retention
from .illustrations import is_static_file
from .markdown import MAX_CHARACTERS, markdown_problems, render_markdown, validate_markdown
from .models import RateLimit
from .uploads import PictureField

# A preview is asked for at most every 300 ms while an editor types (the script waits for a pause).
PREVIEW_RATE_LIMIT = 240  # previews per editor per minute: four a second, far more than typing asks for
PREVIEW_RATE_PERIOD = datetime.timedelta(minutes=1)
# The largest text (MAX_CHARACTERS) as a form sends it: at worst 12 bytes a character ("%F0%9F%98%80").
PREVIEW_MAX_BYTES = MAX_CHARACTERS * 12 + 4096
PICTURE_TAG = re.compile(r"<img\b[^>]*>")
ILLUSTRATION_EXTENSIONS = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")
UPLOADED_PICTURE_EXTENSIONS = (".png", ".jpg", ".webp", ".gif")  # what backpain.uploads stores
MAX_LISTED_UPLOADS = 500

ILLUSTRATION_FIELDS = {}  # (model label, field name) -> folder under static/
FIGURE_MODELS = set()  # models whose Markdown is shown with the retention figures filled in
WRITING_MODELS = set()  # models with a Markdown field: an editor who may change one may preview and pick links


def register_illustrations(model, field_name, folder):
    """Choose ``model.field_name`` (a path under static/) from the drawings in ``folder`` (e.g. "img/stretches/")."""
    ILLUSTRATION_FIELDS[(model._meta.label_lower, field_name)] = folder.rstrip("/") + "/"


def register_figures(model):
    """``model``'s Markdown is shown with ``{{ results }}`` and the other retention figures filled in."""
    FIGURE_MODELS.add(model._meta.label_lower)


def is_markdown_field(db_field):
    return validate_markdown in getattr(db_field, "validators", ())


def has_markdown_fields(model):
    return any(is_markdown_field(field) for field in model._meta.get_fields() if hasattr(field, "validators"))


def may_write(user):
    """True for an editor who may add or change something written in Markdown."""
    return any(
        user.has_perm(f"{label.split('.')[0]}.{action}_{label.split('.')[1]}")
        for label in WRITING_MODELS
        for action in ("add", "change")
    )


# Widgets ---------------------------------------------------------------------------------------------------


class MarkdownEditor(forms.Textarea):
    """A textarea with a live preview and a link picker; a plain textarea without JavaScript."""

    template_name = "backpain/widgets/markdown_editor.html"

    def __init__(self, attrs=None, figures=False):
        super().__init__({"rows": 14, "cols": 80, "class": "vLargeTextField md-source", **(attrs or {})})
        self.figures = figures

    class Media:
        js = ["js/markdown-editor.js"]
        css = {"all": ["css/admin_markdown_editor.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            preview_url=reverse("admin:markdown_preview"),
            pages_url=reverse("admin:link_pages"),
            pictures_url=reverse("admin:markdown_pictures"),
            figures=self.figures,
            preview_id=f"{context['widget']['attrs'].get('id') or name}-preview",
        )
        return context


def available_illustrations(folder):
    """The shipped drawings in ``folder`` (a path under static/), as sorted paths such as img/stretches/x.svg."""
    found = set()
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            try:
                _, files = storage.listdir(folder)
            except (FileNotFoundError, NotADirectoryError, SuspiciousFileOperation):
                continue
            found.update(folder + name for name in files if name.lower().endswith(ILLUSTRATION_EXTENSIONS))
    return sorted(found)


def illustration_label(path):
    """ "img/stretches/childs-pose.svg" as a person reads it: "Childs pose"."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").capitalize()


def thumbnail_url(path):
    """The static address of a shipped drawing, or "" when there is no such file."""
    if not path or not is_static_file(path):
        return ""
    try:
        return static(path)
    except ValueError:  # hashed static files know no such name
        return ""


def uploaded_pictures(limit=MAX_LISTED_UPLOADS):
    """Pictures editors have uploaded (stored names under MEDIA_ROOT), at most ``limit``, sorted."""
    found, folders = [], [""]
    while folders and len(found) < limit:
        folder = folders.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError, SuspiciousFileOperation):
            continue
        prefix = f"{folder}/" if folder else ""
        folders.extend(prefix + name for name in subfolders if not name.startswith("."))
        found.extend(prefix + name for name in files if name.lower().endswith(UPLOADED_PICTURE_EXTENSIONS))
    return sorted(found)[:limit]


def picture_choices():
    """The pictures a page may show: the shipped drawings, then the uploaded pictures, each with its address."""
    folders = set(ILLUSTRATION_FIELDS.values())
    drawings = sorted({path for folder in folders for path in available_illustrations(folder)})
    shipped = [{"kind": "Shipped drawing", "name": illustration_label(path), "url": static(path)} for path in drawings]
    uploads = [
        {"kind": "Uploaded picture", "name": name.rsplit("/", 1)[-1], "url": default_storage.url(name)}
        for name in uploaded_pictures()
    ]
    return shipped + uploads


class IllustrationChooser(forms.RadioSelect):
    """Radio buttons in a grid, each with the drawing's thumbnail beside its name."""

    template_name = "backpain/widgets/illustration_chooser.html"
    option_template_name = "backpain/widgets/illustration_option.html"

    class Media:
        css = {"all": ["css/admin_markdown_editor.css"]}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["thumbnail"] = thumbnail_url(value)
        return option


class IllustrationField(forms.ChoiceField):
    """A shipped drawing's path, chosen from the drawings in one folder (and "no drawing")."""

    widget = IllustrationChooser

    def __init__(self, folder, *, required=False, max_length=None, **kwargs):
        self.folder = folder
        super().__init__(choices=self.folder_choices, required=required, **kwargs)
        # What a CharField checks, since any path may come back (see valid_value).
        self.validators.append(validators.ProhibitNullCharactersValidator())
        if max_length:
            self.validators.append(validators.MaxLengthValidator(max_length))

    def folder_choices(self):
        return [
            ("", "No drawing"),
            *((path, illustration_label(path)) for path in available_illustrations(self.folder)),
        ]

    def prepare_value(self, value):
        return value or ""

    def valid_value(self, value):
        # Any path may come back (an older one, one from another folder); the model checks it names a shipped
        # file and says so in its own words ("No shipped file at this path").
        return isinstance(value, str)

    def get_bound_field(self, form, field_name):
        # The saved path, and one just sent, stay on the grid even when not in the folder, so the editor sees
        # what is chosen and what is wrong with it.
        choices = self.folder_choices()
        known = dict(choices)
        current = [form.initial.get(field_name) or ""]
        if form.is_bound:
            current.append(form.data.get(form.add_prefix(field_name)) or "")
        for path in dict.fromkeys(current):
            if path and path not in known:
                note = "from another folder" if is_static_file(path) else "no such file"
                choices.append((path, f"{illustration_label(path)} ({note}: {path})"))
        self.choices = choices
        return super().get_bound_field(form, field_name)


class PictureInput(AdminFileWidget):
    """The admin's file input, with a thumbnail of the picture already uploaded."""

    template_name = "backpain/widgets/picture_input.html"

    class Media:
        css = {"all": ["css/admin_markdown_editor.css"]}


# The admin -------------------------------------------------------------------------------------------------


class WritingToolsAdmin:
    """Mixed into every model admin and inline: the Markdown editor, the link check, the picture choosers."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if is_markdown_field(db_field):
            kwargs["widget"] = MarkdownEditor(figures=db_field.model._meta.label_lower in FIGURE_MODELS)
            formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
            if formfield is not None:
                formfield.validators.append(links.validate_links)
            return formfield
        folder = ILLUSTRATION_FIELDS.get((db_field.model._meta.label_lower, db_field.name))
        if folder is not None:
            return IllustrationField(
                folder,
                required=not db_field.blank,
                max_length=db_field.max_length,
                label=db_field.verbose_name.capitalize(),
                help_text=f"Choose one of the drawings shipped with the site (in static/{folder}).",
            )
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, PictureField) and formfield is not None:
            formfield.widget = PictureInput(attrs=formfield.widget.attrs)
        return formfield

    def get_inline_instances(self, request, obj=None):
        instances = super().get_inline_instances(request, obj)
        for inline in instances:
            if not isinstance(inline, WritingToolsAdmin):
                cls = type(inline)
                inline.__class__ = type(cls.__name__, (WritingToolsAdmin, cls), {"__module__": cls.__module__})
        return instances


# Views (under the admin: see EditorsAdminSite.get_urls) ------------------------------------------------------


def _fragment(request, status, **context):
    return HttpResponse(render_to_string("backpain/widgets/markdown_preview.html", context, request), status=status)


@csrf_exempt  # the size is checked first, before the CSRF check reads the body; csrf_protect follows
def preview(request):
    """The preview pane's HTML: the text rendered as readers will see it, with any link problems above it."""
    if request.method != "POST":
        return HttpResponse("Send the text to preview in a POST.", status=405, headers={"Allow": "POST"})
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > PREVIEW_MAX_BYTES:
        return _fragment(
            request, 413, problems=[f"This is too long to preview: at most {MAX_CHARACTERS:,} characters."]
        )
    return _preview(request)


@csrf_protect
@require_POST
def _preview(request):
    if not may_write(request.user):
        raise PermissionDenied
    if not RateLimit.objects.hit(
        "markdown-preview", f"user:{request.user.pk}", PREVIEW_RATE_LIMIT, PREVIEW_RATE_PERIOD
    ):
        message = "The preview is paused for a moment: it was asked for very often. Keep writing; it will catch up."
        return _fragment(request, 429, problems=[message])
    text = request.POST.get("text", "")
    problems = markdown_problems(text)
    if problems:
        status = 413 if len(text) > MAX_CHARACTERS else 400
        return _fragment(request, status, problems=problems)
    try:
        html = render_markdown(text).html
    except ValidationError as error:  # validate_markdown already said no above; kept for safety
        return _fragment(request, 400, problems=error.messages)
    if request.POST.get("figures"):
        html = retention.fill_figures(html)
    html = PICTURE_TAG.sub(_unless_blocked, html)
    return _fragment(request, 200, html=html, warnings=links.link_problems(text))


def _unless_blocked(match):
    """A picture the security policy would block, as a note in its place: the preview asks for nothing it blocks."""
    _, sources = links.links_and_images(match.group(0))
    if sources and links.image_problem(sources[0]):
        return format_html('<span class="md-blocked-picture">Picture not shown: {}</span>', sources[0])
    return match.group(0)


@require_GET
def pages(request):
    """Every page an editor can link to, as JSON for the link picker: kind, title, address and a note."""
    if not may_write(request.user):
        raise PermissionDenied
    found = [page._asdict() for page in links.all_pages()]
    return JsonResponse({"pages": found}, headers={"Cache-Control": "private, no-store"})


@require_GET
def pictures(request):
    """The pictures an editor can put in a page, as JSON for the picture picker: kind, name and address."""
    if not may_write(request.user):
        raise PermissionDenied
    return JsonResponse({"pictures": picture_choices()}, headers={"Cache-Control": "private, no-store"})
