#!/usr/bin/env python3
"""A stand-in for Amazon Connect on loopback, for chatctl's transport and client tests.

It binds 127.0.0.1 on a free port (HTTPS with --tls-cert/--tls-key, else plain HTTP) and
prints `PORT <n>` as its first line of stdout (or `ERROR <why>` and exits 3 when it cannot
start). It speaks HTTP/1.1 with keep-alive and counts the connections that carry Connect
requests.

Every Connect request must carry a SigV4 signature, which is checked INDEPENDENTLY of
chatctl's own signer: the canonical request, string to sign and signature are recomputed
with botocore (`botocore.auth.SigV4Auth` on a `botocore.awsrequest.AWSRequest` holding the
headers the request says it signed), from the credentials given on the command line. Errors
are answered the way Amazon Connect answers them (restJson1: `X-Amzn-ErrorType`, a JSON body
with `message`, `x-amzn-RequestId`, a `Date` header from the server's clock).

Operations: StartChatContact (PUT /contact/chat, idempotent on ClientToken), StopContact
(POST /contact/stop), DescribeContact (GET /contacts/{InstanceId}/{ContactId}).

Control endpoints (not signed):
  GET  /__control/stats   -> {"connections": n, "openConnections": m, "requests": [...]}:
                             the connections that carried Connect requests, the connections
                             open now (the stats request's own not counted), and every
                             Connect request seen
  POST /__control/script  {"actions": [...]} queue one action per later Connect request
  POST /__control/clock   {"offset": seconds} move the server clock (for clock-skew tests)
  POST /__control/release answer every request held by a "hold" action

An action is a JSON object, applied to the next Connect request whose signature verified:
  {"status": 500, "code": "InternalServiceException", "message": "...", "retryAfterMs": 1500}
  {"drop": true}       read the request, then reset the connection without answering
  {"delay": 2.5}       wait that many seconds, then answer normally (or with "status")
  {"bodyBytes": 4096}  answer 200 with that many bytes of body
  {"json": {...}}      answer 200 with this JSON object as the body (`{}`, ids the model refuses)
  {"contactIdLength": n} answer 200 with a ContactId of n characters
  {"raw": "garbage"}   run the operation (a chat is created), then answer bytes that are not HTTP
  {"raw": "http09"}    run the operation, then answer the body alone, without a status line
  {"raw": "truncated"} run the operation, then close the connection halfway through the body
  {"hold": true}       read the request, then answer only after POST /__control/release (or never)
Actions may also be queued with --script '<json list>'.

The stats also carry "closedPort": a port on 127.0.0.1 that the server holds bound but never
listens on, so connecting to it is refused, and no other process can take it meanwhile.

The process exits when its stdin reaches end-of-file (the test process went away) or after
--lifetime seconds, so it never outlives the tests.
"""

import argparse
import calendar
import hmac
import json
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import uuid
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

try:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:
    print("ERROR botocore is not installed; install it with: python3 -m pip install botocore", flush=True)
    sys.exit(3)


