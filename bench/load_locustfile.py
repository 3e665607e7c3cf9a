"""The load test's users (locust): every role's mix of pages and writes, with think time.

Run by bench/load_bench.py, which seeds the database, starts gunicorn and passes LOAD_BENCH_STATE (a JSON
file: a signed-in session per demo user, the case ids each role works on, attachments to download).
Each user signs in once (its session cookie); the weights are how often a role is at the keyboard, the
task weights what it does there. Writes: officers upload evidence and export the desk; supervisors export.
"""

import json
import os
import random

from locust import HttpUser, between, task

STATE = json.loads(open(os.environ["LOAD_BENCH_STATE"], encoding="utf-8").read())  # noqa: SIM115
THINK = between(float(os.environ.get("LOAD_BENCH_THINK_MIN", "1")), float(os.environ.get("LOAD_BENCH_THINK_MAX", "3")))
PDF = STATE["pdf"].encode("latin-1")


class Role(HttpUser):
    abstract = True
    wait_time = THINK
    usernames: tuple[str, ...] = ()

    def on_start(self):
        self.username = random.choice(self.usernames)
        self.client.cookies.set("sessionid", STATE["sessions"][self.username])
        self.cases = STATE["cases"][self.username]

    def case(self):
        return random.choice(self.cases)

    def page(self, url, name=None):
        with self.client.get(url, name=name or url, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(3)
    def home(self):
        self.page("/")

    @task(2)
    def case_list(self):
        self.page("/cases/")

    @task(2)
    def case_detail(self):
        # A committee member sees only the cases before the committee: with none seeded, the list instead.
        if self.cases:
            self.page(f"/cases/{self.case()}/", name="/cases/[id]/")
        else:
            self.page("/cases/")


class Officer(Role):
    weight = 4
    usernames = ("officer_guet", "officer_gxnu")

    @task(2)
    def inbox(self):
        self.page("/exemption/inbox/")

    @task(2)
    def queue(self):
        self.page("/exemption/queue/")

    @task(1)
    def archive(self):
        self.page("/exemption/archive/")

    @task(1)
    def search(self):
        self.page("/cases/?q=容错", name="/cases/?q=")

    @task(1)
    def upload_evidence(self):
        case = self.case()
        token = self.client.cookies.get("csrftoken")
        if token is None:
            self.page(f"/cases/{case}/", name="/cases/[id]/")
            token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            f"/cases/{case}/attachments/",
            files={
                "file": (f"证据{random.randrange(10**9)}.pdf", PDF + os.urandom(16).hex().encode(), "application/pdf")
            },
            data={"category": "contract"},
            headers={"X-CSRFToken": token},
            name="POST /cases/[id]/attachments/",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}")

    @task(1)
    def export(self):
        self.page("/cases/export/csv/?q=（1）", name="/cases/export/csv/")


class Reviewer(Role):
    weight = 2
    usernames = ("reviewer_guet",)

    @task(3)
    def inbox(self):
        self.page("/exemption/inbox/")

    @task(2)
    def queue(self):
        self.page("/exemption/queue/")


class Committee(Role):
    weight = 2
    usernames = ("chair_guet", "member1_guet")

    @task(2)
    def inbox(self):
        self.page("/exemption/inbox/")


class Researcher(Role):
    weight = 3
    usernames = ("researcher_zhang", "researcher_gxnu")

    @task(1)
    def download(self):
        downloads = STATE["attachments"].get(self.username)
        if not downloads:
            return self.case_detail()
        case, attachment = random.choice(downloads)
        self.page(f"/cases/{case}/attachments/{attachment}/", name="/cases/[id]/attachments/[id]/")


class Supervisor(Role):
    weight = 1
    usernames = ("supervisor_city",)

    @task(1)
    def export(self):
        self.page("/cases/export/csv/?q=（2）", name="/cases/export/csv/")


class DepartmentVerifier(Role):
    weight = 1
    usernames = ("hr_guet",)
