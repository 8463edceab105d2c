#!/usr/bin/env python3
"""1,000 idle chat WebSockets against `chatctl emulator`, then proof that it still serves.

Usage: idle-websockets.py ENDPOINT_URL ACCESS_KEY_ID SECRET_ACCESS_KEY REGION [COUNT]

Starts a chat (boto3, signed), connects its customer (boto3's connectparticipant), opens
COUNT (default 1000) WebSockets on the URL it got and never reads or writes on them, then
reads the admin statistics, sends a message and starts another chat while they are all
open. Prints one JSON object; ParticipantConformanceTests asserts on it. Every socket has a
timeout: the script ends on its own.
"""
import json
import socket
import sys
import time
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config

endpoint, key_id, secret, region = sys.argv[1:5]
count = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
config = Config(retries={"max_attempts": 1, "mode": "standard"})
session = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=key_id, aws_secret_access_key=secret,
               config=config)
connect = boto3.client("connect", **session)
participant = boto3.client("connectparticipant", **session)
start = dict(InstanceId="11111111-2222-4333-8444-555555555555", ContactFlowId="66666666-7777-4888-9999-000000000000",
             ParticipantDetails={"DisplayName": "Idle"})

chat = connect.start_chat_contact(**start)
connection = participant.create_participant_connection(
    ParticipantToken=chat["ParticipantToken"], Type=["WEBSOCKET", "CONNECTION_CREDENTIALS"])
url = urllib.parse.urlsplit(connection["Websocket"]["Url"])
target = url.path + "?" + url.query
handshake = (f"GET {target} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").encode()

sockets, upgraded = [], 0
try:
    for _ in range(count):
        sock = socket.create_connection((url.hostname, url.port), timeout=30)
        sockets.append(sock)
        sock.sendall(handshake)
        head = b""
        while b"\r\n\r\n" not in head:
            data = sock.recv(4096)
            if not data:
                break
            head += data
        if head.startswith(b"HTTP/1.1 101 "):
            upgraded += 1
    # Each socket's subscription is registered once its session starts, just after the
    # 101 is written: the count can trail the last upgrade for a moment (seen under
    # AddressSanitizer at 999 of 1,000), so it is read until it is whole, for at most 10 s.
    for _ in range(100):
        with urllib.request.urlopen(endpoint + "/_emulator/stats", timeout=30) as answer:
            stats = json.loads(answer.read())
        if stats["eventSubscribers"] >= upgraded:
            break
        time.sleep(0.1)
    sent = participant.send_message(
        ConnectionToken=connection["ConnectionCredentials"]["ConnectionToken"], ContentType="text/plain",
        Content="still serving")
    another = connect.start_chat_contact(**start)
    print(json.dumps({
        "upgraded": upgraded,
        "event_subscribers": stats["eventSubscribers"],
        "message_status": sent["ResponseMetadata"]["HTTPStatusCode"],
        "start_status": another["ResponseMetadata"]["HTTPStatusCode"],
    }))
finally:
    for sock in sockets:
        sock.close()
