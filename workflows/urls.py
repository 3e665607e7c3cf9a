"""Our own pages of the exemption flow, beside the Viewflow ones; mounted at exemption-actions/ by tolerance/urls.py."""

from django.urls import path

from workflows.views import participation

app_name = "exemption_actions"

urlpatterns = [
    path("publicity/", participation.PublicityBoardView.as_view(), name="publicity_board"),
    path("<int:case_pk>/conflict/", participation.ConflictDeclareView.as_view(), name="conflict_declare"),
    path("<int:case_pk>/vote/", participation.VoteView.as_view(), name="vote"),
    path("<int:case_pk>/objection/", participation.ObjectionLodgeView.as_view(), name="objection_lodge"),
    path("<int:case_pk>/objection/paper/", participation.PaperObjectionView.as_view(), name="objection_paper"),
    path("<int:case_pk>/appeal/", participation.AppealView.as_view(), name="appeal"),
]
