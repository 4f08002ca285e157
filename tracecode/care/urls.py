from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("credit/<str:code>/", views.credit_page, name="credit"),
    path("credit/<str:code>/assess/", views.credit_assess, name="assess"),
    path("release/<str:code>/", views.credit_release, name="release"),
    path("accounts/<str:code>/", views.account_page, name="account"),
    path("accounts/<str:code>/designate/", views.account_designate, name="designate"),
    path("accounts/<str:code>/plan/", views.account_plan, name="plan"),
    path("accounts/<str:code>/visit/", views.account_visit, name="visit"),
    path("complaints/<str:number>/", views.complaint_page, name="complaint"),
    path("complaints/<str:number>/8d.pdf", views.complaint_report, name="complaint_8d"),
    path("complaints/<str:number>/<str:step>/", views.complaint_step, name="complaint_step"),
    path("surveys/report/", views.survey_report, name="survey_report"),
    path("reviews/", views.reviews_due, name="reviews"),
    path("reviews/<str:code>/", views.review, name="review"),
]
