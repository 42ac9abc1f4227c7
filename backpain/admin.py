"""The editors' admin site, with two-factor sign-in when settings.ADMIN_REQUIRE_2FA is on."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminAuthenticationForm


class EditorsAdminSite(AdminSite):
    """Django's admin, titled for editors, asking for a one-time code from an authenticator app in production."""

    site_header = "Back Pain Advisor: editors"
    site_title = "Back Pain Advisor editors"
    index_title = "Content"

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ADMIN_REQUIRE_2FA else None

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.ADMIN_REQUIRE_2FA else None

    def has_permission(self, request):
        allowed = super().has_permission(request)
        if allowed and settings.ADMIN_REQUIRE_2FA:
            return request.user.is_verified()
        return allowed
