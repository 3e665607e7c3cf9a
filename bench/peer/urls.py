from django.urls import path
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Application, Site
from viewflow.workflow.flow import FlowAppViewset

from bench.peer.flows import PeerFlow

site = Site(title="Peer", viewsets=[Application(title="Peer", app_name="peer", viewsets=[FlowAppViewset(PeerFlow)])])

urlpatterns = [path("accounts/", AuthViewset().urls), path("", site.urls)]
