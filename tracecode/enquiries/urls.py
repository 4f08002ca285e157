from django.urls import path

from . import views

app_name = "enquiries"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("form/", views.public_form, name="form"),
    path("settings/", views.form_settings, name="settings"),
    path("from-mail/<int:pk>/", views.from_mail, name="from_mail"),
    path("from-chat/<int:pk>/", views.from_chat, name="from_chat"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/replied/", views.replied, name="replied"),
    path("<int:pk>/chat-reply/", views.chat_reply, name="chat_reply"),
    path("<int:pk>/files/<int:file_pk>/", views.held_file, name="held_file"),
]
