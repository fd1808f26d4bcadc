"""Chaos: about a minute of players and publishers coming and going the ways real ones do, at
once, against one server: publishers SIGKILLed and restarted, many short RTMP plays and
HTTP-FLV/HLS fetches that hang up mid-body, malformed RTMP/HTTP input, API reads and
DELETE /api/v1/clients/{id} kicks, and SIGHUP reloads flipping hls_fragment, queue_length and
min_latency. Passes when the server is alive, still serves a player at the end, and (under the
sanitizer build, where it runs in CI) wrote no sanitizer report."""

import json
import os
import random
import signal
import socket
import struct
import subprocess
import threading
import time
import unittest
import urllib.request

from srs_rtmp_pyclient import AUDIO, VIDEO, RtmpClient
from srs_testlib import CONF_BASE, SrsProcess, have, port_open, stop_process, wait_for

CONF = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    hls {{ enabled on; hls_fragment %(fragment)s; hls_window 6; hls_dispose 3; hls_path {dir}/html; }}
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
    play {{ queue_length %(queue)s; mw_latency %(mw)s; }}
    min_latency %(min_latency)s;
}}
"""

# The whole workload runs this long; the checks after it take a few seconds more.
DURATION = float(os.environ.get("SRS_CHAOS_SECONDS", "55"))
# Threads of short RTMP plays.
PLAYERS = int(os.environ.get("SRS_CHAOS_PLAYERS", "8"))


def conf(i):
    # Each reload flips the settings that reach running players and the HLS muxer.
    return CONF % {"fragment": (2, 1)[i % 2], "queue": (10, 2)[i % 2], "mw": (350, 100, 0)[i % 3],
                   "min_latency": ("off", "on")[(i // 2) % 2]}


def publisher(srs, stream, seconds):
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=15",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050", "-t", str(seconds),
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15",
         "-c:a", "aac", "-ar", "22050", "-ac", "1", "-b:a", "32k",
         "-f", "flv", "rtmp://127.0.0.1:%d/live/%s" % (srs.rtmp, stream)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def hang_up(sock, rst):
    """Closes a client socket, with a TCP reset when rst (a client that vanishes mid-body)."""
    try:
        if rst:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass


def http_partial(port, path, nbytes, seconds, rst):
    """GETs path and hangs up after about nbytes of the response or after seconds."""
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    end = time.time() + seconds
    try:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode())
        got = 0
        while got < nbytes and time.time() < end:
            s.settimeout(max(0.01, end - time.time()))
            try:
                b = s.recv(min(65536, nbytes - got))
            except socket.timeout:
                break
            if not b:
                break
            got += len(b)
        return got
    finally:
        hang_up(s, rst)


def api_get(port, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=3) as r:
        return json.loads(r.read())


class Chaos:
    """The workload: threads that each do one kind of thing until the deadline, counting what
    they did; failures of the clients themselves are expected (the server kicks, reloads, the
    publisher is gone) and only counted."""

    def __init__(self, srs, deadline):
        self.srs = srs
        self.deadline = deadline
        self.counts = {}
        self.lock = threading.Lock()
        self.rng = random.Random(20261207)

    def count(self, key, n=1):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n

    def running(self):
        return time.time() < self.deadline and self.srs.proc.poll() is None

    def loop(self, name, fn):
        rng = random.Random(hash(name) & 0xFFFF)
        while self.running():
            try:
                fn(rng)
                self.count(name)
            except Exception:  # noqa: BLE001 - a client failing is part of the chaos
                self.count(name + "_failed")

    def rtmp_play(self, rng):
        c = RtmpClient("127.0.0.1", self.srs.rtmp, timeout=3)
        try:
            c.handshake()
            c.connect("live")
            c.play(rng.choice(("a", "a", "b", "nobody")))
            end = time.time() + rng.uniform(0.05, 0.5)
            while time.time() < end:
                m = c.read_message()
                if m.type in (AUDIO, VIDEO):
                    self.count("rtmp_media")
                # Some players stop reading for a while: the server's sends block.
                if rng.random() < 0.01:
                    time.sleep(0.3)
        finally:
            hang_up(c.sock, rng.random() < 0.5)

    def rtmp_publish(self, rng):
        c = RtmpClient("127.0.0.1", self.srs.rtmp, timeout=3)
        try:
            c.handshake()
            c.connect("live")
            c.publish(rng.choice(("c", "d", "a")))
            # A few frames of nonsense media (not decodable: the server passes it through).
            for i in range(rng.randint(0, 30)):
                c.send_media(VIDEO, bytes([0x17 if i % 10 == 0 else 0x27, 1, 0, 0, 0]) + os.urandom(200), i * 40)
                c.send_media(AUDIO, bytes([0xAF, 1]) + os.urandom(50), i * 40)
            if rng.random() < 0.5:
                c.unpublish("c")
        finally:
            hang_up(c.sock, rng.random() < 0.5)
            # About 200 short publishes a minute, as in the reported workload.
            time.sleep(rng.uniform(0.1, 0.4))

    def flv_fetch(self, rng):
        http_partial(self.srs.http, "/live/%s.flv" % rng.choice(("a", "b", "nobody")), rng.randint(1, 100000),
                     rng.uniform(0.05, 1.0), rng.random() < 0.5)

    def hls_fetch(self, rng):
        stream = rng.choice(("a", "b"))
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/live/%s.m3u8" % (self.srs.http, stream),
                                        timeout=3) as r:
                body = r.read().decode(errors="replace")
        except OSError:
            return
        segs = [l for l in body.splitlines() if l and not l.startswith("#")]
        if segs:
            seg = rng.choice(segs)
            path = seg if seg.startswith("/") else "/live/" + seg
            http_partial(self.srs.http, path, rng.randint(1, 40000), 1.0, rng.random() < 0.5)

    def malformed(self, rng):
        kind = rng.randint(0, 5)
        port = self.srs.http if kind >= 3 else self.srs.rtmp
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        try:
            if kind == 0:
                s.sendall(os.urandom(rng.randint(1, 4000)))
            elif kind == 1:
                # A handshake, then chunks with random headers on many chunk streams.
                s.sendall(b"\x03" + os.urandom(1536))
                s.recv(3073)
                s.sendall(os.urandom(1536))
                for _ in range(rng.randint(1, 50)):
                    csid = rng.randint(2, 63)
                    s.sendall(bytes([csid]) + os.urandom(rng.randint(1, 300)))
            elif kind == 2:
                # A message header announcing 16 MiB that never comes.
                s.sendall(b"\x03" + os.urandom(1536))
                s.recv(3073)
                s.sendall(os.urandom(1536))
                s.sendall(bytes([3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 20, 0, 0, 0, 0]) + os.urandom(100))
            elif kind == 3:
                s.sendall(b"GET /live/a.flv HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n" + os.urandom(500))
            elif kind == 4:
                s.sendall(b"GET /" + os.urandom(rng.randint(1, 9000)).replace(b"\r", b"").replace(b"\n", b"")
                          + b" HTTP/1.1\r\n\r\n")
            else:
                s.sendall(b"GET /live/a.m3u8 HTTP/1.1\r\n" + b"X: " + b"y" * rng.randint(1, 70000) + b"\r\n\r\n")
            s.settimeout(0.3)
            try:
                s.recv(4096)
            except OSError:
                pass
        finally:
            hang_up(s, rng.random() < 0.5)

    def api_kick(self, rng):
        clients = api_get(self.srs.api, "/api/v1/clients/?count=200")["clients"]
        api_get(self.srs.api, "/api/v1/streams/?count=100")
        players = [c for c in clients if not c.get("publish")]
        if not players:
            time.sleep(0.05)
            return
        victim = rng.choice(players)
        req = urllib.request.Request("http://127.0.0.1:%d/api/v1/clients/%s" % (self.srs.api, victim["id"]),
                                     method="DELETE")
        with urllib.request.urlopen(req, timeout=3) as r:
            r.read()
        self.count("kicks")
        time.sleep(rng.uniform(0.1, 0.5))


class ChaosTest(unittest.TestCase):
    @unittest.skipUnless(have("ffmpeg"), "ffmpeg needed")
    def test_chaos(self):
        srs = SrsProcess(conf(0))
        self.addCleanup(srs.cleanup)
        srs.start()
        self.assertTrue(wait_for(lambda: srs.proc.poll() is not None or
                                 (port_open(srs.http) and port_open(srs.api)), 10), srs.log()[-2000:])

        start = time.time()
        chaos = Chaos(srs, start + DURATION)
        pubs = {"a": publisher(srs, "a", 3600), "b": publisher(srs, "b", 3600)}
        self.addCleanup(lambda: [stop_process(p) for p in pubs.values()])
        # A steady player for the whole run, as a viewer would be.
        steady = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i",
                                   "rtmp://127.0.0.1:%d/live/b" % srs.rtmp, "-f", "null", "-"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(stop_process, steady)

        workers = [("rtmp_play", chaos.rtmp_play)] * PLAYERS + [("flv_fetch", chaos.flv_fetch)] * 3 + [
            ("hls_fetch", chaos.hls_fetch), ("malformed", chaos.malformed), ("api_kick", chaos.api_kick),
            ("rtmp_publish", chaos.rtmp_publish)]
        threads = [threading.Thread(target=chaos.loop, args=w, daemon=True) for w in workers]
        for t in threads:
            t.start()

        # The main thread: a publisher killed and restarted, and a reload, every few seconds.
        reloads = kills = 0
        next_kill, next_reload = start + 6, start + 4
        while chaos.running():
            now = time.time()
            if now >= next_kill:
                victim = "a" if kills % 2 == 0 else "b"
                pubs[victim].send_signal(signal.SIGKILL)
                pubs[victim].wait()
                pubs[victim] = publisher(srs, victim, 3600)
                kills += 1
                next_kill = now + 8
            if now >= next_reload:
                reloads += 1
                srs.write_config(conf(reloads))
                srs.signal(signal.SIGHUP)
                next_reload = now + 5
            time.sleep(0.1)
        for t in threads:
            t.join(10)

        counts = dict(chaos.counts, reloads=reloads, publisher_kills=kills)
        print("chaos: %s" % json.dumps(counts, sort_keys=True))
        self.assertIsNone(srs.proc.poll(), "server died: %s" % srs.log()[-6000:])
        srs.assert_no_sanitizer_report()
        # The workload really happened: plays got media, kicks and reloads were done.
        self.assertGreater(counts.get("rtmp_play", 0) + counts.get("rtmp_play_failed", 0), 100, counts)
        self.assertGreater(counts.get("rtmp_media", 0), 100, counts)
        self.assertGreater(counts.get("kicks", 0), 10, counts)
        self.assertGreater(counts.get("malformed", 0), 50, counts)
        self.assertGreaterEqual(reloads, 8, counts)

        # Still serving: a new player gets media from a live stream.
        def plays():
            c = RtmpClient("127.0.0.1", srs.rtmp, timeout=5)
            try:
                c.handshake()
                c.connect("live")
                c.play("b")
                for _ in range(200):
                    if c.read_message().type in (AUDIO, VIDEO):
                        return True
            except Exception:  # noqa: BLE001
                return False
            finally:
                c.close()
            return False
        self.assertTrue(wait_for(plays, 15, 0.5), srs.log()[-3000:])
        stop_process(steady)
        srs.stop()
        srs.assert_no_sanitizer_report()


if __name__ == "__main__":
    unittest.main()
