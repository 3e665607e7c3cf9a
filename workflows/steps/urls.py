"""The shared steps' own pages, beside the Viewflow ones, for a case of any type; mounted at case-actions/."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from workflows.steps import opinion_pages, participation

app_name = "case_actions"

urlpatterns = [
    path("publicity/", participation.PublicityBoardView.as_view(), name="publicity_board"),
    path("publicity/public/", login_not_required(participation.PublicNoticesView.as_view()), name="public_notices"),
    path("<int:case_pk>/conflict/", participation.ConflictDeclareView.as_view(), name="conflict_declare"),
    path("<int:case_pk>/vote/", participation.VoteView.as_view(), name="vote"),
    path("<int:case_pk>/objection/", participation.ObjectionLodgeView.as_view(), name="objection_lodge"),
    path("<int:case_pk>/objection/paper/", participation.PaperObjectionView.as_view(), name="objection_paper"),
    path("<int:case_pk>/appeal/", participation.AppealView.as_view(), name="appeal"),
    path("opinions/<int:pk>/", opinion_pages.OpinionView.as_view(), name="opinion"),
]
