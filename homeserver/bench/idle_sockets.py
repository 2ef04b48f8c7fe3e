#!/usr/bin/env python3
"""Opens many idle TCP connections to a running Myelin and reports what happens to them, to the server's file
descriptors, and to other clients meanwhile. Usage: idle_sockets.py PORT SERVER_PID [COUNT]. The sockets are held
by child processes of at most 9,000 each, so no process needs a descriptor limit above the usual 10,000+."""
import http.client
import os
import socket
import subprocess
import sys
import time

PER_CHILD = 9000


def hold(port, count, seconds):
    """Child: opens `count` connections, holds them, reports how many the server had closed at 2 s and at the end."""
    sockets, failed = [], 0
    for _ in range(count):
        s = socket.socket()
        try:
            s.connect(("127.0.0.1", port))
            sockets.append(s)
        except OSError:
            failed += 1
            s.close()
    print(f"opened {len(sockets)} failed {failed}", flush=True)
    time.sleep(2)
    print(f"open-after-2s {still_open(sockets)}", flush=True)
    time.sleep(seconds - 2)
    print(f"open-at-end {still_open(sockets)}", flush=True)


def still_open(sockets):
    alive = 0
    for s in sockets:
        s.setblocking(False)
        try:
            s.recv(1, socket.MSG_PEEK)
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    return alive


def server_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def versions(conn):
    started = time.monotonic()
    try:
        conn.request("GET", "/_matrix/client/versions")
        response = conn.getresponse()
        response.read()
        return f"{response.status} in {(time.monotonic() - started) * 1000:.0f} ms"
    except OSError as e:
        return type(e).__name__


def main(port, pid, count):
    keep_alive = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    print(f"before: server fds {server_fds(pid)}, keep-alive client {versions(keep_alive)}")
    children = [subprocess.Popen([sys.executable, __file__, "hold", str(port), str(min(PER_CHILD, count - i)), "14"],
                                 stdout=subprocess.PIPE, text=True) for i in range(0, count, PER_CHILD)]
    opened = [c.stdout.readline().split() for c in children]
    print(f"opened {sum(int(o[1]) for o in opened)} idle connections, {sum(int(o[3]) for o in opened)} failed")
    time.sleep(1)
    new_client = versions(http.client.HTTPConnection("127.0.0.1", port, timeout=5))
    print(f"held: server fds {server_fds(pid)}, keep-alive client {versions(keep_alive)}, new client {new_client}")
    print(f"still open after 2 s: {sum(int(c.stdout.readline().split()[1]) for c in children)}")
    time.sleep(10)
    new_client = versions(http.client.HTTPConnection("127.0.0.1", port, timeout=5))
    print(f"after 12 s: server fds {server_fds(pid)}, new client {new_client}")
    print(f"still open after 14 s: {sum(int(c.stdout.readline().split()[1]) for c in children)}")
    for c in children:
        c.wait()
    time.sleep(3)
    print(f"after the clients exit: server fds {server_fds(pid)}")


if __name__ == "__main__":
    if sys.argv[1] == "hold":
        hold(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    else:
        main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 20000)
