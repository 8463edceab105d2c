#!/usr/bin/env python3
"""A loopback stand-in for AWS STS, EC2 instance metadata (IMDSv2) and the container
credentials endpoint, for the credential provider tests of ChatctlAWSTests.

Usage: fake_credentials_server.py CONFIG.json

It listens on 127.0.0.1 on a free port and prints "PORT <n> CLOSED <m>" as its first line
of standard output: <m> is a port it holds bound but never listens on, so connecting to it
is refused while no other process can take it. It exits on SIGTERM or SIGINT (even when started with those signals
blocked or ignored, as a test runner may do), when its standard input reaches end of file
(the test closed the pipe, or died), or after MAX_LIFETIME seconds, so it never outlives
a test run. Only the Python 3 standard library is required; when botocore is
importable, AssumeRole signatures are checked with botocore's SigV4Auth, otherwise with
an independent implementation below. Every request is recorded; GET /__log returns the
records as JSON (with "signature": "valid" / "invalid" / null and "verifier").

CONFIG (every part optional):
{
  "sts": {
    "keys": {"AKID": {"secret": "...", "token": null}},        # identities that may sign
    "region": "us-east-1",                                     # expected signing region
    "roles": {"arn:...:role/x": {"AccessKeyId": ..., "SecretAccessKey": ...,
                                 "SessionToken": ..., "Expiration": "..."}},
    "failures": {"arn:...:role/y": {"status": 403, "code": "AccessDenied", "message": "..."}},
    "web_identity_token": "...",                               # the token AssumeRoleWithWebIdentity accepts
    "transient_failures": 0                                    # answer HTTP 503 this many times first
  },
  "imds": {"role": "name", "credentials": {...}, "token_status": 200, "no_role": false},
  "container": {"path": "/creds", "authorization": "...", "credentials": {...}, "status": 200}
}
Roles' credentials become signing identities too, so chained AssumeRole calls verify.
"""

import hashlib
import hmac
import json
import os
import signal
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

try:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.compat import HTTPHeaders
    from botocore.credentials import Credentials

    HAVE_BOTOCORE = True
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_BOTOCORE = False

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
IMDS_TOKEN = "fake-imds-session-token"


