from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles import views as article_views
from articles.sitemaps import SITEMAPS
from backpain import health
from backpain.uploads import serve_media

# The project is the one place that may join every app's sitemaps (articles never imports assessment).
sitemaps = dict(SITEMAPS)
try:
    from assessment.sitemaps import SITEMAPS as ASSESSMENT_SITEMAPS
except ImportError:  # the self-test pages are not built yet on every branch
    ASSESSMENT_SITEMAPS = {}
sitemaps.update(ASSESSMENT_SITEMAPS)

urlpatterns = [
    path("", article_views.home, name="home"),
    path("", include("articles.urls")),
    path("assessment/", include("assessment.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", article_views.robots_txt, name="robots"),
    path("healthz", health.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "articles.views.bad_request"
handler403 = "articles.views.permission_denied"
handler404 = "articles.views.page_not_found"
handler500 = "articles.views.server_error"

if settings.DEBUG:
    # Development only (in production the proxy serves /media/, as the README shows), with the same headers.
    urlpatterns += static(settings.MEDIA_URL, view=serve_media, document_root=settings.MEDIA_ROOT)
