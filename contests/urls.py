from django.urls import path

from contests import views

app_name = "contests"

urlpatterns = [
    path("contests/", views.contest_list, name="list"),
    path("contests/new/", views.contest_create, name="create"),
    path("contests/<int:pk>/", views.contest_detail, name="detail"),
    path("contests/<int:pk>/edit/", views.contest_edit, name="edit"),
    path("contests/<int:pk>/step/", views.contest_step, name="step"),
    path("contests/<int:pk>/nominations/new/", views.nomination_add, name="nomination_add"),
    path("contests/nominations/<int:pk>/remove/", views.nomination_remove, name="nomination_remove"),
    path("contests/<int:pk>/criteria/new/", views.criterion_add, name="criterion_add"),
    path("contests/criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("contests/criteria/<int:pk>/remove/", views.criterion_remove, name="criterion_remove"),
    path("contests/<int:pk>/jurors/new/", views.juror_add, name="juror_add"),
    path("contests/jurors/<int:pk>/remove/", views.juror_remove, name="juror_remove"),
    path("contests/<int:pk>/progress/", views.progress, name="progress"),
    path("contests/<int:pk>/entries/", views.entry_list, name="entries"),
    path("contests/<int:pk>/enter/", views.entry_create, name="entry_create"),
    path("contests/entries/<int:pk>/", views.entry_detail, name="entry"),
    path("contests/entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("contests/entries/<int:pk>/submit/", views.entry_submit, name="entry_submit"),
    path("contests/entries/<int:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("contests/entries/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("contests/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("contests/attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("contests/<int:pk>/judging/", views.judging, name="judging"),
    path("contests/<int:pk>/judging/<int:entry_pk>/", views.score, name="score"),
    path("contests/<int:pk>/results/", views.results, name="results"),
    path("contests/<int:pk>/results/print/", views.results_print, name="results_print"),
    path("contests/<int:pk>/results.xlsx", views.results_export, name="results_export"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/", views.practice, name="practice"),
]