def load_config(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


CONFIG = load_config(sys.argv[1]) if len(sys.argv) > 1 else {}
LOCK = threading.Lock()
LOG = []
STATE = {"sts_transient_left": CONFIG.get("sts", {}).get("transient_failures", 0)}


def signing_keys():
    keys = {k: dict(v) for k, v in CONFIG.get("sts", {}).get("keys", {}).items()}
    for role in CONFIG.get("sts", {}).get("roles", {}).values():
        keys[role["AccessKeyId"]] = {"secret": role["SecretAccessKey"], "token": role.get("SessionToken")}
    return keys


# --- SigV4 verification ----------------------------------------------------------------


def parse_authorization(value):
    algorithm, _, rest = value.partition(" ")
    parts = {}
    for piece in rest.split(","):
        name, _, val = piece.strip().partition("=")
        parts[name] = val
    access_key, date, region, service, terminator = parts["Credential"].split("/")
    return {
        "algorithm": algorithm,
        "access_key": access_key,
        "date": date,
        "region": region,
        "service": service,
        "terminator": terminator,
        "signed_headers": parts["SignedHeaders"].split(";"),
        "signature": parts["Signature"],
    }


def signature_with_botocore(method, host, path, headers, body, auth, secret, token):
    class Verifier(SigV4Auth):
        def headers_to_sign(self, request):
            selected = HTTPHeaders()
            for name, value in request.headers.items():
                if name.lower() in auth["signed_headers"]:
                    selected[name.lower()] = value
            return selected

    request = AWSRequest(method=method, url="http://%s%s" % (host, path), data=body, headers=dict(headers))
    request.context["timestamp"] = headers_get(headers, "x-amz-date")
    verifier = Verifier(Credentials(auth["access_key"], secret, token), auth["service"], auth["region"])
    canonical = verifier.canonical_request(request)
    string_to_sign = verifier.string_to_sign(request, canonical)
    return verifier.signature(string_to_sign, request)


def signature_by_hand(method, host, path, headers, body, auth, secret):
    def trimmed(value):
        return " ".join(value.strip().split())

    canonical_headers = "".join(
        "%s:%s\n" % (name, trimmed(headers_get(headers, name) or "")) for name in sorted(auth["signed_headers"])
    )
    canonical = "\n".join(
        [
            method,
            urllib.parse.quote(path or "/", safe="/~"),
            "",
            canonical_headers,
            ";".join(sorted(auth["signed_headers"])),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = "/".join([auth["date"], auth["region"], auth["service"], "aws4_request"])
    string_to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", headers_get(headers, "x-amz-date"), scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = ("AWS4" + secret).encode()
    for part in (auth["date"], auth["region"], auth["service"], "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def headers_get(headers, name):
    for key, value in headers:
        if key.lower() == name.lower():
            return value
    return None


# --- Handler -----------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, body, content_type="application/json", extra=None):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _record(self, entry):
        with LOCK:
            LOG.append(entry)

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/__log":
            with LOCK:
                self._send(200, json.dumps(LOG))
            return
        if path.startswith("/latest/"):
            self._imds("GET", path)
            return
        container = CONFIG.get("container")
        if container is not None and path == container.get("path", "/creds"):
            self._container(container)
            return
        self._send(404, json.dumps({"message": "no such path"}))

    def do_PUT(self):
        path = urllib.parse.urlsplit(self.path).path
        self._body()
        if path.startswith("/latest/"):
            self._imds("PUT", path)
            return
        self._send(404, "{}")

    def do_POST(self):
        body = self._body()
        self._sts(body)

    # --- IMDS ---

    def _imds(self, method, path):
        imds = CONFIG.get("imds", {})
        entry = {"service": "imds", "method": method, "path": path, "headers": dict(self.headers.items())}
        self._record(entry)
        if method == "PUT" and path == "/latest/api/token":
            status = imds.get("token_status", 200)
            if status != 200:
                self._send(status, "", "text/plain")
            elif not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                self._send(400, "missing ttl header", "text/plain")
            else:
                self._send(200, IMDS_TOKEN, "text/plain")
            return
        if self.headers.get("X-aws-ec2-metadata-token") != IMDS_TOKEN:
            self._send(401, "", "text/plain")
            return
        base = "/latest/meta-data/iam/security-credentials/"
        role = imds.get("role", "chatctl-test-role")
        if path == base:
            if imds.get("no_role"):
                self._send(404, "", "text/plain")
            else:
                self._send(200, role + "\n", "text/plain")
            return
        if path == base + role and "credentials" in imds:
            document = dict(imds["credentials"])
            document.setdefault("Code", "Success")
            document.setdefault("Type", "AWS-HMAC")
            self._send(200, json.dumps(document))
            return
        self._send(404, "", "text/plain")

    # --- Container ---

    def _container(self, container):
        entry = {"service": "container", "path": self.path, "headers": dict(self.headers.items())}
        self._record(entry)
        expected = container.get("authorization")
        if expected is not None and self.headers.get("Authorization") != expected:
            self._send(401, json.dumps({"code": "InvalidToken", "message": "authorization token rejected"}))
            return
        status = container.get("status", 200)
        if status != 200:
            self._send(status, json.dumps({"code": "Failure", "message": "container endpoint failure"}))
            return
        self._send(200, json.dumps(container.get("credentials", {})))

    # --- STS ---

    def _sts_error(self, status, code, message):
        body = (
            '<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>'
            "<RequestId>fake-request-id</RequestId></ErrorResponse>" % (STS_NS, escape(code), escape(message))
        )
        self._send(status, body, "text/xml")

    def _sts(self, body):
        sts = CONFIG.get("sts", {})
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        header_pairs = list(self.headers.items())
        entry = {"service": "sts", "path": self.path, "form": {k: v for k, v in form.items() if k != "WebIdentityToken"},
                 "headers": {k: v for k, v in header_pairs}, "signature": None,
                 "verifier": "botocore" if HAVE_BOTOCORE else "python"}
        self._record(entry)
        with LOCK:
            transient = STATE["sts_transient_left"] > 0
            if transient:
                STATE["sts_transient_left"] -= 1
        if transient:
            self._sts_error(503, "ServiceUnavailable", "try again")
            return
        if form.get("Version") != "2011-06-15":
            self._sts_error(400, "InvalidAction", "missing or wrong Version")
            return
        action = form.get("Action")
        role_arn = form.get("RoleArn", "")
        if action == "AssumeRole":
            problem = self._check_signature(body, header_pairs, entry, sts)
            if problem:
                self._sts_error(403, *problem)
                return
        elif action == "AssumeRoleWithWebIdentity":
            if self.headers.get("Authorization"):
                self._sts_error(400, "InvalidRequest", "AssumeRoleWithWebIdentity must not be signed")
                return
            if form.get("WebIdentityToken") != sts.get("web_identity_token"):
                self._sts_error(400, "InvalidIdentityToken", "the web identity token was rejected")
                return
        else:
            self._sts_error(400, "InvalidAction", "unsupported action")
            return
        if not form.get("RoleSessionName"):
            self._sts_error(400, "ValidationError", "RoleSessionName is required")
            return
        failure = sts.get("failures", {}).get(role_arn)
        if failure:
            self._sts_error(failure.get("status", 403), failure.get("code", "AccessDenied"), failure.get("message", "denied"))
            return
        role = sts.get("roles", {}).get(role_arn)
        if role is None:
            self._sts_error(403, "AccessDenied", "not authorized to perform sts:%s on resource: %s" % (action, role_arn))
            return
        credentials = "".join(
            "<%s>%s</%s>" % (name, escape(role[name]), name)
            for name in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")
            if name in role
        )
        result = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<%sResponse xmlns="%s"><%sResult><Credentials>%s</Credentials>'
            "<AssumedRoleUser><Arn>%s</Arn></AssumedRoleUser></%sResult>"
            "<ResponseMetadata><RequestId>fake-request-id</RequestId></ResponseMetadata></%sResponse>"
            % (action, STS_NS, action, credentials, escape(role_arn), action, action)
        )
        self._send(200, result, "text/xml")

    def _check_signature(self, body, header_pairs, entry, sts):
        authorization = self.headers.get("Authorization")
        if not authorization:
            return ("MissingAuthenticationToken", "request is missing Authentication Token")
        try:
            auth = parse_authorization(authorization)
        except (KeyError, ValueError):
            return ("IncompleteSignature", "malformed Authorization header")
        entry["signing_region"] = auth["region"]
        entry["access_key"] = auth["access_key"]
        identity = signing_keys().get(auth["access_key"])
        if identity is None:
            return ("InvalidClientTokenId", "The security token included in the request is invalid.")
        if auth["service"] != "sts" or auth["algorithm"] != "AWS4-HMAC-SHA256" or auth["terminator"] != "aws4_request":
            return ("IncompleteSignature", "wrong algorithm, service or terminator")
        expected_region = sts.get("region")
        if expected_region and auth["region"] != expected_region:
            return ("SignatureDoesNotMatch", "Credential should be scoped to a valid region.")
        if identity.get("token") != self.headers.get("X-Amz-Security-Token"):
            return ("InvalidClientTokenId", "The security token included in the request is invalid.")
        if identity.get("token") and "x-amz-security-token" not in auth["signed_headers"]:
            return ("SignatureDoesNotMatch", "X-Amz-Security-Token is not signed")
        host = self.headers.get("Host", "")
        path = urllib.parse.urlsplit(self.path).path
        if HAVE_BOTOCORE:
            expected = signature_with_botocore("POST", host, path, header_pairs, body, auth, identity["secret"], identity.get("token"))
        else:
            expected = signature_by_hand("POST", host, path, header_pairs, body, auth, identity["secret"])
        if not hmac.compare_digest(expected, auth["signature"]):
            entry["signature"] = "invalid"
            return ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
        entry["signature"] = "valid"
        return None


MAX_LIFETIME = 600


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True

    def stop(*_):
        os._exit(0)

    # A test runner may spawn this process with SIGTERM blocked or ignored; undo both.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        stop()

    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Timer(MAX_LIFETIME, stop).start()
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.bind(("127.0.0.1", 0))
    print("PORT %d CLOSED %d" % (server.server_address[1], closed.getsockname()[1]), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
