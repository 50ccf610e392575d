"""Test helpers for patchbay: start the server (or attach to one), give each test fresh open keys
for every vendor, read the request journal, inject faults for a `with` block, reset and seed.

The pytest plugin (``patchbay.pytest_plugin``, loaded through the ``pytest11`` entry point) wraps
these in the ``patchbay_server`` and ``patchbay`` fixtures; they work without pytest too.
"""

import json
import threading
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Patchbay", "PatchbayError", "Tenant", "VENDORS", "start", "new_key"]

VENDORS = ("nango", "langdock", "nylas", "composio", "puretalk")

# Where each vendor's official SDK expects its base URL, relative to the server.
_SDK_PATHS = {"nango": "", "langdock": "", "nylas": "", "composio": "", "puretalk": "/api"}

_ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _random_text(length):
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def new_key(vendor):
    """A key that is well-formed for `vendor` and known to no tenant: with open keys on, its first
    request creates a tenant holding its own copy of that vendor's demo records."""
    if vendor == "nango":
        return str(uuid.uuid4())
    if vendor == "langdock":
        return "sk-" + _random_text(32)
    if vendor == "nylas":
        return "nyk_v0_" + _random_text(48)
    if vendor == "composio":
        return "ak_" + _random_text(24)
    if vendor == "puretalk":
        return _random_text(40)
    raise ValueError(f"unknown vendor {vendor!r}: one of {', '.join(VENDORS)}")


class PatchbayError(Exception):
    """The control API refused a call; `status` and `body` are its answer."""

    def __init__(self, status, body):
        super().__init__(f"patchbay control API answered {status}: {body}")
        self.status = status
        self.body = body


class Patchbay:
    """A patchbay server: its URL and its control API (``/_patchbay/...``)."""

    def __init__(self, url, admin_token=None, process=None, temp_dir=None):
        self.url = url.rstrip("/")
        self.admin_token = admin_token
        self._process = process
        self._temp_dir = temp_dir

    def base_url(self, vendor):
        """The base URL to give `vendor`'s official SDK."""
        if vendor not in _SDK_PATHS:
            raise ValueError(f"unknown vendor {vendor!r}: one of {', '.join(VENDORS)}")
        return self.url + _SDK_PATHS[vendor]

    def control(self, method, path, body=None, query=None):
        """One control API call; the decoded JSON answer, or PatchbayError."""
        url = f"{self.url}/_patchbay{path}"
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = {"content-type": "application/json"}
        if self.admin_token:
            headers["authorization"] = f"Bearer {self.admin_token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                answer = json.loads(text)
            except ValueError:
                answer = text.decode(errors="replace")
            raise PatchbayError(error.code, answer) from None

    def health(self):
        return self.control("GET", "/health")

    def requests(self, **filters):
        """Journal entries, oldest first; filters as the control API takes them (vendor, tenant,
        key, method, path, status, since, after...). With `limit`, that one page (the newest
        entries, or the first after `after`); without, every matching entry the journal holds,
        read page by page."""
        if "limit" in filters:
            return self.control("GET", "/requests", query=filters)["requests"]
        query = {**filters, "after": filters.get("after", 0), "limit": 1000}
        entries = []
        while True:
            page = self.control("GET", "/requests", query=query)
            entries.extend(page["requests"])
            if page.get("next_after") is None:
                return entries
            query["after"] = page["next_after"]

    def clear_requests(self):
        self.control("DELETE", "/requests")

    def add_fault(self, **rule):
        """Adds a fault rule (vendor, key, kind, status, times...); returns its id."""
        return self.control("POST", "/faults", rule)["faults"][0]["id"]

    def remove_fault(self, fault_id):
        try:
            self.control("DELETE", f"/faults/{fault_id}")
        except PatchbayError as error:
            if error.status != 404:  # a `times` rule that fired out is already gone
                raise

    def clear_faults(self):
        self.control("DELETE", "/faults")

    @contextmanager
    def fault(self, **rule):
        """A fault rule in force for the length of a `with` block."""
        fault_id = self.add_fault(**rule)
        try:
            yield fault_id
        finally:
            self.remove_fault(fault_id)

    def reset(self, vendor=None, tenant=None, key=None):
        """Puts state back to the fixtures: everything, one vendor, one tenant, or a key's tenant."""
        body = {name: value for name, value in (("vendor", vendor), ("tenant", tenant), ("key", key)) if value}
        return self.control("POST", "/reset", body)

    def seed(self, documents):
        """Upserts keys and records: ``{"nango": {"keys": [...], "records": [...]}, ...}``."""
        return self.control("POST", "/seed", documents)

    def state(self, vendor, tenant=None):
        return self.control("GET", f"/state/{vendor}", query={"tenant": tenant})

    def tenant(self):
        """Fresh open keys, one per vendor (the server must run with open keys on)."""
        return Tenant(self)

    def stop(self):
        """Stops a server that `start` started; an attached one is left running."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Tenant:
    """One test's own state: a fresh open key per vendor, each a tenant nobody else uses."""

    def __init__(self, server):
        self.server = server
        self.keys = {vendor: new_key(vendor) for vendor in VENDORS}

    @property
    def url(self):
        return self.server.url

    def key(self, vendor):
        return self.keys[vendor]

    def base_url(self, vendor):
        return self.server.base_url(vendor)

    def requests(self, vendor, **filters):
        """This tenant's journal entries for `vendor`, oldest first; none before its key is used."""
        try:
            return self.server.requests(vendor=vendor, key=self.keys[vendor], **filters)
        except PatchbayError as error:
            if error.status == 404:  # the key has made no request yet, so it names no tenant
                return []
            raise

    @contextmanager
    def fault(self, vendor, **rule):
        """A fault for this tenant's requests to `vendor` only, for a `with` block."""
        with self.server.fault(vendor=vendor, key=self.keys[vendor], **rule) as fault_id:
            yield fault_id

    def reset(self, vendor):
        """Back to the demo records (only once the key has been used: that creates the tenant)."""
        return self.server.reset(key=self.keys[vendor])


