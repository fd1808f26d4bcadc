"""DVR with the real binary: ffmpeg publishes H.264 + AAC over RTMP and the recorded FLV files are
checked with ffprobe (codecs, duration from the patched onMetaData), named from dvr_path, with no
temporary file left; the segment plan cuts every dvr_duration, the session plan makes one file,
a SIGKILLed publisher's file is finished, on_dvr names each file, and an unwritable dvr_path
stops the recording only while the stream still plays."""

import glob
import http.server
import json
import os
import re
import signal
import threading
import time
import unittest

from srs_testlib import CONF_BASE, publish_av, SrsProcess, have, run, wait_for

CONF = CONF_BASE + """
vhost __defaultVhost__ {{
    dvr {{
        enabled on;
        dvr_plan %(plan)s;
        dvr_duration 4;
        dvr_wait_keyframe on;
        dvr_path %(path)s;
    }}
    http_hooks {{
        enabled on;
        on_dvr http://127.0.0.1:%(hook)d/api/v1/dvrs;
    }}
}}
"""


def probe(path):
    """(codec names, format duration) of a file by ffprobe, and its error output."""
    r = run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name:format=duration", "-of", "json", path],
            timeout=20)
    try:
        j = json.loads(r.stdout)
    except ValueError:
        return [], -1, r.stderr
    codecs = sorted(s.get("codec_name", "") for s in j.get("streams", []))
    return codecs, float(j.get("format", {}).get("duration", -1)), r.stderr


def decode_errors(path):
    """ffmpeg decodes the whole file; its error output (empty when clean)."""
    r = run(["ffmpeg", "-hide_banner", "-v", "error", "-i", path, "-f", "null", "-"], timeout=30)
    return r.stderr.strip() + ("" if r.returncode == 0 else " (exit %d)" % r.returncode)


class HookServer:
    """Answers 0 to every POST and keeps the JSON bodies."""

    def __init__(self):
        self.bodies = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(n))
                with outer.lock:
                    outer.bodies.append((self.path, body))
                self.send_response(200)
                self.send_header("Content-Length", "1")
                self.end_headers()
                self.wfile.write(b"0")

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def files(self):
        with self.lock:
            return [b.get("file") for p, b in self.bodies if b.get("action") == "on_dvr"]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@unittest.skipUnless(have("ffmpeg") and have("ffprobe"), "ffmpeg/ffprobe not installed")
