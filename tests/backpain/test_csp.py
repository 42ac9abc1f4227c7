"""The Content-Security-Policy header, built once: the same text django-csp gives, and django-csp's own
answer whenever a response changes the policy or uses a nonce."""

from csp.constants import HEADER, NONCE, SELF
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from backpain.csp import PrecomputedCSPMiddleware


def serve(middleware_class, view, request=None):
    middleware = middleware_class(view)
    return [middleware(request or RequestFactory().get("/")) for _ in range(3)]


def test_the_precomputed_header_is_django_csps_own_byte_for_byte():
    stock = serve(CSPMiddleware, lambda request: HttpResponse("page"))
    ours = serve(PrecomputedCSPMiddleware, lambda request: HttpResponse("page"))
    assert {response[HEADER] for response in ours} == {stock[0][HEADER]}
    assert "default-src 'self'" in ours[0][HEADER]


def test_a_response_that_changes_the_policy_gets_its_own_header():
    def framed(request):
        response = HttpResponse("page")
        response._csp_update = {"img-src": ["https://images.example"]}
        return response

    plain = serve(PrecomputedCSPMiddleware, lambda request: HttpResponse("page"))[0][HEADER]
    changed = serve(PrecomputedCSPMiddleware, framed)
    assert all("https://images.example" in response[HEADER] for response in changed)
    assert "https://images.example" not in plain


def test_a_nonce_used_by_a_page_reaches_its_header(settings):
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "script-src": [SELF, NONCE]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}

    def with_nonce(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    middleware = PrecomputedCSPMiddleware(lambda request: with_nonce(request) if request.GET else HttpResponse())
    middleware(RequestFactory().get("/"))  # a response without a nonce: the fixed header is built
    responses = [middleware(RequestFactory().get("/?nonce=1")) for _ in range(3)]
    for response in responses:
        nonce = response.content.decode().split("nonce='")[1].split("'")[0]
        assert f"'nonce-{nonce}'" in response[HEADER]
