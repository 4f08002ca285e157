from django.urls import path

from . import views

app_name = "mail"

urlpatterns = [
    path("", views.mail_list, name="list"),
    path("unfiled/", views.unfiled, name="unfiled"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/file/", views.file_unfiled, name="file"),
    path("<int:pk>/original/", views.original, name="original"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("import/", views.import_mail, name="import"),
    path("import/<int:pk>/", views.batch, name="batch"),
    path("new/<str:code>/", views.new_mail, name="compose"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/reply-all/", views.reply_all, name="reply_all"),
    path("<int:pk>/forward/", views.forward, name="forward"),
    path("unsent/", views.drafts, name="drafts"),
    path("unsent/<int:pk>/", views.draft, name="draft"),
    path("signature/", views.signature, name="signature"),
    path("timeline/<str:code>/", views.timeline, name="timeline"),
    path("whatsapp/", views.import_chat, name="chat_import"),
    path("whatsapp/<int:pk>/", views.chat, name="chat"),
    path("whatsapp/<int:pk>/file/", views.file_chat, name="chat_file"),
    path("whatsapp/messages/<int:pk>/file/", views.file_chat_message, name="chat_message_file"),
    path("whatsapp/media/<int:pk>/", views.chat_media, name="chat_media"),
]
