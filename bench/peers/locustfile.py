# Locust peer for bench/peers: FastHttpUser (geventhttpclient), no wait time, one GET.
# Run headless by bench/lib/tools.js: locust -f locustfile.py --headless -u 50 -r 50 -t 10s --host URL
from locust import FastHttpUser, task, constant


class Hammer(FastHttpUser):
    wait_time = constant(0)

    @task
    def get(self):
        self.client.get("/")
