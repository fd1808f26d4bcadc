"""Forward with three real srs processes on loopback: A forwards live/s to B and C. ffmpeg
publishes a known FLV to A; a player on B gets the very packets of the file (framemd5 hashes
of B's packets found in order in the file's); C is down at first and started ~3 s later: it
gets the stream within the retry backoff; D never answers (handshake timeouts); a player on A
keeps receiving at full rate all along.
A backend (a tiny HTTP server) names the destination of another vhost's streams (SRS 5 dynamic
forward); the forwarders show in /api/v1/forwards; a reload applies at the next publish; a loop
A -> B -> A (SRS 1/2 `forward host:port;`) stays bounded. Runtime about 40 s."""

import http.server
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import unittest
import urllib.request

import srs_testlib
from srs_testlib import CONF_BASE, SrsProcess, assert_realtime, ffmpeg_publish_small, have, run, stop_process, wait_for

PLAIN = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
vhost __defaultVhost__ {{ }}
"""

ORIGIN = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
vhost __defaultVhost__ {{
    forward {{ enabled on; destination %(dests)s; }}
}}
vhost dyn {{
    forward {{ enabled on; backend http://127.0.0.1:%(backend)d/api/v1/forward; }}
}}
"""

SAMPLE_SECONDS = 14


def make_sample(path):
    """An FLV of H.264 (a keyframe every second) and AAC, like an encoder's output."""
    r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
             "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
             "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(SAMPLE_SECONDS),
             "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "0",
             "-c:a", "aac", "-ar", "44100", "-ac", "2", "-b:a", "64k", "-f", "flv", path], timeout=60)
    if r.returncode != 0:
        raise AssertionError("sample: " + r.stderr)


def framemd5_lines(text):
    """[(stream_index, size, hash)] of framemd5 output."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 6:
            out.append((int(parts[0]), int(parts[4]), parts[5]))
    return out


def file_hashes(path):
    r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-c", "copy", "-f", "framemd5", "-"],
            timeout=60)
    return framemd5_lines(r.stdout)


class Player:
    """ffmpeg plays an RTMP URL and prints the framemd5 of each packet as it arrives; the lines
    are kept with their arrival times."""

    def __init__(self, url):
        self.lines = []
        self.proc = subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", url, "-c", "copy", "-flush_packets", "1",
             "-f", "framemd5", "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            if line.startswith("#"):
                continue
            got = framemd5_lines(line)
            if got:
                self.lines.append((time.time(), got[0]))

    def packets(self):
        return [p for _, p in self.lines]

    def arrivals(self):
        """(arrival, packet index) of each packet: a packet stands for 1/rate s of media."""
        return [(t, i) for i, (t, _) in enumerate(self.lines)]

    def max_gap(self, start, end):
        """The longest time without a packet between start and end (wall clock)."""
        times = [start] + [t for t, _ in self.lines if start <= t <= end] + [end]
        return max(b - a for a, b in zip(times, times[1:]))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.thread.join(timeout=5)
        self.proc.stdout.close()


def match_in_order(got, source):
    """How many of got's packets (after its first video packet, as a player joins at a keyframe)
    are found in source's, each after the previous one found (per stream kind by hash)."""
    by_hash = {}
    for i, (_, size, h) in enumerate(source):
        by_hash.setdefault((size, h), []).append(i)
    # The player's stream indexes may differ from the file's: compare hashes only.
    start = 0
    while start < len(got) and got[start][1] < 200:
        # Skip leading audio: a player's first packets are the GOP's audio before its keyframe.
        start += 1
    got = got[start:]
    found = 0
    last = -1
    for _, size, h in got:
        idx = [i for i in by_hash.get((size, h), []) if i > last - 50]
        if idx:
            found += 1
            last = max(last, idx[0])
    return found, len(got)


