"""Reading pages: the home page (the URL name ``home``) and everything else under the ``articles`` namespace."""

from django.urls import include, path

from . import feeds, views

article_patterns = [
    path("articles/", views.article_list, name="list"),
    path("articles/category/<slug:slug>/", views.category_detail, name="category"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("stretches/", views.stretch_list, name="stretches"),
    path("stretches/<slug:slug>/", views.muscle_detail, name="muscle"),
    # Before the stretch pages: "routine" is a slug no stretch may take (Stretch.clean).
    path("stretches/<slug:slug>/routine/", views.muscle_routine, name="muscle-routine"),
    path("stretches/<slug:muscle_slug>/<slug:slug>/", views.stretch_detail, name="stretch"),
    path("stretches/<slug:muscle_slug>/<slug:slug>/routine/", views.stretch_routine, name="stretch-routine"),
    path("search/", views.search, name="search"),
    path("site-map/", views.site_map, name="site-map"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("helpful/<slug:kind>/<int:pk>/", views.helpful_vote, name="helpful"),
    path("about/", views.site_page, {"slug": "about"}, name="about"),
    path("disclaimer/", views.site_page, {"slug": "disclaimer"}, name="disclaimer"),
    path("privacy/", views.site_page, {"slug": "privacy"}, name="privacy"),
    path("comments/article/<slug:slug>/", views.post_comment, {"kind": "article"}, name="comment-article"),
    path("comments/muscle/<slug:slug>/", views.post_comment, {"kind": "muscle"}, name="comment-muscle"),
    path("comments/<int:pk>/report/", views.report_comment, name="comment-report"),
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_thanks, name="contact-thanks"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include((article_patterns, "articles"))),
]
