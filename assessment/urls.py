from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.start, name="start"),
    path("warning-signs/", views.warning_signs, name="warning-signs"),
    path("see-a-gp/", views.gp_advice, name="gp-advice"),
    path("get-care/", views.care, name="care"),
    path("question/<int:number>/", views.question, name="question"),
    path("check-your-answers/", views.check, name="check"),
    path("result/<str:token>/", views.result, name="result"),
    path("result/<str:token>/reminder.ics", views.reminder, name="reminder"),
    path("result/<str:token>/routine/", views.routine, name="routine"),
    path("strengthening/", views.strengthening, name="strengthening"),
    path("self-tests/", views.self_test_list, name="self-tests"),
    path("self-tests/<slug:slug>/", views.self_test, name="self-test"),
    path("preview/<int:pk>/", views.preview, name="preview"),
]
