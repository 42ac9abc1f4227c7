"""The Content-Security-Policy header, built once rather than for every response.

django-csp's middleware rebuilds the policy from settings on every response, which costs more than
serving a cached page does. No view here changes the policy (no ``csp_update``, ``csp_replace``,
``csp_exempt``, no nonce), so every response gets the same header: this middleware asks django-csp
for it on the first such response, then sets the very same text on each one. A response that does
change it, or a request that used a nonce, goes through django-csp unchanged.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings


class PrecomputedCSPMiddleware(CSPMiddleware):
    """django-csp's ``CSPMiddleware``, with the header of an unchanged policy computed once per process."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self._headers = None
        names = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        policies = [getattr(settings, name, None) or {} for name in names]
        # URL prefixes excluded from the policy make it depend on the request: leave those to django-csp.
        self._fixed = not any(policy.get("EXCLUDE_URL_PREFIXES") for policy in policies)

    def process_response(self, request, response):
        changed = any(name.startswith("_csp") for name in vars(response))
        if not self._fixed or changed or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response
        if self._headers is None and HEADER not in response and HEADER_REPORT_ONLY not in response:
            super().process_response(request, response)
            self._headers = [(name, response[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in response]
            return response
        if self._headers is None:
            return super().process_response(request, response)
        for name, value in self._headers:
            if name not in response:
                response[name] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
