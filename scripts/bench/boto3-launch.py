"""N start_chat_contact calls with boto3: in sequence, or from a pool of THREADS threads.

The peer of `chatctl apply` in scripts/bench-peers-apply (wall time under a quota) and
scripts/bench-apply-launches (CPU per launch). Every call has its own ClientToken,
PREFIX-<index>; botocore's standard retry mode (3 attempts), one client shared by the threads.

Usage: python3 scripts/bench/boto3-launch.py ENDPOINT COUNT THREADS PREFIX INSTANCE FLOW
Prints "K failed" (and the error codes); the credentials and region come from the environment.
"""
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

endpoint, count, threads, prefix, instance, flow = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
connect = boto3.client("connect", endpoint_url=endpoint, config=Config(
    retries={"mode": "standard", "max_attempts": 3}, max_pool_connections=max(10, threads)))


def launch(index):
    try:
        connect.start_chat_contact(
            InstanceId=instance, ContactFlowId=flow, ParticipantDetails={"DisplayName": f"Customer {index}"},
            ChatDurationInMinutes=120, ClientToken=f"{prefix}-{index:04d}")
        return None
    except ClientError as error:
        return error.response["Error"]["Code"]
    except BotoCoreError as error:
        return type(error).__name__


if threads <= 1:
    results = [launch(index) for index in range(count)]
else:
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(launch, range(count)))
failures = [code for code in results if code]
print(f"{len(failures)} failed" + (f": {', '.join(sorted(set(failures)))}" if failures else ""))
