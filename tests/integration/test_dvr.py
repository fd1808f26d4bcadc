"""DVR with the real binary: ffmpeg publishes H.264 + AAC over RTMP and the recorded FLV files are
checked with ffprobe (codecs, duration from the patched onMetaData), named from dvr_path, with no
temporary file left; the segment plan cuts every dvr_duration, the session plan makes one file,
a SIGKILLed publisher's file is finished, on_dvr names each file, and an unwritable dvr_path
stops the recording only while the stream still plays. MP4 (session plan, B-frames): ffprobe and
a full decode are clean. The FLV onMetaData keyframe index points at keyframe tags. The append
plan puts two publishes in one FLV with monotonic timestamps. /api/v1/dvrs starts and stops a
recording (curl)."""

import glob
import http.server
import json
import os
import re
import signal
import struct
import subprocess
import threading
import time
import unittest

import srs_testlib
from srs_testlib import CONF_BASE, publish_av, SrsProcess, have, run, stop_process, wait_for

CONF = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
vhost __defaultVhost__ {{
    dvr {{
        enabled on;
        dvr_apply %(apply)s;
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


def flv_tags(data):
    """[(offset, type, timestamp, body)] of the tags of an FLV file (FLV spec E.3)."""
    tags = []
    pos = 13
    while pos + 11 <= len(data):
        kind = data[pos] & 0x1f
        size = int.from_bytes(data[pos + 1:pos + 4], "big")
        ts = int.from_bytes(data[pos + 4:pos + 7], "big") | (data[pos + 7] << 24)
        tags.append((pos, kind, ts, data[pos + 11:pos + 11 + size]))
        pos += 11 + size + 4
    return tags


def amf0_values(buf):
    """The AMF0 values of a script tag body (AMF0 spec 2): numbers, booleans, strings, null,
    objects, ECMA and strict arrays."""
    pos = 0

    def value():
        nonlocal pos
        marker = buf[pos]
        pos += 1
        if marker == 0x00:
            pos += 8
            return struct.unpack(">d", buf[pos - 8:pos])[0]
        if marker == 0x01:
            pos += 1
            return buf[pos - 1] != 0
        if marker == 0x02:
            return string()
        if marker in (0x05, 0x06):
            return None
        if marker in (0x03, 0x08):
            if marker == 0x08:
                pos += 4
            obj = {}
            while buf[pos:pos + 3] != b"\x00\x00\x09":
                k = string()
                obj[k] = value()
            pos += 3
            return obj
        if marker == 0x0A:
            n = struct.unpack(">I", buf[pos:pos + 4])[0]
            pos += 4
            return [value() for _ in range(n)]
        raise ValueError("AMF0 marker %d" % marker)

    def string():
        nonlocal pos
        n = struct.unpack(">H", buf[pos:pos + 2])[0]
        pos += 2 + n
        return buf[pos - n:pos].decode()

    return value(), value()


def publish_bframes(srs, stream, seconds):
    """publish_av with B-frames (composition offsets, MP4 ctts)."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds),
         "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "50",
         "-c:a", "aac", "-ar", "44100", "-ac", "2", "-b:a", "64k",
         "-f", "flv", "rtmp://127.0.0.1:%d/live/%s" % (srs.rtmp, stream)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def packet_times(path):
    """{stream index: [dts_time...]} from ffprobe -show_packets."""
    r = run(["ffprobe", "-v", "error", "-show_entries", "packet=stream_index,dts_time", "-of", "csv=p=0", path],
            timeout=30)
    out = {}
    for line in r.stdout.split():
        idx, dts = line.split(",")[:2]
        if dts != "N/A":
            out.setdefault(int(idx), []).append(float(dts))
    return out


def curl_json(args):
    r = run(["curl", "-s", "-m", "5"] + args, timeout=10)
    return json.loads(r.stdout)


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
            stop_process(p)
        if self.srs:
            self.srs.cleanup()
        self.hooks.close()

    def start(self, plan, path="{dir}/dvr/[app]/[stream].[timestamp].flv", apply="all"):
        self.srs = SrsProcess(CONF % {"plan": plan, "path": path, "hook": self.hooks.port, "apply": apply})
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

    def tmp_files(self):
        return glob.glob(os.path.join(self.srs.dir, "dvr", "live", "*.tmp"))

    def check_keyframe_index(self, path):
        """onMetaData keyframes {filepositions, times}: each position is a video keyframe tag
        at that time, and every keyframe of the file is listed."""
        with open(path, "rb") as f:
            data = f.read()
        tags = flv_tags(data)
        name, meta = amf0_values(tags[0][3])
        self.assertEqual("onMetaData", name)
        index = meta["keyframes"]
        positions, times = index["filepositions"], index["times"]
        keys = [(pos, ts) for pos, kind, ts, body in tags if kind == 9 and body[0] >> 4 == 1 and body[1] == 1]
        self.assertEqual([k[0] for k in keys], [int(p) for p in positions])
        self.assertEqual([k[1] / 1000.0 for k in keys], times)
        self.assertGreater(len(positions), 0)
        self.assertAlmostEqual(meta["filesize"], len(data))

    def check_file(self, path, duration, tolerance):
        codecs, d, err = probe(path)
        self.assertEqual(["aac", "h264"], codecs, "%s: %s" % (path, err))
        self.assertEqual("", err.strip(), path)
        self.assertAlmostEqual(duration, d, delta=tolerance, msg=path)
        self.assertEqual("", decode_errors(path), path)
        # [stream].[timestamp].flv: the timestamp is the wall clock in ms.
        m = re.match(r".*/live/[a-z0-9]+\.(\d+)\.(flv|mp4)$", path)
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
        # dvr_duration 4 with a keyframe exactly every 2 s: every segment but the last is cut at
        # the keyframe at 4 s; the last holds what is left of the 11 s.
        for f in files[:-1]:
            self.check_file(f, 4, 0.3)
            self.check_keyframe_index(f)
        self.check_file(files[-1], 11 - 4 * (len(files) - 1), 0.5)
        self.check_keyframe_index(files[-1])
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

    def test_session_mp4(self):
        self.start("session", path="{dir}/dvr/[app]/[stream].[timestamp].mp4")
        start = time.time()
        p = publish_bframes(self.srs, "mp4", 6)
        self.pubs.append(p)
        self.assertTrue(wait_for(lambda: glob.glob(os.path.join(self.srs.dir, "dvr", "live", "mp4.*.mp4.tmp")), 10),
                        self.srs.log()[-2000:])
        self.wait_publisher(p, 30)
        published = time.time() - start
        self.assertTrue(wait_for(lambda: len(self.files("mp4", "mp4")) == 1 and not self.tmp_files(), 10),
                        os.listdir(os.path.join(self.srs.dir, "dvr", "live")))
        path = self.files("mp4", "mp4")[0]
        # ffmpeg's duration vs the publish (ffmpeg -t 6 in real time).
        self.check_file(path, 6, 1)
        self.assertLess(abs(probe(path)[1] - min(published, 6)), 1.5)
        with open(path, "rb") as f:
            data = f.read()
        self.assertEqual(b"ftyp", data[4:8])
        for box in (b"moov", b"avcC", b"esds", b"stss", b"ctts"):
            self.assertIn(box, data)
        self.assertTrue(wait_for(lambda: self.hooks.files() == [path], 5), self.hooks.files())

    def test_mp4_finished_at_server_quit(self):
        # SIGTERM while recording: the quitting server finishes the file (moov written, renamed).
        self.start("session", path="{dir}/dvr/[app]/[stream].[timestamp].mp4")
        self.publish("quit", 30)
        self.assertTrue(wait_for(lambda: glob.glob(os.path.join(self.srs.dir, "dvr", "live", "quit.*.mp4.tmp")), 10),
                        self.srs.log()[-2000:])
        time.sleep(4)
        self.assertEqual(0, self.srs.stop(timeout=10), self.srs.log()[-2000:])
        files = self.files("quit", "mp4")
        self.assertEqual(1, len(files), os.listdir(os.path.join(self.srs.dir, "dvr", "live")))
        self.assertEqual([], self.tmp_files())
        codecs, d, err = probe(files[0])
        self.assertEqual(["aac", "h264"], codecs, err)
        self.assertEqual("", err.strip())
        self.assertGreater(d, 3)
        self.assertEqual("", decode_errors(files[0]))

    def test_append_plan(self):
        self.start("append", path="{dir}/dvr/[app]/[stream].flv")
        path = os.path.join(self.srs.dir, "dvr", "live", "app.flv")
        for n, seconds in enumerate((3, 4), 1):
            p = self.publish("app", seconds)
            self.wait_publisher(p, 30)
            # Each publish ends with its own on_dvr before the next one starts.
            self.assertTrue(wait_for(lambda: len(self.hooks.files()) >= n and os.path.exists(path), 5),
                            self.srs.log()[-2000:])
        self.assertTrue(wait_for(lambda: len(self.hooks.files()) == 2, 5), self.srs.log()[-2000:])
        self.assertEqual(["app.flv"], sorted(os.listdir(os.path.join(self.srs.dir, "dvr", "live"))))
        codecs, d, err = probe(path)
        self.assertEqual(["aac", "h264"], codecs, err)
        self.assertAlmostEqual(7, d, delta=1)
        self.assertEqual("", decode_errors(path))
        # Both parts, timestamps never going back.
        times = packet_times(path)
        self.assertEqual(2, len(times), times.keys())
        for idx, ts in times.items():
            self.assertEqual(sorted(ts), ts, "stream %d" % idx)
            self.assertGreater(ts[-1], 6)
        self.check_keyframe_index(path)

    def test_api_start_stop(self):
        # dvr_apply names no stream: only the API records.
        self.start("session", apply="live/none")
        api = "http://127.0.0.1:%d/api/v1/dvrs" % self.srs.api
        p = self.publish("api", 14)
        self.assertTrue(wait_for(lambda: run(["curl", "-s", "-m", "2", "http://127.0.0.1:%d/api/v1/streams"
                                              % self.srs.api], timeout=5).stdout.count('"name":"api"'), 10))
        time.sleep(1)
        self.assertEqual([], curl_json([api])["dvrs"])
        j = curl_json(["-X", "POST", api + "?app=live&stream=api&action=start"])
        self.assertEqual(0, j["code"], j)
        time.sleep(6)
        dvrs = curl_json([api])["dvrs"]
        self.assertEqual(1, len(dvrs), dvrs)
        self.assertEqual("api", dvrs[0]["stream"])
        self.assertTrue(dvrs[0]["by_api"])
        self.assertGreater(dvrs[0]["bytes"], 0)
        self.assertGreater(dvrs[0]["duration_ms"], 2000)
        j = curl_json(["-X", "POST", "-H", "Content-Type: application/json", api,
                       "-d", json.dumps({"app": "live", "stream": "api", "action": "stop"})])
        self.assertEqual(0, j["code"], j)
        self.assertEqual([], curl_json([api])["dvrs"])
        files = self.files("api")
        self.assertEqual(1, len(files), os.listdir(os.path.join(self.srs.dir, "dvr", "live")))
        self.assertEqual([], self.tmp_files())
        codecs, d, err = probe(files[0])
        self.assertEqual(["aac", "h264"], codecs, err)
        self.assertGreater(d, 3)
        self.assertLess(d, 7)
        self.assertEqual("", decode_errors(files[0]))
        # An unknown stream: the JSON code says so.
        self.assertEqual(3004, curl_json(["-X", "POST", api + "?app=live&stream=nope&action=start"])["code"])
        p.kill()

    def test_unwritable_path_keeps_stream(self):
        # dvr_path under a regular file: no folder can be made there.
        srs = SrsProcess(CONF % {"plan": "session", "path": "{dir}/plain/[app]/[stream].flv",
                                 "hook": self.hooks.port, "apply": "all"})
        self.srs = srs
        with open(os.path.join(srs.dir, "plain"), "w") as f:
            f.write("x")
        srs.start()
        pub = self.publish("u", 8)
        srs.wait_publishing("u", proc=pub)
        r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "rtmp://127.0.0.1:%d/live/u" % srs.rtmp,
                 "-t", "3", "-c", "copy", "-f", "null", "-", "-progress", "pipe:1", "-nostats"], timeout=20)
        times = [int(v) for v in re.findall(r"out_time_us=(\d+)", r.stdout)]
        self.assertGreaterEqual(max(times) / 1e6 if times else 0, 2.0, r.stderr)
        log = srs.log()
        self.assertIn("recording stopped for this stream", log)
        self.assertIn("Not a directory", log)
        self.assertEqual([], self.hooks.files())


if __name__ == "__main__":
    srs_testlib.main()
