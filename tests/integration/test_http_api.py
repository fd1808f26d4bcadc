"""The HTTP API (/api/v1 in SRS's shapes), its auth and raw reload, the Prometheus exporter,
and bad input on the API port, against the real binary with curl-like clients; with ffmpeg
publishing and playing over RTMP, the stream and client statistics and kicks."""

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import time
import unittest
import urllib.error
import urllib.request

import srs_testlib
from srs_testlib import SrsProcess, free_port, have, port_open, read_text, wait_for
from srs_testlib import stop_process as stop

BASE = """
listen {rtmp};
max_connections 1000;
daemon off;
srs_log_tank file;
srs_log_file {dir}/srs.log;
pid {dir}/srs.pid;
http_api {{
    enabled on;
    listen {api};
    crossdomain on;
    %(api_extra)s
}}
%(extra)s
vhost __defaultVhost__ {{ }}
"""


def config(api_extra="", extra=""):
    """The base config with more in the http_api block and at the top level; braces in them
    are literal (the result is a SrsProcess template)."""
    def esc(s):
        return s.replace("{", "{{").replace("}", "}}")
    return BASE % {"api_extra": esc(api_extra), "extra": esc(extra)}


def http(port, path, method="GET", headers=None, timeout=5):
    """(status, headers, body) of a request; HTTP errors are returned, not raised."""
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8", "replace")


def reloads(srs):
    """How many reloads the server logged (one line each)."""
    return len(re.findall(r"reload: (changed \[|.* has no change)", read_text(srs.log_path)))


def api(port, path, method="GET", headers=None):
    status, _, body = http(port, path, method, headers)
    return status, json.loads(body)


class ApiTestCase(unittest.TestCase):
    def assertEnvelope(self, j, code=0):
        self.assertEqual(code, j["code"], j)
        for k in ("server", "service", "pid"):
            self.assertIsInstance(j[k], str, k)
        self.assertEqual(str(self.srs.proc.pid), j["pid"])


class HttpApiEndpointsTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        cls.srs = SrsProcess(config())
        cls.srs.start()

    @classmethod
    def tearDownClass(cls):
        cls.srs.cleanup()

    def test_indexes(self):
        for path, key in (("/", "api"), ("/api/", "v1"), ("/api/v1/", "streams"), ("/api/v1", "clients")):
            status, j = api(self.srs.api, path)
            self.assertEqual(200, status, path)
            self.assertEnvelope(j)
            self.assertIn(key, j["urls"], path)

    def test_versions(self):
        status, headers, body = http(self.srs.api, "/api/v1/versions")
        self.assertEqual(200, status)
        self.assertIn("application/json", headers["Content-Type"])
        j = json.loads(body)
        self.assertEnvelope(j)
        self.assertEqual(["major", "minor", "revision", "version"], sorted(j["data"]))
        self.assertEqual("%d.%d.%d" % (j["data"]["major"], j["data"]["minor"], j["data"]["revision"]),
                         j["data"]["version"])
        # Field order as SRS: code, server, service, pid.
        self.assertTrue(body.startswith('{"code":0,"server":'), body)

    def test_summaries(self):
        status, j = api(self.srs.api, "/api/v1/summaries")
        self.assertEnvelope(j)
        d = j["data"]
        self.assertTrue(d["ok"])
        self.assertEqual(self.srs.proc.pid, d["self"]["pid"])
        self.assertIn("-c", d["self"]["argv"])
        self.assertGreater(d["self"]["mem_kbyte"], 0)
        for k in ("cpu_percent", "mem_ram_kbyte", "cpus", "uptime", "ilde_time", "load_1m", "load_5m", "load_15m",
                  "net_recvi_bytes", "srs_recv_bytes", "conn_sys", "conn_srs"):
            self.assertIn(k, d["system"], k)
        self.assertGreater(d["system"]["mem_ram_kbyte"], 0)
        self.assertGreaterEqual(d["system"]["conn_srs"], 1)

    def test_system_endpoints(self):
        for path, key in (("/api/v1/rusages", "ru_maxrss"), ("/api/v1/self_proc_stats", "rss"),
                          ("/api/v1/system_proc_stats", "idle"), ("/api/v1/meminfos", "MemTotal"),
                          ("/api/v1/authors", "license"), ("/api/v1/features", "features")):
            status, j = api(self.srs.api, path)
            self.assertEqual(200, status, path)
            self.assertEnvelope(j)
            self.assertIn(key, j["data"], path)
        _, j = api(self.srs.api, "/api/v1/self_proc_stats")
        self.assertEqual(self.srs.proc.pid, j["data"]["pid"])
        self.assertTrue(j["data"]["ok"])

    def test_requests_echo(self):
        _, j = api(self.srs.api, "/api/v1/requests?a=1", headers={"X-Echo": "yes"})
        self.assertEqual("/api/v1/requests?a=1", j["data"]["uri"])
        self.assertEqual("GET", j["data"]["METHOD"])
        self.assertEqual("yes", j["data"]["headers"]["X-Echo"])

    def test_empty_lists_and_unknown_ids(self):
        _, j = api(self.srs.api, "/api/v1/streams/")
        self.assertEqual([], j["streams"])
        _, j = api(self.srs.api, "/api/v1/clients")
        self.assertEqual([], j["clients"])
        _, j = api(self.srs.api, "/api/v1/vhosts/")
        self.assertIsInstance(j["vhosts"], list)
        status, j = api(self.srs.api, "/api/v1/streams/vid-nothing")
        self.assertEqual(2048, j["code"])
        status, j = api(self.srs.api, "/api/v1/clients/nothing")
        self.assertEqual(2049, j["code"])
        status, j = api(self.srs.api, "/api/v1/clients/nothing", method="DELETE")
        self.assertEqual(2049, j["code"])

    def test_404_405_jsonp_cors(self):
        status, j = api(self.srs.api, "/api/v1/nothing")
        self.assertEqual(404, status)
        status, headers, body = http(self.srs.api, "/api/v1/versions", method="POST")
        self.assertEqual(405, status)
        self.assertIn("GET", headers.get("Allow", ""))
        status, headers, body = http(self.srs.api, "/api/v1/versions?callback=cb")
        self.assertEqual(200, status)
        self.assertRegex(body, r"^cb\(\{.*\}\)$")
        self.assertIn("javascript", headers["Content-Type"])
        self.assertEqual("*", headers.get("Access-Control-Allow-Origin"))
        status, headers, _ = http(self.srs.api, "/api/v1/versions", method="OPTIONS",
                                  headers={"Origin": "http://x", "Access-Control-Request-Method": "GET"})
        self.assertEqual(200, status)
        self.assertEqual("*", headers.get("Access-Control-Allow-Origin"))

    def test_raw_api_off_by_default(self):
        _, j = api(self.srs.api, "/api/v1/raw?rpc=reload")
        self.assertEqual(1061, j["code"])
        self.assertEqual(0, reloads(self.srs))


