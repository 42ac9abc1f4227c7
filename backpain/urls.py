from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles import views as article_views
from backpain import health

urlpatterns = [
    path("", article_views.home, name="home"),
    path("", include("articles.urls")),
    path("assessment/", include("assessment.urls")),
    path("healthz", health.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
