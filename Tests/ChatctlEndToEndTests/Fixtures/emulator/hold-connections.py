"""Holds COUNT idle connections to an emulator, closes them, then prints the status of
GET /_emulator/stats once the emulator answers again (at most 10 s of tries).

Usage: hold-connections.py ENDPOINT COUNT [PID LIMIT]

With PID and LIMIT, the emulator's open-file limit is first lowered to LIMIT (both soft
and hard) under it, and the connections are held until its table of files is full: the
first line printed is then `files N`, the descriptors it had open at that moment.
"""
import os
import resource
import socket
import sys
import time
import urllib.request

endpoint, count = sys.argv[1], int(sys.argv[2])
pid, limit = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (None, None)
host, port = endpoint.removeprefix("http://").split(":")

if pid is not None:
    resource.prlimit(pid, resource.RLIMIT_NOFILE, (limit, limit))
held = [socket.create_connection((host, int(port)), timeout=5) for _ in range(count)]
if pid is not None:
    for _ in range(100):
        if len(os.listdir(f"/proc/{pid}/fd")) >= limit:
            break
        time.sleep(0.05)
    print("files", len(os.listdir(f"/proc/{pid}/fd")))
    time.sleep(0.3)
else:
    time.sleep(0.5)
for s in held:
    s.close()
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
for attempt in range(100):
    try:
        print(opener.open(endpoint + "/_emulator/stats", timeout=5).status)
        break
    except OSError:
        time.sleep(0.1)
