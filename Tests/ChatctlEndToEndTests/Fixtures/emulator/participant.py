#!/usr/bin/env python3
"""The customer's side of a chat through boto3's `connectparticipant` client, against
`chatctl emulator`.

Usage: participant.py ENDPOINT_URL ACCESS_KEY_ID SECRET_ACCESS_KEY REGION

Starts chats with boto3's `connect` client, then: CreateParticipantConnection, SendMessage,
GetTranscript with paging in both directions, SendEvent, DisconnectParticipant;
and the model's errors for bad input, a wrong token, a swapped token, an ended chat and
throttling. Prints one JSON object; ParticipantConformanceTests asserts on it. Retries are
off, so every call is one request. The participant client signs its requests (boto3 does,
having credentials): the emulator must ignore the signature.
"""
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

endpoint, key_id, secret, region = sys.argv[1:5]
INSTANCE = "11111111-2222-4333-8444-555555555555"
FLOW = "66666666-7777-4888-9999-000000000000"
config = Config(retries={"max_attempts": 1, "mode": "standard"})
session = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=key_id, aws_secret_access_key=secret,
               config=config)
connect = boto3.client("connect", **session)
participant = boto3.client("connectparticipant", **session)


def error_code(call):
    try:
        call()
    except ClientError as error:
        return [error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]]
    except ParamValidationError:
        return ["ParamValidationError", 0]
    return [None, 200]


def start_chat():
    started = connect.start_chat_contact(
        InstanceId=INSTANCE, ContactFlowId=FLOW, ParticipantDetails={"DisplayName": "Boto"})
    return started["ContactId"], started["ParticipantToken"]


results = {}

# The whole customer side.
contact_id, participant_token = start_chat()
connection = participant.create_participant_connection(
    ParticipantToken=participant_token, Type=["WEBSOCKET", "CONNECTION_CREDENTIALS"])
token = connection["ConnectionCredentials"]["ConnectionToken"]
results["connection"] = {
    "status": connection["ResponseMetadata"]["HTTPStatusCode"],
    "websocket_url": connection["Websocket"]["Url"],
    "has_expiry": bool(connection["Websocket"]["ConnectionExpiry"]),
}
sent = []
for index in range(12):
    answer = participant.send_message(ConnectionToken=token, ContentType="text/plain", Content=f"message {index}")
    sent.append(answer["Id"])
results["sent_ids_unique"] = len(set(sent)) == 12
event = participant.send_event(ConnectionToken=token, ContentType="application/vnd.amazonaws.connect.event.typing")
results["event_status"] = event["ResponseMetadata"]["HTTPStatusCode"]

# Paging by hand: ASCENDING, FORWARD from the oldest, 5 a page.
pages, items, next_token = 0, [], None
while True:
    request = dict(ConnectionToken=token, ContactId=contact_id, MaxResults=5, SortOrder="ASCENDING",
                   ScanDirection="FORWARD", StartPosition={"MostRecent": 100})
    if next_token:
        request = dict(ConnectionToken=token, MaxResults=5, SortOrder="ASCENDING", NextToken=next_token)
    page = participant.get_transcript(**request)
    pages += 1
    items += page["Transcript"]
    next_token = page.get("NextToken")
    if not next_token or pages > 20:
        break
results["paged"] = {
    "pages": pages,
    "types": [item["Type"] for item in items],
    "contents": [item.get("Content") for item in items if item["Type"] == "MESSAGE"],
    "initial_contact_id": page["InitialContactId"],
}
# Defaults: the 10 most recent items, newest first.
latest = participant.get_transcript(ConnectionToken=token)
results["default_page"] = [item.get("Content") or item["Type"] for item in latest["Transcript"]]
time.sleep(1.5)  # the GetTranscript bucket (8/s, burst 12) refills

# Errors for bad input: the model's ValidationException (boto3 checks some itself first).
results["bad_content_type"] = error_code(
    lambda: participant.send_message(ConnectionToken=token, ContentType="image/png", Content="x"))
results["too_long"] = error_code(
    lambda: participant.send_message(ConnectionToken=token, ContentType="text/plain", Content="x" * 1025))
results["bad_receipt"] = error_code(
    lambda: participant.send_event(ConnectionToken=token, ContentType="application/vnd.amazonaws.connect.event.message.read",
                                   Content="{}"))
results["bad_next_token"] = error_code(lambda: participant.get_transcript(ConnectionToken=token, NextToken="garbage"))
# Wrong, swapped tokens.
results["wrong_token"] = error_code(
    lambda: participant.send_message(ConnectionToken="wrong", ContentType="text/plain", Content="x"))
results["swapped_participant_token"] = error_code(
    lambda: participant.send_message(ConnectionToken=participant_token, ContentType="text/plain", Content="x"))
results["swapped_connection_token"] = error_code(
    lambda: participant.create_participant_connection(ParticipantToken=token, Type=["CONNECTION_CREDENTIALS"]))

# Throttling: the test starts the emulator with --participant-quota SendEvent=0.5/3 (a
# bucket of 3 refilled every 2 s), so the fourth of a quick burst is refused whatever the
# machine's speed.
results["throttled_status"] = error_code(lambda: [participant.send_event(
    ConnectionToken=token, ContentType="application/vnd.amazonaws.connect.event.typing") for _ in range(20)])
# Disconnect, then the chat has ended for every call.
disconnected = participant.disconnect_participant(ConnectionToken=token)
results["disconnect_status"] = disconnected["ResponseMetadata"]["HTTPStatusCode"]
results["ended_message"] = error_code(
    lambda: participant.send_message(ConnectionToken=token, ContentType="text/plain", Content="anyone?"))
results["ended_connection"] = error_code(
    lambda: participant.create_participant_connection(ParticipantToken=participant_token, Type=["CONNECTION_CREDENTIALS"]))

# BACKWARD paging (the default direction) over a second chat, 3 a page, newest first.
time.sleep(1.5)
second_id, second_token = start_chat()
second = participant.create_participant_connection(ParticipantToken=second_token, Type=["CONNECTION_CREDENTIALS"])
second_connection = second["ConnectionCredentials"]["ConnectionToken"]
for index in range(7):
    participant.send_message(ConnectionToken=second_connection, ContentType="text/plain", Content=f"p{index}")
backward, next_token = [], None
for _ in range(10):
    request = dict(ConnectionToken=second_connection, MaxResults=3)
    if next_token:
        request["NextToken"] = next_token
    page = participant.get_transcript(**request)
    backward.append([item.get("Content") or item["Type"] for item in page["Transcript"]])
    next_token = page.get("NextToken")
    if not next_token:
        break
results["backward_pages"] = backward

print(json.dumps(results))
