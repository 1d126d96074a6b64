"""The mix `make bench-load` sends (bench/load.py): each simulated user works in one of the
benchmark's workspaces, as its owner, with a browser session and an API token. Every answer is
checked to come from that workspace's schema (its SKU prefix, never the other's)."""

import json
import os
import random
import re

from locust import HttpUser, between, task

TARGETS = json.loads(os.environ["LOAD_TARGETS"])
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Owner(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.target = random.choice(TARGETS)
        self.others = [t["prefix"] for t in TARGETS if t["prefix"] != self.target["prefix"]]
        self.client.cookies.set("sessionid", self.target["session"])
        self.web = {"Host": self.target["host"]}
        self.api = {"Host": self.target["host"], "Authorization": f"Bearer {self.target['token']}"}

    def _own(self, response, text: str) -> None:
        if response.status_code >= 400:
            response.failure(f"status {response.status_code}")
        elif any(prefix in text for prefix in self.others):
            response.failure("wrong schema: another workspace's data")
        elif self.target["prefix"] not in text:
            response.failure("wrong schema: this workspace's data missing")
        else:
            response.success()

    @task(3)
    def dashboard(self):
        with self.client.get("/", headers=self.web, name="dashboard", catch_response=True) as response:
            if response.status_code != 200 or self.target["name"] not in response.text:
                response.failure(f"dashboard: status {response.status_code} or not this workspace")
            elif any(name in response.text for name in self.target["other_names"]):
                response.failure("wrong schema: another workspace's dashboard")

    @task(3)
    def product_list(self):
        with self.client.get(
            "/products/", headers=self.web, name="products", catch_response=True
        ) as response:
            self._own(response, response.text)

    @task(2)
    def pos_sale(self):
        page = self.client.get("/pos/", headers=self.web, name="pos page")
        match = CSRF_INPUT.search(page.text)
        if not match:
            return
        data = {
            "csrfmiddlewaretoken": match.group(1),
            "location": self.target["location"],
            "payment_method": "cash",
            "line_product": random.choice(self.target["products"]),
            "line_quantity": str(random.randint(1, 3)),
        }
        headers = {**self.web, "Referer": f"http://{self.target['host']}/pos/"}
        with self.client.post(
            "/pos/", data=data, headers=headers, name="pos sale", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"pos sale: status {response.status_code}")

    @task(3)
    def api_product_list(self):
        with self.client.get(
            "/api/v1/products/", headers=self.api, name="api products", catch_response=True
        ) as response:
            self._own(response, response.text)

    @task(2)
    def api_sale(self):
        body = {
            "location": self.target["location"],
            "lines": [
                {"product": random.choice(self.target["products"]), "quantity": str(random.randint(1, 3))}
            ],
        }
        with self.client.post(
            "/api/v1/sales/", json=body, headers=self.api, name="api sale", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"api sale: status {response.status_code} {response.text[:100]}")
