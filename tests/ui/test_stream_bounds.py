"""The live stream under load: a viewer that stops reading must not slow requests down or make the
server hold more and more memory. One viewer connects to the stream and then never reads again
(its socket's receive buffer kept small), while 20,000 requests with an 8 KB body each are sent;
every request is answered, the server's resident memory stays within a bound far below what
keeping every event for that viewer would take, and the viewer, once it reads again, is told that
it skipped entries. A second viewer connected meanwhile still gets new entries."""

import http.client
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from conftest import running_server

DEMO_KEY = "ak_demo0Project0FullKey01"
DEMO_GITHUB = "ac_gHc7Qm2xLp9T"
REQUESTS = 20_000
SENDERS = 4
BODY = json.dumps({"type": "custom", "name": "n" * 8_000}).encode()
# What the events of all requests would take if the server kept them for the stuck viewer: well
# above the bound below. The journal is held to a small byte budget for the test, so that what it
# keeps does not blur the figure.
EVENTS_BYTES = REQUESTS * len(BODY)
JOURNAL_BYTES = 4 * 1024 * 1024
RSS_GROWTH_BOUND = 48 * 1024 * 1024
TIME_BOUND_S = 240


def resident_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def stream_socket(address, receive_buffer=None):
    viewer = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer:
        viewer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    viewer.connect(address)
    viewer.sendall(b"GET /_patchbay/requests/stream HTTP/1.1\r\nHost: patchbay\r\nAccept: text/event-stream\r\n\r\n")
    viewer.settimeout(10)
    head = b""
    while b"\r\n\r\n" not in head:
        head += viewer.recv(1024)
    assert head.startswith(b"HTTP/1.1 200"), head
    return viewer


def send(address, count, statuses):
    connection = http.client.HTTPConnection(*address, timeout=30)
    headers = {"x-api-key": DEMO_KEY, "content-type": "application/json"}
    for _ in range(count):
        connection.request("PATCH", f"/api/v3.1/auth_configs/{DEMO_GITHUB}", body=BODY, headers=headers)
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()


def test_a_viewer_that_stops_reading_costs_neither_time_nor_memory():
    with running_server(PATCHBAY__CONTROL__JOURNAL_BYTES=str(JOURNAL_BYTES)) as server:
        parts = urlsplit(server.url)
        address = (parts.hostname, parts.port)
        warm_up = []
        send(address, 500, warm_up)
        assert set(warm_up) == {200}
        before = resident_bytes(server.pid)

        stuck = stream_socket(address, receive_buffer=4096)
        statuses = []
        started = time.monotonic()
        with ThreadPoolExecutor(SENDERS) as senders:
            for _ in range(SENDERS):
                senders.submit(send, address, REQUESTS // SENDERS, statuses)
        elapsed = time.monotonic() - started
        after = resident_bytes(server.pid)
        growth = after - before
        print(f"\n{REQUESTS} requests in {elapsed:.1f} s (loaded machine); RSS {before >> 20} MiB -> "
              f"{after >> 20} MiB; events for the stuck viewer would be {EVENTS_BYTES >> 20} MiB")

        assert len(statuses) == REQUESTS and set(statuses) == {200}, set(statuses)
        assert elapsed < TIME_BOUND_S
        assert growth < RSS_GROWTH_BOUND, f"RSS grew by {growth >> 20} MiB"
        assert EVENTS_BYTES > 2 * RSS_GROWTH_BOUND

        # A new viewer gets new entries while the stuck one is still connected.
        fresh = stream_socket(address)
        received = b""
        done = []
        threading.Thread(target=send, args=(address, 1, done)).start()
        deadline = time.monotonic() + 10
        while b"event: request" not in received and time.monotonic() < deadline:
            received += fresh.recv(65536)
        assert b"event: request" in received
        fresh.close()

        # The stuck viewer, reading again, learns that it skipped entries.
        received = b""
        deadline = time.monotonic() + 20
        while b"event: lagged" not in received and time.monotonic() < deadline:
            chunk = stuck.recv(65536)
            if not chunk:
                break
            received = (received + chunk)[-65536:]
        assert b"event: lagged" in received
        stuck.close()
