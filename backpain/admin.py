"""The editors' admin site, with two-factor sign-in when settings.ADMIN_REQUIRE_2FA is on, and the cards on its
front page that apps register (``register_home_cards``)."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_otp import devices_for_user

from .locking import EditLockAdmin
from .postonly import see_other
from .writing import WRITING_MODELS, WritingToolsAdmin, has_markdown_fields
from .writing import pages as link_pages_view
from .writing import pictures as markdown_pictures_view
from .writing import preview as markdown_preview_view


@dataclass(frozen=True)
class HomeCard:
    """One card on the admin's front page: what waits for an editor, how many, and the page that lists it."""

    label: str
    url: str
    count: int
    detail: str = ""
    needs_action: bool = True  # a count above nought is shown as something to act on


_HOME_CARDS = []  # callables (request) -> iterable of HomeCard, registered by apps in ready()


def register_home_cards(cards):
    """Add ``cards(request)``, the cards an app shows this editor on the admin's front page (only what they may
    open)."""
    _HOME_CARDS.append(cards)


def home_cards(request):
    return [card for cards in _HOME_CARDS for card in cards(request)]


LONGEST_CODE = 16  # an app's code has 6 or 8 digits, a backup code 8 letters and digits


class CodeInput(forms.TextInput):
    """A text box for a one-time code that never puts a code back into the page: it is good for seconds."""

    def format_value(self, value):
        return None


class TwoFactorLoginForm(AdminAuthenticationForm):
    """Username, password and the current code from an authenticator app, judged together.

    Whatever is wrong (the password, the code or both, or an account that is inactive, not staff or has no
    device) the answer is the same page with the same one message, so a right password without its code
    tells nobody that it was right; the password and the code are never sent back. Every failure counts
    towards django-axes's lockout: Django reports a wrong password itself (``user_login_failed``), and this
    form reports every other failure the same way, so five failures lock out whichever factor failed.
    """

    otp_token = forms.CharField(
        required=False,
        strip=True,
        label="6-digit code from your authenticator app",
        help_text=(
            "Open the authenticator app on your phone and type the 6 digits it shows for Back Pain Advisor now "
            "(a new code every 30 seconds). Lost your phone? Type one of your backup codes instead."
        ),
        widget=CodeInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "maxlength": LONGEST_CODE,
                "size": 10,
                "class": "one-time-code",
                "aria-describedby": "otp-help",
            }
        ),
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter the correct username and password of an editor's account, and the 6-digit code your "
            "authenticator app shows now. Codes change every 30 seconds: if it had just changed, type the new one."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        user = authenticate(self.request, username=username, password=password)
        device = None
        if user is not None and user.is_active and user.is_staff:
            device = verified_device(user, self.cleaned_data.get("otp_token", ""))
        if device is None:
            if user is not None:
                user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
            raise self.get_invalid_login_error()
        user.otp_device = device  # django_otp marks the session verified when Django signs the user in
        self.user_cache = user
        return self.cleaned_data


def new_authenticator(user, name="Authenticator app"):
    """Give ``user`` a confirmed authenticator-app device; return it and its ``otpauth://`` set-up link drawn as a
    QR code in text, for a terminal (dark modules as blocks, on a light border)."""
    import io

    import qrcode
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
    qr = qrcode.QRCode(border=1)
    qr.add_data(device.config_url)
    drawing = io.StringIO()
    qr.print_ascii(out=drawing, invert=True)
    return device, drawing.getvalue()


def verified_device(user, code):
    """The user's confirmed device that accepts ``code`` (from the app, or a backup code), or None.

    No device is named in the form, so each is tried; a device that is pausing after recent failures
    (django_otp's throttling) is skipped.
    """
    code = "".join(code.split())
    if not code or len(code) > LONGEST_CODE:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_is_allowed()[0] and device.verify_token(code):
                return device
    return None


