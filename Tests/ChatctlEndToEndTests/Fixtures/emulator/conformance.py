#!/usr/bin/env python3
"""Conformance of `chatctl emulator` with AWS's own clients, boto3 and the AWS CLI v1.

Usage: conformance.py ENDPOINT_URL ACCESS_KEY_ID SECRET_ACCESS_KEY REGION

Calls StartChatContact and StopContact through boto3 (with a ClientToken twice, and a
persistent chat), then through `python -m awscli`, then once more with a wrong secret key
through both. Prints one JSON object with what each call answered; EmulatorConformanceTests
asserts on it. Retries are off, so every call is one request.
"""
import json
import os
import subprocess
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, key_id, secret, region = sys.argv[1:5]
INSTANCE = "11111111-2222-4333-8444-555555555555"
FLOW = "66666666-7777-4888-9999-000000000000"
config = Config(retries={"max_attempts": 1, "mode": "standard"})


def client(secret_key):
    return boto3.client(
        "connect", endpoint_url=endpoint, region_name=region, aws_access_key_id=key_id,
        aws_secret_access_key=secret_key, config=config)


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, 200


results = {}
connect = client(secret)

# StartChatContact with most members, twice with one ClientToken.
request = dict(
    InstanceId=INSTANCE, ContactFlowId=FLOW, ParticipantDetails={"DisplayName": "Conformance"},
    Attributes={"tier": "gold", "source-system": "boto3"},
    InitialMessage={"ContentType": "text/plain", "Content": "hello"},
    ClientToken="conformance-token-1", ChatDurationInMinutes=90,
    SupportedMessagingContentTypes=["text/plain", "text/markdown"],
    ParticipantConfiguration={"ResponseMode": "COMPLETE"},
    SegmentAttributes={"connect:Subtype": {"ValueString": "connect:Chat"}},
    DisconnectOnCustomerExit=["AGENT"])
first = connect.start_chat_contact(**request)
second = connect.start_chat_contact(**request)
results["boto3_start"] = {
    "status": first["ResponseMetadata"]["HTTPStatusCode"],
    "contact_id": first["ContactId"],
    "participant_id": first["ParticipantId"],
    "token_length": len(first["ParticipantToken"]),
    "request_id": first["ResponseMetadata"]["RequestId"],
    "replay_same_contact": second["ContactId"] == first["ContactId"]
    and second["ParticipantToken"] == first["ParticipantToken"],
}
results["boto3_mismatch"] = error_code(
    lambda: connect.start_chat_contact(**dict(request, ChatDurationInMinutes=120)))
results["boto3_invalid"] = error_code(
    lambda: connect.start_chat_contact(**dict(request, ClientToken="t2", SupportedMessagingContentTypes=["text/markdown"])))

stopped = connect.stop_contact(ContactId=first["ContactId"], InstanceId=INSTANCE)
results["boto3_stop"] = {"status": stopped["ResponseMetadata"]["HTTPStatusCode"]}
results["boto3_stop_again"] = error_code(
    lambda: connect.stop_contact(ContactId=first["ContactId"], InstanceId=INSTANCE))

persistent = connect.start_chat_contact(
    InstanceId=INSTANCE, ContactFlowId=FLOW, ParticipantDetails={"DisplayName": "Again"},
    PersistentChat={"RehydrationType": "FROM_SEGMENT", "SourceContactId": first["ContactId"]})
results["boto3_persistent"] = {"continued_from": persistent.get("ContinuedFromContactId")}

# The same calls through the AWS CLI v1, with credentials from the environment.
environment = dict(os.environ, AWS_ACCESS_KEY_ID=key_id, AWS_SECRET_ACCESS_KEY=secret,
                   AWS_DEFAULT_REGION=region, AWS_MAX_ATTEMPTS="1")


def aws(*arguments, env=environment):
    process = subprocess.run(
        [sys.executable, "-m", "awscli", "--endpoint-url", endpoint, "--output", "json", *arguments],
        capture_output=True, text=True, env=env, timeout=60)
    return process.returncode, process.stdout, process.stderr


code, out, err = aws("connect", "start-chat-contact", "--instance-id", INSTANCE, "--contact-flow-id", FLOW,
                     "--participant-details", "DisplayName=CLI", "--client-token", "cli-token-1")
cli_contact = json.loads(out)["ContactId"] if code == 0 else None
results["cli_start"] = {"exit": code, "contact_id": cli_contact, "stderr": err[-500:]}
code, out, err = aws("connect", "stop-contact", "--instance-id", INSTANCE, "--contact-id", cli_contact or "none")
results["cli_stop"] = {"exit": code, "stderr": err[-500:]}

# A wrong secret key: refused with InvalidSignatureException by both.
results["boto3_wrong_secret"] = error_code(
    lambda: client("not-the-secret").start_chat_contact(
        InstanceId=INSTANCE, ContactFlowId=FLOW, ParticipantDetails={"DisplayName": "Nope"}))
code, out, err = aws("connect", "stop-contact", "--instance-id", INSTANCE, "--contact-id", "x",
                     env=dict(environment, AWS_SECRET_ACCESS_KEY="not-the-secret"))
results["cli_wrong_secret"] = {"exit": code, "stderr": err[-2000:]}

print(json.dumps(results))
