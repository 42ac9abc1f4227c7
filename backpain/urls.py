"""The site's addresses: each app's own URLconf, the sitemap every app fills, robots.txt, health and the admin.

The project names no app's module here: apps are included by dotted path and fill ``backpain.sitemaps`` from
their ``AppConfig.ready``.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from backpain import health, sitemaps, views
from backpain.uploads import serve_media

urlpatterns = [
    path("", include("articles.urls")),
    path("assessment/", include("assessment.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps.SECTIONS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", health.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "backpain.views.bad_request"
handler403 = "backpain.views.permission_denied"
handler404 = "backpain.views.page_not_found"
handler500 = "backpain.views.server_error"

if settings.DEBUG:
    # Development only (in production the proxy serves /media/, as the README shows), with the same headers.
    urlpatterns += static(settings.MEDIA_URL, view=serve_media, document_root=settings.MEDIA_ROOT)