class EmailSettingsForm(forms.Form):
    """One editor's choice of how to hear of new comments, reports and contact messages."""

    frequency = forms.ChoiceField(
        label="Tell me about new comments, reports and contact messages", widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        from .models import EditorMailSettings

        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = EditorMailSettings.Frequency.choices


class EditorsAdminSite(AdminSite):
    """Django's admin, titled for editors, asking for a one-time code from an authenticator app in production.

    Every model admin registered here gets ``backpain.locking.EditLockAdmin`` mixed in (the apps', and
    third-party ones such as users and devices), so no change form can silently overwrite someone else's save,
    and ``backpain.writing.WritingToolsAdmin``: the Markdown editor, the link check and the picture choosers.
    """

    site_header = "Back Pain Advisor: editors"
    site_title = "Back Pain Advisor editors"
    index_title = "Content"

    @property
    def login_form(self):
        return TwoFactorLoginForm if settings.ADMIN_REQUIRE_2FA else None

    @property
    def login_template(self):
        return "admin/login_two_factor.html" if settings.ADMIN_REQUIRE_2FA else None

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or ModelAdmin
        mixins = tuple(mixin for mixin in (EditLockAdmin, WritingToolsAdmin) if not issubclass(admin_class, mixin))
        if mixins:
            admin_class = type(admin_class)(
                admin_class.__name__, (*mixins, admin_class), {"__module__": admin_class.__module__}
            )
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        WRITING_MODELS.update(model._meta.label_lower for model in models if has_markdown_fields(model))
        return super().register(model_or_iterable, admin_class, **options)

    def logout(self, request, extra_context=None):
        """Sign out, with the admin's "Log out" button (a POST). A GET (an old bookmark, a reload of the
        signed-out page) goes to the admin's front page, which asks anyone signed out to sign in."""
        if request.method in ("GET", "HEAD"):
            return see_other(reverse("admin:index", current_app=self.name))
        return super().logout(request, extra_context)

    def get_urls(self):
        own = [
            path("email-settings/", self.admin_view(self.email_settings_view), name="email_settings"),
            # The Markdown editor's preview and link picker (backpain.writing), for editors only.
            path("writing/preview/", self.admin_view(markdown_preview_view), name="markdown_preview"),
            path("writing/pages/", self.admin_view(link_pages_view), name="link_pages"),
            path("writing/pictures/", self.admin_view(markdown_pictures_view), name="markdown_pictures"),
        ]
        return own + super().get_urls()

    def email_settings_view(self, request):
        """Let any editor choose how they hear of new things: an email for each, a daily digest, or none."""
        from .models import EditorMailSettings

        choice = EditorMailSettings.objects.filter(user=request.user).first() or EditorMailSettings(user=request.user)
        data = request.POST if request.method == "POST" else None  # an empty POST is a form sent with nothing chosen
        form = EmailSettingsForm(data, initial={"frequency": choice.frequency})
        status = 200
        if request.method == "POST":
            if form.is_valid():
                choice.frequency = form.cleaned_data["frequency"]
                choice.save()
                messages.success(request, f"Saved: {choice.get_frequency_display().lower()}.")
                return redirect("admin:email_settings")
            status = 400
        context = {
            **self.each_context(request),
            "title": "Your email notifications",
            "form": form,
            "shared_addresses": settings.EDITORS_EMAILS,
        }
        return TemplateResponse(request, "admin/email_settings.html", context, status=status)

    def index(self, request, extra_context=None):
        """The admin's front page: cards for what waits for an editor (moderation, reviews due), and the number of
        emails that could not be sent for editors who can see them."""
        from .models import OutgoingEmail

        extra_context = extra_context or {}
        extra_context["home_cards"] = home_cards(request)
        if request.user.has_perm("backpain.view_outgoingemail"):
            extra_context["failed_emails"] = OutgoingEmail.objects.failed().count()
        return super().index(request, extra_context)

    def has_permission(self, request):
        allowed = super().has_permission(request)
        if allowed and settings.ADMIN_REQUIRE_2FA:
            return request.user.is_verified()
        return allowed
