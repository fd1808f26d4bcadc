"""Smoke test of the load tool srs_bench against the real server: ffmpeg publishes a short
generated stream, srs_bench runs 20 RTMP players and 3 HTTP-FLV players for 5 s, and every
player must have received media. This checks the tool, not the speed (scripts/bench measures
that)."""

import json
import os
import subprocess
import unittest
import urllib.request

import srs_testlib
from srs_testlib import ROOT, SrsProcess, have, wait_for

CONFIG = """
listen {rtmp};
max_connections 1000;
daemon off;
srs_log_tank file;
srs_log_file {dir}/srs.log;
srs_log_level warn;
pid {dir}/srs.pid;
http_api {{ enabled on; listen {api}; }}
http_server {{ enabled on; listen {http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
}}
"""


def bench_binary():
    d = os.environ.get("SRS_BUILD_DIR") or os.path.join(ROOT, "build")
    path = os.path.join(d, "srs_bench")
    if not os.path.exists(path):
        raise unittest.SkipTest("srs_bench not built: %s" % path)
    return path


def final_report(stdout):
    """The final JSON line srs_bench prints last."""
    for line in reversed(stdout.splitlines()):
        if line.startswith('{"srs_bench":"final"'):
            return json.loads(line)
    raise AssertionError("no final report in:\n%s" % stdout)


class BenchOptionsTest(unittest.TestCase):
    def test_help(self):
        r = subprocess.run([bench_binary(), "-h"], capture_output=True, text=True, timeout=10)
        self.assertEqual(0, r.returncode)
        self.assertIn("rtmp-play", r.stdout)

    def test_refuses_non_loopback_targets(self):
        for url in ("rtmp://192.0.2.1/live/a", "rtmp://example.com/live/a"):
            r = subprocess.run([bench_binary(), "-t", "rtmp-play", "-u", url, "-c", "1", "-d", "1"],
                               capture_output=True, text=True, timeout=10)
            self.assertEqual(2, r.returncode, r.stderr)
            self.assertIn("loopback", r.stderr)

    def test_refuses_unbounded_counts(self):
        r = subprocess.run([bench_binary(), "-t", "rtmp-play", "-u", "rtmp://127.0.0.1/live/a", "-c", "1000000"],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(2, r.returncode)


class BenchSmokeTest(unittest.TestCase):
    def setUp(self):
        self.bench = bench_binary()
        if not have("ffmpeg"):
            raise unittest.SkipTest("ffmpeg not installed")
        self.srs = SrsProcess(CONFIG)
        self.srs.start()
        self.ffmpeg = None

    def tearDown(self):
        if self.ffmpeg:
            if self.ffmpeg.poll() is None:
                self.ffmpeg.kill()
                self.ffmpeg.wait()
            self.ffmpeg.stderr.close()
        self.srs.cleanup()

    def publish(self, seconds):
        url = "rtmp://127.0.0.1:%d/live/livestream" % self.srs.rtmp
        # 25 fps with a keyframe a second, so players start within a second.
        cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
               "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
               "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
               "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-b:v", "300k",
               "-c:a", "aac", "-b:a", "32k", "-rw_timeout", "5000000", "-f", "flv", url]
        self.ffmpeg = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def publishing(self):
        url = "http://127.0.0.1:%d/api/v1/streams/" % self.srs.api
        with urllib.request.urlopen(url, timeout=3) as r:
            streams = json.loads(r.read())["streams"]
        return any(s["name"] == "livestream" and s["publish"]["active"] for s in streams)

    def require_publish(self):
        """Waits until the API lists the stream as published (the log is at warn here, and the
        HTTP-FLV mount answers before a publish): a refused or dropped publish fails."""
        up = wait_for(lambda: self.publishing() or self.ffmpeg.poll() is not None, timeout=15)
        if self.ffmpeg.poll() is not None or not up:
            self.fail("the publish did not come up (ffmpeg exit %s: %s):\n%s"
                      % (self.ffmpeg.poll(), self.ffmpeg.stderr.read().decode(errors="replace")[-500:]
                         if self.ffmpeg.poll() is not None else "", self.srs.log()[-2000:]))

    def serves_flv(self):
        url = "http://127.0.0.1:%d/live/livestream.flv" % self.srs.http
        try:
            with urllib.request.urlopen(url, timeout=3) as r:
                return r.status == 200 and r.read(3) == b"FLV"
        except Exception:
            return False

    def run_bench(self, kind, url, clients, seconds):
        return subprocess.Popen([self.bench, "-t", kind, "-u", url, "-c", str(clients), "-r", "0",
                                 "-d", str(seconds), "-n", "1", "--timeout", "5"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def check(self, proc, clients):
        out, _ = proc.communicate(timeout=60)
        rep = final_report(out)
        self.assertEqual(clients, rep["clients"], out)
        self.assertEqual(clients, rep["connected"], out)
        self.assertEqual(clients, rep["alive"], out)
        self.assertEqual(0, rep["failed"], out)
        self.assertEqual(0, rep["no_media"], out)
        # Every player had a steady window with media in it.
        self.assertEqual(clients, rep["kbps_clients"], out)
        self.assertGreater(rep["kbps_min"], 0, out)
        self.assertGreater(rep["lag_samples"], 0, out)
        self.assertEqual(0, proc.returncode, out)
        return rep

    def test_players_receive_media(self):
        self.publish(30)
        self.require_publish()
        rtmp = "rtmp://127.0.0.1:%d/live/livestream" % self.srs.rtmp
        players = [(self.run_bench("rtmp-play", rtmp, 20, 5), 20)]
        # The config serves HTTP-FLV: the flv-play half always runs.
        flv = "http://127.0.0.1:%d/live/livestream.flv" % self.srs.http
        players.append((self.run_bench("flv-play", flv, 3, 5), 3))
        for proc, n in players:
            self.check(proc, n)
        self.assertIsNone(self.ffmpeg.poll(), "the publisher ended early")


if __name__ == "__main__":
    srs_testlib.main()