class State:
    """What the server remembers; every access holds `lock`."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.access_key = args.access_key
        self.secret_key = args.secret_key
        self.session_token = args.session_token
        self.region = args.region
        self.clock_offset = args.clock_offset
        self.connections = 0
        self.open_connections = 0
        self.requests = []
        self.actions = list(json.loads(args.script)) if args.script else []
        self.chats = {}  # ClientToken -> (request body without ClientToken, response)
        self.release = threading.Event()
        # Bound, never listening: connections to it are refused, and the port stays ours.
        self.closed_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.closed_socket.bind(("127.0.0.1", 0))
        self.closed_port = self.closed_socket.getsockname()[1]

    def now(self):
        with self.lock:
            return time.time() + self.clock_offset


def amz_date(seconds):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(seconds))


def parse_amz_date(text):
    try:
        return calendar.timegm(time.strptime(text, "%Y%m%dT%H%M%SZ"))
    except (ValueError, TypeError):
        return None


def parse_authorization(value):
    """`AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` -> dict, or None."""
    prefix = "AWS4-HMAC-SHA256 "
    if not value or not value.startswith(prefix):
        return None
    parts = {}
    for item in value[len(prefix):].split(","):
        name, _, val = item.strip().partition("=")
        parts[name] = val
    if not {"Credential", "SignedHeaders", "Signature"} <= parts.keys():
        return None
    scope = parts["Credential"].split("/")
    if len(scope) != 5:
        return None
    return {
        "access_key": scope[0],
        "date": scope[1],
        "region": scope[2],
        "service": scope[3],
        "terminator": scope[4],
        "signed_headers": parts["SignedHeaders"].split(";"),
        "signature": parts["Signature"],
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeConnect/1.0"

    # -- plumbing -----------------------------------------------------------

    def setup(self):
        super().setup()
        self.counted = False
        with self.server.state.lock:
            self.server.state.open_connections += 1

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        with self.server.state.lock:
            self.server.state.open_connections -= 1

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, BrokenPipeError, OSError):
            pass  # the client gave up (timeouts) or the connection was dropped on purpose

    def log_message(self, format, *args):
        pass  # quiet: the tests read /__control/stats instead

    def date_time_string(self, timestamp=None):
        return formatdate(self.server.state.now(), usegmt=True)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def reply(self, status, body=b"", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        raw = getattr(self, "raw", None)
        if raw is not None:
            return self.reply_raw(raw, status, body)
        self.send_response(status)
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.send_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def reply_raw(self, raw, status, body):
        """Answers something that is not a whole HTTP response, then closes the connection."""
        if raw == "garbage":
            self.wfile.write(b"\x00\x01\x02 this is not HTTP at all\r\n\r\n")
        elif raw == "http09":
            self.wfile.write(body)
        elif raw == "truncated":
            head = "HTTP/1.1 %d OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (
                status, len(body) + 100)
            self.wfile.write(head.encode() + body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True

    def error(self, status, code, message, headers=None):
        all_headers = {"X-Amzn-ErrorType": code + ":http://internal.amazon.com/coral/com.amazon.coral.service/"}
        all_headers.update(headers or {})
        self.reply(status, {"message": message}, all_headers)

    def drop(self):
        """Resets the connection (RST) without answering."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True

    # -- verbs --------------------------------------------------------------

    def do_GET(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def dispatch(self):
        body = self.read_body()
        path, _, query = self.path.partition("?")
        if path.startswith("/__control/"):
            return self.control(path, body)
        if not self.counted:
            self.counted = True
            with self.server.state.lock:
                self.server.state.connections += 1
        record = {
            "method": self.command,
            "path": path,
            "query": query,
            "httpVersion": self.request_version,
            "userAgent": self.headers.get("User-Agent"),
            "accept": self.headers.get("Accept"),
            "expect": self.headers.get("Expect"),
            "contentType": self.headers.get("Content-Type"),
            "amzDate": self.headers.get("X-Amz-Date"),
            "securityToken": self.headers.get("X-Amz-Security-Token") is not None,
            "bodyLength": len(body),
        }
        try:
            record["clientToken"] = json.loads(body).get("ClientToken") if body else None
        except (ValueError, AttributeError):
            record["clientToken"] = None
        failure = self.verify(path, query, body)
        record["signature"] = "valid" if failure is None else failure[1]
        with self.server.state.lock:
            self.server.state.requests.append(record)
        if failure is not None:
            status, code, message = failure
            return self.error(status, code, message)

        with self.server.state.lock:
            action = self.server.state.actions.pop(0) if self.server.state.actions else {}
        self.raw = action.get("raw")
        if action.get("drop"):
            return self.drop()
        if action.get("hold"):
            self.server.state.release.wait()
        if "json" in action:
            return self.reply(200, action["json"])
        if "contactIdLength" in action:
            return self.reply(200, {"ContactId": "c" * int(action["contactIdLength"]), "ParticipantId": "p-1",
                                    "ParticipantToken": "participant-token-long"})
        if action.get("delay"):
            time.sleep(float(action["delay"]))
        if "status" in action:
            headers = {}
            if "retryAfterMs" in action:
                headers["x-amz-retry-after"] = str(action["retryAfterMs"])
            return self.error(
                int(action["status"]), action.get("code", "InternalServiceException"),
                action.get("message", "scripted failure"), headers)
        if "bodyBytes" in action:
            return self.reply(200, b"x" * int(action["bodyBytes"]), {"Content-Type": "application/octet-stream"})
        self.operation(path, body)

    # -- signature ----------------------------------------------------------

    def verify(self, path, query, body):
        """None when the request is correctly signed, else (status, code, message)."""
        state = self.server.state
        auth = parse_authorization(self.headers.get("Authorization"))
        if auth is None:
            return (403, "MissingAuthenticationTokenException", "Missing Authentication Token")
        if auth["access_key"] != state.access_key:
            return (403, "UnrecognizedClientException", "The security token included in the request is invalid.")
        if auth["region"] != state.region or auth["service"] != "connect" or auth["terminator"] != "aws4_request":
            return (403, "InvalidSignatureException", "Credential should be scoped to a valid region, service and terminator.")
        stamp = self.headers.get("X-Amz-Date")
        signed_at = parse_amz_date(stamp)
        if signed_at is None or stamp[:8] != auth["date"]:
            return (400, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'.")
        now = state.now()
        if signed_at < now - 300:
            return (403, "InvalidSignatureException",
                    "Signature expired: %s is now earlier than %s (%s - 5 min.)"
                    % (stamp, amz_date(now - 300), amz_date(now)))
        if signed_at > now + 300:
            return (403, "InvalidSignatureException",
                    "Signature not yet current: %s is still later than %s (%s + 5 min.)"
                    % (stamp, amz_date(now + 300), amz_date(now)))
        if state.session_token is not None:
            if self.headers.get("X-Amz-Security-Token") != state.session_token:
                return (403, "UnrecognizedClientException", "The security token included in the request is invalid.")

        headers = {}
        for name in auth["signed_headers"]:
            values = self.headers.get_all(name) or []
            headers[name] = ",".join(values)
        scheme = "https" if isinstance(self.connection, ssl.SSLSocket) else "http"
        url = "%s://%s%s" % (scheme, self.headers.get("Host", "localhost"), path + ("?" + query if query else ""))
        request = AWSRequest(method=self.command, url=url, data=body, headers=headers)
        request.context["timestamp"] = stamp
        signer = SigV4Auth(Credentials(state.access_key, state.secret_key, state.session_token), "connect", state.region)
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        if not hmac.compare_digest(expected, auth["signature"]):
            return (403, "InvalidSignatureException",
                    "The request signature we calculated does not match the signature you provided. "
                    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        return None

    # -- operations ---------------------------------------------------------

    def operation(self, path, body):
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            return self.error(400, "InvalidRequestException", "The request body is not valid JSON.")
        if self.command == "PUT" and path == "/contact/chat":
            return self.start_chat_contact(payload)
        if self.command == "POST" and path == "/contact/stop":
            if not payload.get("ContactId") or not payload.get("InstanceId"):
                return self.error(400, "InvalidParameterException", "ContactId and InstanceId are required.")
            return self.reply(200, {})
        parts = path.split("/")
        if self.command == "GET" and len(parts) == 4 and parts[1] == "contacts":
            return self.reply(200, {"Contact": {
                "Id": unquote(parts[3]), "Arn": "arn:aws:connect:%s:123456789012:instance/%s/contact/%s"
                % (self.server.state.region, unquote(parts[2]), unquote(parts[3])),
                "Channel": "CHAT", "InitiationMethod": "API", "InitiationTimestamp": time.time()}})
        return self.error(404, "UnknownOperationException", "No operation at %s %s" % (self.command, path))

    def start_chat_contact(self, payload):
        for member in ("InstanceId", "ContactFlowId"):
            if not payload.get(member):
                return self.error(400, "InvalidParameterException", "%s is required." % member)
        if not (payload.get("ParticipantDetails") or {}).get("DisplayName"):
            return self.error(400, "InvalidParameterException", "ParticipantDetails.DisplayName is required.")
        duration = payload.get("ChatDurationInMinutes")
        if duration is not None and not (60 <= duration <= 10080):
            return self.error(400, "InvalidParameterException",
                              "ChatDurationInMinutes must be between 60 and 10080.")
        token = payload.get("ClientToken")
        without_token = {k: v for k, v in payload.items() if k != "ClientToken"}
        state = self.server.state
        with state.lock:
            if token is not None and token in state.chats:
                previous, response = state.chats[token]
                if previous != without_token:
                    mismatch = True
                else:
                    mismatch = False
            else:
                mismatch = False
                response = {
                    "ContactId": str(uuid.uuid4()),
                    "ParticipantId": str(uuid.uuid4()),
                    "ParticipantToken": "participant-token-" + uuid.uuid4().hex,
                }
                if token is not None:
                    state.chats[token] = (without_token, response)
        if mismatch:
            return self.error(400, "IdempotentParameterMismatchException",
                              "The ClientToken was already used with different parameters.")
        return self.reply(200, response)

    # -- control ------------------------------------------------------------

    def control(self, path, body):
        state = self.server.state
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            return self.reply(400, {"message": "not JSON"})
        if path == "/__control/stats":
            with state.lock:
                stats = {"connections": state.connections, "openConnections": state.open_connections - 1,
                         "requests": list(state.requests), "closedPort": state.closed_port}
            return self.reply(200, stats)
        if path == "/__control/script":
            with state.lock:
                state.actions.extend(payload.get("actions", []))
            return self.reply(200, {})
        if path == "/__control/release":
            state.release.set()
            return self.reply(200, {})
        if path == "/__control/clock":
            with state.lock:
                state.clock_offset = float(payload.get("offset", 0))
            return self.reply(200, {})
        return self.reply(404, {"message": "unknown control endpoint"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def exit_when_parent_goes(lifetime):
    """Ends the process when stdin closes (the test process is gone) or after `lifetime` s."""
    def watch_stdin():
        try:
            while sys.stdin.buffer.read(1024):
                pass
        except (OSError, ValueError):
            pass
        os._exit(0)

    def watch_clock():
        time.sleep(lifetime)
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Thread(target=watch_clock, daemon=True).start()


def main():
    # A child started from a Swift task inherits the signal mask of a dispatch worker
    # thread, which blocks SIGTERM; unblock it so that Process.terminate() works.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--access-key", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--session-token")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--clock-offset", type=float, default=0.0, help="seconds added to the server clock")
    parser.add_argument("--script", help="a JSON list of actions to queue")
    parser.add_argument("--lifetime", type=float, default=300.0, help="exit after this many seconds")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (needs --tls-key)")
    parser.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    args = parser.parse_args()

    server = Server(("127.0.0.1", 0), Handler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        context.set_alpn_protocols(["http/1.1"])
        # The handshake happens in the handler's thread, on first read, so a client that
        # rejects the certificate does not stall the accept loop.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.state = State(args)
    exit_when_parent_goes(args.lifetime)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
