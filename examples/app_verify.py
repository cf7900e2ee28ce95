#!/usr/bin/env python3
"""An application verifying 2FA codes through one long-lived `twofa verify --batch`.

Starting `twofa verify` for every login costs a process start and a database open; the
co-process pays them once. Each request is one line of JSON on its stdin, each answer one
line of JSON on its stdout, in order, and every answer is committed before twofa writes it.

The database and key come from the environment as for any twofa command (TWOFA_DB,
TWOFA_KEY_FILE); $TWOFA names the binary (default: twofa on PATH).

Try it: lines of "EMAIL CODE" on stdin, one verdict a line on stdout.
"""

import json
import os
import subprocess
import sys
import threading


class TwofaVerifier:
    """One `twofa verify --batch` process, shared by the application's threads."""

    def __init__(self, twofa="twofa"):
        self._proc = subprocess.Popen(
            [twofa, "verify", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,  # line-buffered: each request goes out at once
        )
        self._lock = threading.Lock()  # one request in flight per process, answers in order

    def verify(self, email, code):
        """The `verify` answer: {"email", "accepted", "method", "reason", ...}, or
        {"email", "accepted": false, "error", "exit_code"} for a request that could not be
        decided (not a code, no such account)."""
        with self._lock:
            self._proc.stdin.write(json.dumps({"email": email, "code": code}) + "\n")
            self._proc.stdin.flush()
            line = self._proc.stdout.readline()
        if not line:
            # twofa ended: exit 6 is a database or key problem (its stderr says which).
            raise RuntimeError(f"twofa verify --batch ended with exit {self._proc.wait()}")
        return json.loads(line)

    def close(self):
        """Ends the co-process (end of its stdin); returns its exit code."""
        self._proc.stdin.close()
        return self._proc.wait()


def main():
    verifier = TwofaVerifier(os.environ.get("TWOFA", "twofa"))
    for line in sys.stdin:
        email, _, code = line.strip().partition(" ")
        if not email:
            continue
        answer = verifier.verify(email, code)
        if "error" in answer:
            print(f"{email}: error (exit {answer['exit_code']})", flush=True)
        elif answer["accepted"]:
            print(f"{email}: accepted", flush=True)
        else:
            print(f"{email}: rejected ({answer['reason']})", flush=True)
    sys.exit(verifier.close())


if __name__ == "__main__":
    main()