class BackendServer:
    """Answers each forward backend call with the destination of the stream, keeps the bodies."""

    def __init__(self, dest_port):
        self.bodies = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(n) or b"{}")
                outer.bodies.append(body)
                urls = ["rtmp://127.0.0.1:%d/%s/%s_dyn" % (dest_port, body.get("app"), body.get("stream"))]
                out = json.dumps({"code": 0, "data": {"urls": urls}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def api(srs, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (srs.api, path), timeout=5) as r:
        return json.loads(r.read())


@unittest.skipUnless(have("ffmpeg"), "ffmpeg not installed")
class ForwardTest(unittest.TestCase):
    def setUp(self):
        self.procs = []
        self.players = []
        self.pubs = []
        self.backend = None

    def tearDown(self):
        for p in self.pubs:
            stop_process(p)
        for p in self.players:
            p.stop()
        for s in self.procs:
            s.cleanup()
        if self.backend:
            self.backend.close()

    def srs(self, body, name):
        s = SrsProcess(body, name=name)
        self.procs.append(s)
        return s

    def test_forward_to_b_and_late_c_and_backend(self):
        b = self.srs(PLAIN, "b").start()
        c = self.srs(PLAIN, "c")
        self.backend = BackendServer(b.rtmp)
        # D: a black hole that takes connections (in the kernel backlog) and never answers.
        hole = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        hole.bind(("127.0.0.1", 0))
        hole.listen(16)
        self.addCleanup(hole.close)
        d_port = hole.getsockname()[1]
        a = self.srs(ORIGIN % {"dests": "127.0.0.1:%d 127.0.0.1:%d 127.0.0.1:%d" % (b.rtmp, c.rtmp, d_port),
                               "backend": self.backend.port}, "a").start()
        sample = os.path.join(a.dir, "sample.flv")
        make_sample(sample)
        source = file_hashes(sample)
        self.assertGreater(len(source), SAMPLE_SECONDS * 60)

        pub = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-i", sample, "-c", "copy",
                                "-f", "flv", "rtmp://127.0.0.1:%d/live/s" % a.rtmp],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.pubs.append(pub)
        # The dynamic vhost: the backend says where (B, stream s_dyn).
        dyn = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-i", sample, "-t", "8",
                                "-c", "copy", "-f", "flv", "rtmp://127.0.0.1:%d/live/d?vhost=dyn" % a.rtmp],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.pubs.append(dyn)
        t0 = time.time()
        self.assertTrue(wait_for(lambda: "forwarder" in a.log() and "publishing" in a.log(), 5), a.log()[-3000:])
        a.wait_publishing("s", proc=pub)
        b.wait_publishing("s")
        pa = Player("rtmp://127.0.0.1:%d/live/s" % a.rtmp)
        pb = Player("rtmp://127.0.0.1:%d/live/s" % b.rtmp)
        self.players += [pa, pb]

        # C comes up 3 s after the publish: A's retries find it within the backoff (1, 2, 4 s).
        time.sleep(max(0, 3 - (time.time() - t0)))
        self.assertIn("127.0.0.1:%d" % c.rtmp, a.log())
        c.start()
        c_up = time.time()
        self.assertTrue(wait_for(lambda: re.search(r"publish \S*/live/s started", c.log()), 8), c.log()[-3000:])
        c_got = time.time()
        pc = Player("rtmp://127.0.0.1:%d/live/s" % c.rtmp)
        self.players.append(pc)

        # The dynamic forward reached B as live/d_dyn.
        pd = Player("rtmp://127.0.0.1:%d/live/d_dyn" % b.rtmp)
        self.players.append(pd)
        self.assertTrue(wait_for(lambda: len(pd.lines) > 20, 8), a.log()[-3000:])
        self.assertEqual(1, len(self.backend.bodies))
        body = self.backend.bodies[0]
        self.assertEqual("on_forward", body["action"])
        self.assertEqual(("dyn", "live", "d"), (body["vhost"], body["app"], body["stream"]))

        forwards = api(a, "/api/v1/forwards")
        self.assertEqual(0, forwards["code"])
        urls = sorted(f["url"] for f in forwards["forwards"])
        self.assertIn("rtmp://127.0.0.1:%d/live/s" % b.rtmp, urls)
        self.assertIn("rtmp://127.0.0.1:%d/live/s" % c.rtmp, urls)

        pub.wait(timeout=SAMPLE_SECONDS + 10)
        t_end = time.time()
        time.sleep(1)
        for p in self.players:
            p.stop()
        print("\nforward: C up %.1f s after publish, received after %.1f s" % (c_up - t0, c_got - c_up))

        # The file's packets per second of media.
        rate = len(source) / float(SAMPLE_SECONDS)
        for name, player in (("A", pa), ("B", pb), ("C", pc)):
            found, total = match_in_order(player.packets(), source)
            print("forward: player on %s got %d packets, %d in order in the source" % (name, total, found))
            self.assertTrue(player.lines, name)
            self.assertGreaterEqual(found, 0.9 * total, name)
            # Each player plays in real time from 1 s after its join (its GOP-cache burst) to the
            # end of the publish, without a wait a viewer would see: C too, once it is up, and
            # A all along while C was down and came up. A packet counts for 1/rate s of media.
            samples = [(t, i * 1000.0 / rate) for t, i in player.arrivals()]
            media, gap = assert_realtime(self, samples, player.lines[0][0] + 1.0, t_end - 0.5, "player on " + name)
            print("forward: player on %s: %.1f s of media in the window, longest gap %.2f s" % (name, media, gap))
        # B joined ~1 s after the publish: it has nearly the whole file.
        self.assertGreater(len(pb.packets()), 0.6 * len(source))
        self.assertLess(c_got - c_up, 5)
        log = a.log()
        self.assertRegex(log, r"-> rtmp://127.0.0.1:%d/live/s: attempt 1 failed, retry in 1000 ms" % c.rtmp)
        # D timed out (handshake) and was retried, without slowing anyone.
        self.assertRegex(log, r"-> rtmp://127.0.0.1:%d/live/s: attempt 1 failed, retry in 1000 ms: handshake" % d_port)

    def test_reload_applies_at_next_publish(self):
        b = self.srs(PLAIN, "b").start()
        c = self.srs(PLAIN, "c").start()
        body = ORIGIN % {"dests": "127.0.0.1:%d" % b.rtmp, "backend": 1}
        a = self.srs(body, "a").start()
        started = r"publish \S*/live/r started"
        pub = ffmpeg_publish_small("rtmp://127.0.0.1:%d/live/r" % a.rtmp, 4)
        self.pubs.append(pub)
        self.assertTrue(wait_for(lambda: re.search(started, b.log()), 8), a.log()[-3000:])

        # Forward to C instead: the running publish keeps its forwarders, the next one uses C.
        a.write_config(ORIGIN % {"dests": "127.0.0.1:%d" % c.rtmp, "backend": 1})
        a.signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: "forward(next publish)" in a.log(), 5), a.log()[-3000:])
        pub.wait(timeout=15)
        self.assertTrue(wait_for(lambda: re.search(r"forward \S*/live/r -> \S+: stopped", a.log()), 5))
        self.assertFalse(re.search(started, c.log()))

        pub2 = ffmpeg_publish_small("rtmp://127.0.0.1:%d/live/r" % a.rtmp, 3)
        self.pubs.append(pub2)
        self.assertTrue(wait_for(lambda: re.search(started, c.log()), 8), a.log()[-3000:])
        pub2.wait(timeout=15)
        self.assertEqual(1, len(re.findall(started, b.log())))

    def test_loop_a_b_a_is_bounded(self):
        # SRS 1/2 form `forward host:port;`, and a loop: A -> B -> A. B's forward back to A is
        # refused (the stream is busy there) and retried with backoff; both end with the publish.
        legacy = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
vhost __defaultVhost__ {{ forward %s; }}
"""
        a = self.srs(legacy % "127.0.0.1:1", "a")
        b = self.srs(legacy % ("127.0.0.1:%d" % a.rtmp), "b").start()
        a.write_config(legacy % ("127.0.0.1:%d" % b.rtmp))
        a.start()
        pub = ffmpeg_publish_small("rtmp://127.0.0.1:%d/live/loop" % a.rtmp, 5)
        self.pubs.append(pub)
        pb = Player("rtmp://127.0.0.1:%d/live/loop" % b.rtmp)
        self.players.append(pb)
        self.assertTrue(wait_for(lambda: len(api(b, "/api/v1/forwards")["forwards"]) == 1, 8))
        pub.wait(timeout=15)
        self.assertTrue(wait_for(lambda: not api(a, "/api/v1/forwards")["forwards"]
                                 and not api(b, "/api/v1/forwards")["forwards"], 5))
        self.assertGreater(len(pb.lines), 50)
        attempts = re.findall(r"attempt \d+ failed", b.log())
        self.assertTrue(1 <= len(attempts) <= 5, attempts)
        self.assertIn("ERROR_SYSTEM_STREAM_BUSY", a.log())


if __name__ == "__main__":
    srs_testlib.main()