def find_binary():
    """PATCHBAY_BIN, else `patchbay` on PATH."""
    explicit = os.environ.get("PATCHBAY_BIN")
    if explicit:
        return explicit
    found = shutil.which("patchbay")
    if found is None:
        raise FileNotFoundError(
            "patchbay not found: put it on PATH (cargo install --path crates/server --locked), "
            "set PATCHBAY_BIN to the binary, or PATCHBAY_URL to a running server"
        )
    return found


def start(binary=None, args=(), open_keys=True, timeout=15, env=None):
    """Starts `patchbay serve` on 127.0.0.1, port 0, with a fresh database in a temporary
    directory, and returns a Patchbay once it listens. `args` are extra `serve` flags."""
    binary = binary or find_binary()
    temp_dir = tempfile.mkdtemp(prefix="patchbay-")
    command = [str(binary), "serve", "--bind", "127.0.0.1:0", "--db", os.path.join(temp_dir, "patchbay.db")]
    if open_keys:
        command.append("--open-keys")
    command.extend(args)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, text=True, cwd=temp_dir,
                               env=None if env is None else {**os.environ, **env})
    output = []
    deadline = time.monotonic() + timeout
    url = None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            url = match.group(1)
            break
    if url is None:
        process.kill()
        process.wait()
        shutil.rmtree(temp_dir, ignore_errors=True)
        raise RuntimeError("patchbay did not start:\n" + "".join(output))
    # The banner goes on after the first line; drain it so the server never blocks on the pipe.
    threading.Thread(target=lambda: process.stdout.read(), daemon=True).start()
    return Patchbay(url, process=process, temp_dir=temp_dir)


def attach_or_start(**start_options):
    """PATCHBAY_URL (and PATCHBAY_ADMIN_TOKEN) if set, else a server started with `start`."""
    url = os.environ.get("PATCHBAY_URL")
    if url:
        server = Patchbay(url, admin_token=os.environ.get("PATCHBAY_ADMIN_TOKEN"))
        server.health()
        return server
    return start(**start_options)
