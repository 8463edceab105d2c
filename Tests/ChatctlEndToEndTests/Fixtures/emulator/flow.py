#!/usr/bin/env python3
"""A chat that runs examples/flows' smoke-support-flow, driven by boto3, against
`chatctl emulator --flows examples/flows --fixtures examples/flows/fixtures.yaml`.

Usage: flow.py ENDPOINT_URL ACCESS_KEY_ID SECRET_ACCESS_KEY REGION

Two chats: one asks for an agent (the flow queues it, the chat stays open and GetTranscript
shows the conversation), one asks for its balance (the flow answers and disconnects: the
customer's calls are refused from then on, and the admin API shows the transcript). Prints
one JSON object; ChatFlowEndToEndTests asserts on it. Retries are off.
"""
import json
import sys
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, key_id, secret, region = sys.argv[1:5]
INSTANCE = "11111111-2222-4333-8444-555555555555"
FLOW = "846ec553-a005-41c0-8341-5f0d4b0c9a17"
config = Config(retries={"max_attempts": 1, "mode": "standard"})
session = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=key_id, aws_secret_access_key=secret,
               config=config)
connect = boto3.client("connect", **session)
participant = boto3.client("connectparticipant", **session)


def line(item):
    if item["Type"] == "MESSAGE":
        return "%s: %s" % (item["ParticipantRole"], item["Content"])
    return item["Type"]


def chat():
    started = connect.start_chat_contact(
        InstanceId=INSTANCE, ContactFlowId=FLOW, ParticipantDetails={"DisplayName": "Boto"})
    connection = participant.create_participant_connection(
        ParticipantToken=started["ParticipantToken"], Type=["CONNECTION_CREDENTIALS"])
    return started["ContactId"], connection["ConnectionCredentials"]["ConnectionToken"]


def transcript(token):
    answer = participant.get_transcript(ConnectionToken=token, ScanDirection="FORWARD", SortOrder="ASCENDING")
    return [line(item) for item in answer["Transcript"] if item["Type"] != "PARTICIPANT_JOINED"]


results = {}

contact_id, token = chat()
results["asked"] = transcript(token)
participant.send_message(ConnectionToken=token, ContentType="text/plain", Content="agent")
results["queued_transcript"] = transcript(token)
with urllib.request.urlopen("%s/_emulator/contacts/%s" % (endpoint, contact_id)) as answer:
    details = json.load(answer)
results["queued"] = details["chat"]["queued"]
results["flow_state"] = details["flow"]["state"]["name"]

contact_id, token = chat()
participant.send_message(ConnectionToken=token, ContentType="text/plain", Content="balance")
try:
    participant.get_transcript(ConnectionToken=token)
    results["ended_transcript"] = [None, 200]
except ClientError as error:
    results["ended_transcript"] = [error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]]
with urllib.request.urlopen("%s/_emulator/contacts/%s" % (endpoint, contact_id)) as answer:
    details = json.load(answer)
results["answered"] = [line(item) for item in details["chat"]["transcript"] if item["Type"] != "PARTICIPANT_JOINED"]
results["path"] = ["%s:%s" % (step["action"], step["branch"]) for step in details["flow"]["path"]]
print(json.dumps(results))