class HttpApiAuthAndRawTest(ApiTestCase):
    def test_auth(self):
        self.srs = SrsProcess(config("auth { enabled on; username admin; password s3cret; }"))
        with self.srs:
            for path in ("/api/v1/versions", "/api/v1/streams/", "/api/v1/nothing"):
                status, headers, body = http(self.srs.api, path)
                self.assertEqual(401, status, path)
                self.assertIn("Basic", headers.get("WWW-Authenticate", ""))
                self.assertNotIn("version", body)
            wrong = "Basic " + base64.b64encode(b"admin:wrong").decode()
            status, _, _ = http(self.srs.api, "/api/v1/versions", headers={"Authorization": wrong})
            self.assertEqual(401, status)
            good = "Basic " + base64.b64encode(b"admin:s3cret").decode()
            status, j = api(self.srs.api, "/api/v1/versions", headers={"Authorization": good})
            self.assertEqual(200, status)
            self.assertEnvelope(j)
            # curl's -u works too.
            if have("curl"):
                r = subprocess.run(["curl", "-s", "-u", "admin:s3cret",
                                    "http://127.0.0.1:%d/api/v1/summaries" % self.srs.api],
                                   capture_output=True, text=True, timeout=10)
                self.assertEqual(0, json.loads(r.stdout)["code"])

    def test_raw_reload(self):
        self.srs = SrsProcess(config("raw_api { enabled on; allow_reload off; }"))
        with self.srs:
            _, j = api(self.srs.api, "/api/v1/raw?rpc=reload")
            self.assertEqual(1062, j["code"])
            _, j = api(self.srs.api, "/api/v1/raw?rpc=unknown")
            self.assertEqual(1053, j["code"])
            _, j = api(self.srs.api, "/api/v1/raw?rpc=raw")
            self.assertFalse(j["http_api"]["raw_api"]["allow_reload"])

            # Turn allow_reload on with SIGHUP, then reload through the API.
            self.srs.write_config(config("raw_api { enabled on; allow_reload on; }"))
            self.srs.signal(1)
            self.assertTrue(wait_for(lambda: api(self.srs.api, "/api/v1/raw?rpc=raw")[1]["http_api"]["raw_api"]
                                     ["allow_reload"], 5))
            n = reloads(self.srs)
            _, j = api(self.srs.api, "/api/v1/raw?rpc=reload")
            self.assertEqual(0, j["code"])
            self.assertTrue(wait_for(lambda: reloads(self.srs) > n, 5))

            # A broken config is refused with an error code; the server keeps running.
            with open(self.srs.conf, "a") as f:
                f.write("vhost broken {\n")
            _, j = api(self.srs.api, "/api/v1/raw?rpc=reload")
            self.assertNotEqual(0, j["code"])
            self.assertIsNone(self.srs.proc.poll())


class ExporterTest(ApiTestCase):
    def test_metrics(self):
        port = free_port()
        self.srs = SrsProcess(config(extra="exporter { enabled on; listen %d; label cn-beijing; tag edge; }" % port))
        with self.srs:
            self.assertTrue(wait_for(lambda: port_open(port), 5))
            status, headers, body = http(port, "/metrics")
            self.assertEqual(200, status)
            self.assertIn("text/plain", headers["Content-Type"])
            types, samples = {}, {}
            for line in body.splitlines():
                m = re.match(r"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter)$", line)
                if m:
                    types[m.group(1)] = m.group(2)
                    continue
                if re.match(r"^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$", line):
                    continue
                m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? '
                             r'(-?[0-9.e+-]+)$', line)
                self.assertIsNotNone(m, "bad line: %r" % line)
                self.assertIn(m.group(1), types, "sample before TYPE: %r" % line)
                samples[m.group(1)] = float(m.group(4))
            for k in ("srs_build_info", "srs_cpu_percent", "srs_memory", "srs_send_bytes_total",
                      "srs_receive_bytes_total", "srs_streams", "srs_clients", "srs_clients_total"):
                self.assertIn(k, samples, k)
            self.assertEqual("counter", types["srs_send_bytes_total"])
            self.assertGreater(samples["srs_memory"], 0)
            self.assertIn('label="cn-beijing"', body)
            self.assertIn('tag="edge"', body)
            self.assertEqual(404, http(port, "/other")[0])

    def test_disabled_does_not_listen(self):
        port = free_port()
        self.srs = SrsProcess(config(extra="exporter { enabled off; listen %d; }" % port))
        with self.srs:
            self.assertFalse(port_open(port))


