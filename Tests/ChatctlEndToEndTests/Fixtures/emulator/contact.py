#!/usr/bin/env python3
"""StopContact or DescribeContact through boto3 against `chatctl emulator`.

Usage: contact.py ENDPOINT_URL REGION (stop|describe) INSTANCE_ID CONTACT_ID [MODEL_JSON]

Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Prints one JSON object:
for describe, the Contact members boto3 parsed (timestamps as epoch seconds) and, given
MODEL_JSON (Fixtures/connect/describe-contact.model.json, copied from shared/testdata/connect/), the members of the answer
that the model's Contact shape does not define (RefreshCommandTests expects none).
"""
import datetime
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, region, action, instance, contact = sys.argv[1:6]
model_path = sys.argv[6] if len(sys.argv) > 6 else None
client = boto3.client(
    "connect", endpoint_url=endpoint, region_name=region,
    config=Config(retries={"max_attempts": 1, "mode": "standard"}))


def plain(value):
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


try:
    if action == "stop":
        client.stop_contact(InstanceId=instance, ContactId=contact)
        print(json.dumps({"status": 200}))
    else:
        answer = client.describe_contact(InstanceId=instance, ContactId=contact)
        described = plain(answer["Contact"])
        unknown = []
        if model_path:
            with open(model_path, encoding="utf-8") as model_file:
                model = json.load(model_file)
            members = model["operations"]["DescribeContact"]["output"]["members"]["Contact"]["members"]
            unknown = sorted(set(answer["Contact"]) - set(members))
        print(json.dumps({"status": 200, "contact": described, "unknown": unknown}))
except ClientError as error:
    print(json.dumps({
        "status": error.response["ResponseMetadata"]["HTTPStatusCode"], "code": error.response["Error"]["Code"]}))