class DvrTestCase(unittest.TestCase):
    def setUp(self):
        self.hooks = HookServer()
        self.pubs = []
        self.srs = None

    def tearDown(self):
        for p in self.pubs:
            if p.poll() is None:
                p.kill()
            p.wait()
            p.stderr.close()
        if self.srs:
            self.srs.cleanup()
        self.hooks.close()

    def start(self, plan, path="{dir}/dvr/[app]/[stream].[timestamp].flv"):
        self.srs = SrsProcess(CONF % {"plan": plan, "path": path, "hook": self.hooks.port})
        self.srs.start()
        return self.srs

    def publish(self, stream, seconds):
        p = publish_av(self.srs, stream, seconds)
        self.pubs.append(p)
        return p

    def files(self, stream, ext="flv"):
        return sorted(glob.glob(os.path.join(self.srs.dir, "dvr", "live", "%s.*.%s" % (stream, ext))))

    def wait_publisher(self, p, timeout):
        p.wait(timeout=timeout)
        if p.returncode != 0:
            self.fail("publisher failed: %s\n%s" % (p.stderr.read().decode(errors="replace"), self.srs.log()[-2000:]))

    def check_file(self, path, duration, tolerance):
        codecs, d, err = probe(path)
        self.assertEqual(["aac", "h264"], codecs, "%s: %s" % (path, err))
        self.assertEqual("", err.strip(), path)
        self.assertAlmostEqual(duration, d, delta=tolerance, msg=path)
        self.assertEqual("", decode_errors(path), path)
        # [stream].[timestamp].flv: the timestamp is the wall clock in ms.
        m = re.match(r".*/live/[a-z]+\.(\d+)\.flv$", path)
        self.assertTrue(m, path)
        self.assertLess(abs(int(m.group(1)) / 1000.0 - time.time()), 120, path)

    def test_segment_plan_and_on_dvr(self):
        self.start("segment")
        p = self.publish("seg", 11)
        self.wait_publisher(p, 30)
        self.assertTrue(wait_for(lambda: not glob.glob(os.path.join(self.srs.dir, "dvr", "live", "*.tmp"))
                                 and len(self.hooks.files()) >= 2, 10), self.srs.log()[-2000:])
        files = self.files("seg")
        self.assertGreaterEqual(len(files), 2, files)
        for f in files:
            self.check_file(f, 4, 2)
        self.assertEqual([], glob.glob(os.path.join(self.srs.dir, "dvr", "live", "*.tmp")))
        # on_dvr names every file, as dvr_path made it.
        self.assertTrue(wait_for(lambda: len(self.hooks.files()) == len(files), 5))
        self.assertEqual(files, sorted(self.hooks.files()))
        with self.hooks.lock:
            dvr_bodies = [b for _, b in self.hooks.bodies if b.get("action") == "on_dvr"]
        # Every file, the last one finished at the unpublish included, names the publisher.
        for b in dvr_bodies:
            self.assertTrue(b.get("client_id"), b)
            self.assertEqual("127.0.0.1", b.get("ip"), b)
        body = dvr_bodies[0]
        self.assertEqual("live", body["app"])
        self.assertEqual("seg", body["stream"])
        self.assertEqual(self.srs.dir, os.path.realpath(body["cwd"]))
        self.assertIn("file", body)
        capture = os.environ.get("SRS_HOOKS_CAPTURE")
        if capture:
            with open(capture, "a") as f:
                f.write(json.dumps(body) + "\n")

    def test_session_plan_and_sigkill(self):
        self.start("session")
        done = self.publish("sess", 6)
        killed = self.publish("kill", 60)
        self.assertTrue(wait_for(lambda: glob.glob(os.path.join(self.srs.dir, "dvr", "live", "kill.*.tmp")), 10),
                        self.srs.log()[-2000:])
        time.sleep(4)
        killed.send_signal(signal.SIGKILL)
        self.wait_publisher(done, 30)
        # The server sees both publishers go and finishes both files.
        self.assertTrue(wait_for(lambda: len(self.files("sess")) == 1 and len(self.files("kill")) == 1 and
                                 not glob.glob(os.path.join(self.srs.dir, "dvr", "live", "*.tmp")), 10),
                        os.listdir(os.path.join(self.srs.dir, "dvr", "live")))
        self.check_file(self.files("sess")[0], 6, 1)
        codecs, d, err = probe(self.files("kill")[0])
        self.assertEqual(["aac", "h264"], codecs, err)
        self.assertGreater(d, 2)
        self.assertEqual("", decode_errors(self.files("kill")[0]))
        self.assertTrue(wait_for(lambda: len(self.hooks.files()) == 2, 5))

    def test_unwritable_path_keeps_stream(self):
        # dvr_path under a regular file: no folder can be made there.
        srs = SrsProcess(CONF % {"plan": "session", "path": "{dir}/plain/[app]/[stream].flv",
                                 "hook": self.hooks.port})
        self.srs = srs
        with open(os.path.join(srs.dir, "plain"), "w") as f:
            f.write("x")
        srs.start()
        self.publish("u", 8)
        time.sleep(1.5)
        r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "rtmp://127.0.0.1:%d/live/u" % srs.rtmp,
                 "-t", "3", "-c", "copy", "-f", "null", "-", "-progress", "pipe:1", "-nostats"], timeout=20)
        times = [int(v) for v in re.findall(r"out_time_us=(\d+)", r.stdout)]
        self.assertGreaterEqual(max(times) / 1e6 if times else 0, 2.0, r.stderr)
        log = srs.log()
        self.assertIn("recording stopped for this stream", log)
        self.assertIn("Not a directory", log)
        self.assertEqual([], self.hooks.files())


if __name__ == "__main__":
    unittest.main()