class BadInputTest(ApiTestCase):
    """Bad clients get 4xx or a close, and the server keeps serving the others."""

    @classmethod
    def setUpClass(cls):
        cls.srs = SrsProcess(config())
        cls.srs.start()

    @classmethod
    def tearDownClass(cls):
        cls.srs.cleanup()

    def raw(self, data, timeout=5):
        s = socket.create_connection(("127.0.0.1", self.srs.api), timeout=timeout)
        try:
            try:
                s.sendall(data)
            except OSError:
                pass  # the server may close before it reads everything
            out = b""
            while True:
                try:
                    b = s.recv(65536)
                except ConnectionResetError:
                    break
                if not b:
                    break
                out += b
            return out
        finally:
            s.close()

    def assertStillServing(self):
        status, j = api(self.srs.api, "/api/v1/versions")
        self.assertEqual(200, status)
        self.assertIsNone(self.srs.proc.poll())

    def test_huge_header(self):
        out = self.raw(b"GET /api/v1/versions HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1024 * 1024) + b"\r\n\r\n")
        self.assertTrue(out == b"" or re.match(rb"HTTP/1\.1 4\d\d", out), out[:100])
        self.assertStillServing()

    def test_malformed_request_line(self):
        for line in (b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"G@T / HTTP/1.1\r\n\r\n", b"GET /a b c\r\n\r\n",
                     b"\x00\x01\x02\r\n\r\n"):
            out = self.raw(line)
            self.assertTrue(out == b"" or re.match(rb"HTTP/1\.[01] 4\d\d", out), (line, out[:100]))
        self.assertStillServing()

    def test_half_request_then_silence(self):
        s = socket.create_connection(("127.0.0.1", self.srs.api), timeout=30)
        try:
            s.sendall(b"GET /api/v1/versions HTTP/1.1\r\nHost: x\r\n")
            # Others are served while it waits.
            self.assertStillServing()
            t0 = time.time()
            out = b""
            while True:
                b = s.recv(4096)
                if not b:
                    break
                out += b
            self.assertLess(time.time() - t0, 25)
            self.assertTrue(out == b"" or out.startswith(b"HTTP/1.1 408"), out[:100])
        finally:
            s.close()
        self.assertStillServing()


def ffmpeg_publish(srs, stream="livestream"):
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
         # x264 picks the lowest profile that fits the tools a preset uses: veryfast uses CABAC and
         # 8x8 transforms, so the stream is High.
         "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "high", "-g", "25",
         "-c:a", "aac", "-ar", "44100", "-ac", "2", "-b:a", "64k",
         "-f", "flv", "rtmp://127.0.0.1:%d/live/%s" % (srs.rtmp, stream)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def ffmpeg_play(srs, stream="livestream"):
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "rtmp://127.0.0.1:%d/live/%s" % (srs.rtmp, stream),
         "-c", "copy", "-f", "null", "-"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@unittest.skipUnless(have("ffmpeg"), "ffmpeg is not installed")
class StreamStatisticsTest(ApiTestCase):
    def setUp(self):
        self.srs = SrsProcess(config())
        self.srs.start()
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            stop(p)
        self.srs.cleanup()

    def streams(self):
        return api(self.srs.api, "/api/v1/streams/?count=100")[1]["streams"]

    def clients(self):
        return api(self.srs.api, "/api/v1/clients/?count=100")[1]["clients"]

    def start_publish(self):
        pub = ffmpeg_publish(self.srs)
        self.procs.append(pub)
        found = wait_for(lambda: [s for s in self.streams() if s["name"] == "livestream" and s["publish"]["active"]]
                         or pub.poll() is not None, 15)
        if pub.poll() is not None:
            # A refused or dropped publish is the failure under test, not a reason to skip.
            self.fail("publisher ended: %s\n%s" % (pub.stderr.read().decode(errors="replace"),
                                                      self.srs.log()[-3000:]))
        self.assertTrue(found, "stream not listed:\n%s" % self.srs.log()[-3000:])
        return pub

    def test_stream_clients_kbps_and_kicks(self):
        pub = self.start_publish()
        play = ffmpeg_play(self.srs)
        self.procs.append(play)

        # Both clients listed with their types; the stream with codecs and traffic.
        def both():
            types = sorted(c["type"] for c in self.clients())
            return types == ["fmle-publish", "rtmp-play"]
        self.assertTrue(wait_for(both, 15), self.clients())

        def stream_ready():
            s = [s for s in self.streams() if s["name"] == "livestream"]
            return s and s[0]["kbps"]["recv_30s"] > 0 and s[0]["kbps"]["send_30s"] > 0 and s[0]["video"] \
                and s[0]["audio"] and s[0]
        s = wait_for(stream_ready, 20)
        self.assertTrue(s, self.streams())
        self.assertEqual("H264", s["video"]["codec"])
        self.assertEqual("High", s["video"]["profile"])
        self.assertEqual(320, s["video"]["width"])
        self.assertEqual(240, s["video"]["height"])
        self.assertEqual("AAC", s["audio"]["codec"])
        self.assertEqual(44100, s["audio"]["sample_rate"])
        self.assertEqual(2, s["audio"]["channel"])
        self.assertEqual("live", s["app"])
        self.assertEqual("/live/livestream", s["url"])
        self.assertEqual(2, s["clients"])
        self.assertGreater(s["recv_bytes"], 0)
        self.assertGreater(s["frames"], 0)

        clients = {c["type"]: c for c in self.clients()}
        publisher, player = clients["fmle-publish"], clients["rtmp-play"]
        self.assertEqual(publisher["id"], s["publish"]["cid"])
        self.assertTrue(publisher["publish"])
        self.assertFalse(player["publish"])
        self.assertEqual(s["id"], player["stream"])
        self.assertEqual("127.0.0.1", player["ip"])
        self.assertEqual(s["vhost"], player["vhost"])

        _, j = api(self.srs.api, "/api/v1/streams/" + s["id"])
        self.assertEqual(s["id"], j["stream"]["id"])
        _, j = api(self.srs.api, "/api/v1/clients/" + player["id"])
        self.assertEqual("rtmp-play", j["client"]["type"])
        _, j = api(self.srs.api, "/api/v1/vhosts/" + s["vhost"])
        self.assertEqual("__defaultVhost__", j["vhost"]["name"])
        self.assertEqual(1, j["vhost"]["streams"])

        # Kick the player: it is disconnected, the publisher goes on.
        _, j = api(self.srs.api, "/api/v1/clients/" + player["id"], method="DELETE")
        self.assertEqual(0, j["code"])
        self.assertTrue(wait_for(lambda: all(c["id"] != player["id"] for c in self.clients()), 10))
        self.assertIsNone(pub.poll())

        # Kick the publisher: the stream is unpublished.
        _, j = api(self.srs.api, "/api/v1/clients/" + publisher["id"], method="DELETE")
        self.assertEqual(0, j["code"])
        self.assertTrue(wait_for(lambda: not [x for x in self.streams() if x["publish"]["active"]], 10),
                        self.streams())
        self.assertTrue(wait_for(lambda: pub.poll() is not None, 10))

    def test_metrics_count_streams(self):
        port = free_port()
        self.srs.cleanup()
        self.srs = SrsProcess(config(extra="exporter { enabled on; listen %d; }" % port))
        self.srs.start()
        self.start_publish()
        # Byte counters are sampled every second.
        def ready():
            b = http(port, "/metrics")[2]
            return "\nsrs_streams 1\n" in b and re.search(r"\nsrs_receive_bytes_total [1-9]", b) and b
        body = wait_for(ready, 10)
        self.assertTrue(body, http(port, "/metrics")[2])
        self.assertRegex(body, r"\nsrs_clients [1-9]")


if __name__ == "__main__":
    srs_testlib.main()
