"""http_hooks with the real binary and a callback server in the test: tokens allowed and
refused (403, body 1) for publish and play (RTMP and HTTP-FLV), the JSON bodies, the event
order publish -> play -> stop -> unpublish, a hook server that never answers, and HLS player
sessions (hls_ctx: a variant playlist, on_play, on_stop after the idle timeout or a kick,
/api/v1/clients).
Runtime about 50 s. SRS_HOOKS_CAPTURE=FILE writes every body received (for doc/hooks.md)."""

import http.server
import json
import re
import signal
import os
import sys
import threading
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import srs_testlib as T  # noqa: E402
from srs_rtmp_pyclient import rtmp_status as rtmp_status_at  # noqa: E402

CONF = T.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
    http_hooks {{
        enabled on;
        on_connect HOOK/connect;
        on_close HOOK/close;
        on_publish HOOK/publish HOOK/publish2;
        on_unpublish HOOK/unpublish;
        on_play HOOK/play;
        on_stop HOOK/stop;
    }}
}}
vhost hls {{
    hls {{ enabled on; hls_fragment 1; hls_window 5; hls_path {dir}/html; }}
    http_hooks {{
        enabled on;
        on_hls HOOK/hls;
        on_hls_notify HOOK/notify/[app]/[stream]/[ts_url];
        on_play HOOK/play;
        on_stop HOOK/stop;
    }}
}}
vhost slow {{
    http_hooks {{ enabled on; timeout 1; on_publish HOOK/never; }}
}}
"""


class HookServer:
    """Records every POST; answers 0, or 403 with body 1 when the param has token=bad, and never
    answers /never (until the test ends)."""

    def __init__(self):
        self.bodies = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                with outer.lock:
                    outer.bodies.append((self.path, None, {"action": "notify", "vhost": "", "app": ""}, time.time()))
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(n))
                with outer.lock:
                    outer.bodies.append((self.path, self.headers.get("Content-Type"), body, time.time()))
                if self.path == "/never":
                    outer.stop.wait(30)
                    return
                if "token=bad" in body.get("param", "") or "token=bad" in body.get("tcUrl", ""):
                    code, text = 403, b"1"
                elif self.path == "/publish2":
                    code, text = 200, b'{"code": 0, "data": null}'
                else:
                    code, text = 200, b"0"
                try:
                    self.send_response(code)
                    self.send_header("Content-Length", str(len(text)))
                    self.end_headers()
                    self.wfile.write(text)
                except OSError:
                    pass  # srs gave up (stopped, or the client's timeout)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def events(self, pred=lambda b: True):
        with self.lock:
            return [(p, b) for p, _, b, _ in self.bodies if pred(b)]

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def rtmp_status(port, tc_query, stream, play, vhost_query=""):
    return rtmp_status_at(port, "rtmp://127.0.0.1:%d/live%s" % (port, vhost_query), stream + tc_query, play)


@unittest.skipUnless(T.have("ffmpeg") and T.have("ffprobe"), "ffmpeg/ffprobe not installed")
class HooksTest(unittest.TestCase):
    def setUp(self):
        self.hooks = HookServer()
        conf = CONF.replace("HOOK", "http://127.0.0.1:%d" % self.hooks.port)
        self.srs = T.SrsProcess(conf).start()
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            T.stop_process(p)
        self.srs.cleanup()
        capture = os.environ.get("SRS_HOOKS_CAPTURE")
        if capture:
            with open(capture, "a") as f:
                for path, ctype, body, _ in self.hooks.bodies:
                    f.write(json.dumps({"path": path, "content_type": ctype, "body": body}) + "\n")
        self.hooks.close()

    def rtmp(self, stream):
        return "rtmp://127.0.0.1:%d/live/%s" % (self.srs.rtmp, stream)

    def test_tokens_bodies_order(self):
        # Refused publish: the token is refused by the hook server with 403 and body 1.
        t0 = time.time()
        p = T.ffmpeg_publish_small(self.rtmp("s?token=bad"), 5)
        self.procs.append(p)
        p.wait(timeout=10)
        self.assertNotEqual(0, p.returncode)
        self.assertLess(time.time() - t0, 5)
        self.assertEqual("NetStream.Publish.Rejected", rtmp_status(self.srs.rtmp, "?token=bad", "x", False))
        # A refused publish sends no on_unpublish.
        self.assertEqual([], self.hooks.events(lambda b: b["action"] == "on_unpublish"))

        # Allowed publish.
        pub = T.ffmpeg_publish_small(self.rtmp("s?token=good"), 12)
        self.procs.append(pub)
        self.assertTrue(T.wait_for(lambda: self.hooks.events(
            lambda b: b["action"] == "on_publish" and b["param"] == "?token=good"), 10))
        self.srs.wait_publishing("s", proc=pub)

        # RTMP play allowed, and refused.
        r = T.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", self.rtmp("s?token=good"), "-t", "1",
                   "-c", "copy", "-f", "null", "-"], timeout=20)
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertEqual("NetStream.Play.Rejected", rtmp_status(self.srs.rtmp, "?token=bad", "s", True))
        r = T.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", self.rtmp("s?token=bad"), "-t", "1",
                   "-f", "null", "-"], timeout=20)
        self.assertNotEqual(0, r.returncode)

        # HTTP-FLV: on_play/on_stop too; a refused token gets 403.
        flv = "http://127.0.0.1:%d/live/s.flv" % self.srs.http
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(flv + "?token=bad", timeout=5)
        self.assertEqual(403, cm.exception.code)
        r = T.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", flv + "?token=good", "-t", "1",
                   "-c", "copy", "-f", "null", "-"], timeout=20)
        self.assertEqual(0, r.returncode, r.stderr)
        # Both players have left while the publisher goes on: their on_stop comes before the
        # publisher's end, which on a loaded machine may be only a moment after this player's.
        self.assertTrue(T.wait_for(lambda: len(self.hooks.events(lambda b: b["action"] == "on_stop")) >= 2, 10))

        pub.wait(timeout=20)
        self.assertEqual(0, pub.returncode)
        self.assertTrue(T.wait_for(lambda: self.hooks.events(lambda b: b["action"] == "on_unpublish"), 10))
        self.assertTrue(T.wait_for(lambda: len(self.hooks.events(lambda b: b["action"] == "on_stop")) >= 2, 10))
        self.assertTrue(T.wait_for(lambda: self.hooks.events(lambda b: b["action"] == "on_close"), 10))

        with self.hooks.lock:
            bodies = list(self.hooks.bodies)
        with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/versions" % self.srs.api, timeout=5) as r:
            server_id = json.loads(r.read())["server"]
        self.assertRegex(server_id, r"^vid-[0-9a-z]{7}$")
        for path, ctype, body, _ in bodies:
            self.assertEqual("application/json", ctype)
            for k in ("server_id", "service_id", "action", "client_id", "ip", "vhost", "app", "tcUrl"):
                self.assertIn(k, body, (path, body))
            self.assertEqual("127.0.0.1", body["ip"])
            self.assertEqual("__defaultVhost__", body["vhost"])
            self.assertEqual("live", body["app"])
            # The id of this server, as its API gives it.
            self.assertEqual(server_id, body["server_id"], body)
            self.assertEqual("/" + body["action"].replace("on_", ""), path.replace("publish2", "publish"))
            if body["action"] not in ("on_connect", "on_close"):
                for k in ("stream", "param", "stream_url", "stream_id"):
                    self.assertIn(k, body, body)
                self.assertEqual("/live/s" if body["stream"] == "s" else "/live/x", body["stream_url"])
            if body["action"] == "on_play":
                self.assertIn("pageUrl", body)

        # Both URLs of on_publish were called, in order.
        pubs = [(p, b) for p, _, b, _ in bodies if b["action"] == "on_publish" and b["param"] == "?token=good"]
        self.assertEqual(["/publish", "/publish2"], [p for p, _ in pubs])
        good_pub = pubs[0][1]
        self.assertEqual("s", good_pub["stream"])
        self.assertTrue(good_pub["tcUrl"].startswith("rtmp://127.0.0.1:%d/live" % self.srs.rtmp))
        self.assertTrue(good_pub["stream_id"])
        # The refused publish had its own on_publish, refused by the first URL only.
        bad = [(p, b) for p, _, b, _ in bodies if b["action"] == "on_publish" and b["param"] == "?token=bad"]
        self.assertEqual(["/publish", "/publish"], [p for p, _ in bad])

        # Order: publish -> play -> stop -> unpublish, for the good clients; stop and unpublish
        # carry the client ids of their play and publish.
        good = [b for _, _, b, _ in bodies
                if b["action"] in ("on_publish", "on_play", "on_stop", "on_unpublish") and "bad" not in b["param"]]
        actions = [b["action"] for b in good]
        self.assertEqual("on_publish", actions[0])
        self.assertEqual("on_unpublish", actions[-1], actions)
        plays = [b for b in good if b["action"] == "on_play"]
        stops = [b for b in good if b["action"] == "on_stop"]
        self.assertEqual(2, len(plays), actions)
        self.assertEqual(sorted(b["client_id"] for b in plays), sorted(b["client_id"] for b in stops))
        for pl in plays:
            i = good.index(pl)
            j = [k for k, b in enumerate(good) if b["action"] == "on_stop" and b["client_id"] == pl["client_id"]][0]
            self.assertLess(i, j)
        unpub = [b for b in good if b["action"] == "on_unpublish"]
        self.assertEqual(1, len(unpub))
        self.assertEqual(good_pub["client_id"], unpub[0]["client_id"])
        # The HTTP-FLV player's bodies.
        http_plays = [b for b in plays if b["tcUrl"].startswith("http://")]
        self.assertEqual(1, len(http_plays))
        self.assertEqual("?token=good", http_plays[0]["param"])
        # on_connect and on_close come in pairs per allowed RTMP connection.
        conns = {b["client_id"] for _, _, b, _ in bodies if b["action"] == "on_connect"}
        closes = {b["client_id"] for _, _, b, _ in bodies if b["action"] == "on_close"}
        self.assertTrue(T.wait_for(lambda: conns == {b["client_id"] for _, b in
                                                     self.hooks.events(lambda b: b["action"] == "on_close")}, 5),
                        (conns, closes))

    def test_hook_never_answers(self):
        # A good stream publishes and plays while another publisher waits for a hook that never answers.
        pub = T.ffmpeg_publish_small(self.rtmp("s?token=good"), 10)
        self.procs.append(pub)
        self.assertTrue(T.wait_for(lambda: self.hooks.events(lambda b: b["action"] == "on_publish"), 10))
        self.srs.wait_publishing("s", proc=pub)

        slow = T.ffmpeg_publish_small("rtmp://127.0.0.1:%d/live?vhost=slow/s" % self.srs.rtmp, 10)
        self.procs.append(slow)
        t0 = time.time()
        self.assertTrue(T.wait_for(lambda: self.hooks.events(lambda b: b["vhost"] == "slow"), 10))
        # Meanwhile another client plays at once.
        t1 = time.time()
        r = T.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", self.rtmp("s?token=good"), "-t", "0.5",
                   "-c", "copy", "-f", "null", "-"], timeout=20)
        self.assertEqual(0, r.returncode, r.stderr)
        slow.wait(timeout=10)
        self.assertNotEqual(0, slow.returncode)
        # Refused after the 1 s timeout, not before, and well before the hook server gives up.
        self.assertGreater(time.time() - t0, 0.9)
        self.assertLess(time.time() - t0, 6)
        self.assertLess(t1 - t0, 3)
        self.assertIn("refused", self.srs.log())
        self.assertIsNone(pub.poll())

    def test_reload_toggles_hooks(self):
        def reload(text, n):
            self.srs.write_config(text.replace("HOOK", "http://127.0.0.1:%d" % self.hooks.port))
            self.srs.signal(signal.SIGHUP)
            self.assertTrue(T.wait_for(lambda: self.srs.log().count("reload: changed") >= n, 5), self.srs.log())

        pub = T.ffmpeg_publish_small(self.rtmp("a?token=good"), 15)
        self.procs.append(pub)
        self.assertTrue(T.wait_for(lambda: self.hooks.events(lambda b: b["action"] == "on_publish"), 10))

        # Hooks off: a token the hook server refuses publishes now; the running publisher stays.
        reload(CONF.replace("enabled on;", "enabled off;"), 1)
        self.assertEqual("NetStream.Publish.Start", rtmp_status(self.srs.rtmp, "?token=bad", "b", False))
        self.assertEqual([], self.hooks.events(lambda b: b.get("param") == "?token=bad"))
        # Hooks on again: refused again.
        reload(CONF, 2)
        self.assertEqual("NetStream.Publish.Rejected", rtmp_status(self.srs.rtmp, "?token=bad", "c", False))
        self.assertIsNone(pub.poll(), self.srs.log()[-2000:])
        r = T.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", self.rtmp("a?token=good"), "-t", "0.5",
                   "-c", "copy", "-f", "null", "-"], timeout=20)
        self.assertEqual(0, r.returncode, r.stderr)

    def test_on_hls(self):
        pub = T.ffmpeg_publish_small("rtmp://127.0.0.1:%d/live?vhost=hls/h" % self.srs.rtmp, 6)
        self.procs.append(pub)
        self.assertTrue(T.wait_for(lambda: len(self.hooks.events(lambda b: b["action"] == "on_hls")) >= 2, 15),
                        self.srs.log()[-2000:])
        hls = [b for _, b in self.hooks.events(lambda b: b["action"] == "on_hls")]
        for i, b in enumerate(hls[:2]):
            self.assertEqual("hls", b["vhost"])
            self.assertEqual("live", b["app"])
            self.assertEqual("h", b["stream"])
            self.assertEqual(i, b["seq_no"])
            self.assertEqual("live/h-%d.ts" % i, b["url"])
            self.assertEqual("live/h.m3u8", b["m3u8_url"])
            self.assertTrue(os.path.exists(b["file"]) or b["file"].endswith("h-%d.ts" % i), b)
            self.assertGreater(b["duration"], 0.5)
            self.assertEqual("hls/live/h", b["stream_url"])  # as SRS: vhost/app/stream
            self.assertTrue(b["client_id"] and b["stream_id"] and b["server_id"], b)
            self.assertTrue(b["tcUrl"].startswith("rtmp://"), b)
        self.assertTrue(T.wait_for(lambda: [p for p, _ in self.hooks.events(lambda b: b["action"] == "notify")
                                            if p == "/notify/live/h/live/h-0.ts"], 5),
                        [p for p, _ in self.hooks.events(lambda b: b["action"] == "notify")])

    def test_hls_sessions(self):
        pub = T.ffmpeg_publish_small("rtmp://127.0.0.1:%d/live?vhost=hls/h" % self.srs.rtmp, 25)
        self.procs.append(pub)
        self.assertTrue(T.wait_for(lambda: len(self.hooks.events(lambda b: b["action"] == "on_hls")) >= 2, 15),
                        self.srs.log()[-2000:])
        base = "http://127.0.0.1:%d" % self.srs.http

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **kw):
                return None

        opener = urllib.request.build_opener(NoRedirect)

        def get(path, headers=None):
            req = urllib.request.Request(base + path, headers=dict({"Host": "hls"}, **(headers or {})))
            try:
                with opener.open(req, timeout=5) as r:
                    return r.status, r.headers, r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.headers, e.read()

        # A new player: a variant playlist of the same path with its session id after the other
        # params (as SRS; a 302 before).
        status, headers, body = get("/live/h.m3u8?token=good", {"Referer": "http://page.example/player"})
        self.assertEqual(200, status, self.srs.log()[-2000:])
        lines = body.decode().splitlines()
        # Its attributes are the stream's multivariant playlist's (issue 18): 160x120 H.264.
        self.assertEqual("#EXTM3U", lines[0], body)
        self.assertRegex(lines[1], r'^#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,CODECS="avc1\.[0-9a-f]{6}",'
                                   r'RESOLUTION=160x120$', body)
        loc = lines[2]
        m = re.match(r"^/live/h\.m3u8\?token=good&hls_ctx=([0-9A-Za-z]+)$", loc)
        self.assertTrue(m, loc)
        ctx = m.group(1)
        # With it: the playlist, whose segments carry the id; a segment plays.
        status, _, body = get(loc)
        self.assertEqual(200, status)
        segs = [ln for ln in body.decode().splitlines() if ln and not ln.startswith("#")]
        self.assertTrue(segs, body)
        for uri in segs:
            self.assertTrue(uri.endswith(".ts?hls_ctx=" + ctx), body)
        status, _, ts = get("/live/" + segs[0])
        self.assertEqual(200, status)
        self.assertGreater(len(ts), 188)
        self.assertEqual(0x47, ts[0])
        t_last = time.time()

        plays = [b for _, b in self.hooks.events(lambda b: b["action"] == "on_play" and b["vhost"] == "hls")]
        self.assertEqual(1, len(plays), plays)
        play = plays[0]
        self.assertEqual(ctx, play["client_id"])
        self.assertEqual("127.0.0.1", play["ip"])
        self.assertEqual(("live", "h"), (play["app"], play["stream"]))
        self.assertEqual("?token=good", play["param"])
        self.assertEqual("http://page.example/player", play["pageUrl"])
        self.assertEqual("hls/live/h", play["stream_url"])
        self.assertTrue(play["stream_id"] and play["server_id"], play)
        # The session is an hls-play client of the API.
        with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/clients/%s" % (self.srs.api, ctx), timeout=5) as r:
            client = json.loads(r.read())["client"]
        self.assertEqual("hls-play", client["type"])

        # A refused token: 403 and no session.
        status, _, _ = get("/live/h.m3u8?token=bad")
        self.assertEqual(403, status)

        # ffmpeg follows the variant and plays through the session.
        r = T.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-headers", "Host: hls\r\n", "-i",
                   base + "/live/h.m3u8", "-t", "3", "-c", "copy", "-f", "null", "-"], timeout=30)
        self.assertEqual(0, r.returncode, r.stderr)
        ff = [b for _, b in self.hooks.events(lambda b: b["action"] == "on_play" and b["vhost"] == "hls"
                                              and b["client_id"] != ctx and b["param"] == "")]
        self.assertEqual(1, len(ff), ff)

        # A kicked session ends at once (within the 1 s check).
        status, headers, body = get("/live/h.m3u8")
        kicked = re.search(r"hls_ctx=([0-9A-Za-z]+)", body.decode()).group(1)
        req = urllib.request.Request("http://127.0.0.1:%d/api/v1/clients/%s" % (self.srs.api, kicked),
                                     method="DELETE")
        with urllib.request.urlopen(req, timeout=5) as r:
            self.assertEqual(0, json.loads(r.read())["code"])
        self.assertTrue(T.wait_for(lambda: self.hooks.events(
            lambda b: b["action"] == "on_stop" and b["client_id"] == kicked), 3))

        # The first player stopped at t_last: on_stop after the timeout (max(3 x 1 s, 10 s)),
        # with its client id, and it left the API.
        self.assertTrue(T.wait_for(lambda: self.hooks.events(
            lambda b: b["action"] == "on_stop" and b["client_id"] == ctx), 15), self.srs.log()[-2000:])
        stop = [b for _, b in self.hooks.events(lambda b: b["action"] == "on_stop" and b["client_id"] == ctx)][0]
        self.assertGreater(time.time() - t_last, 9)
        self.assertEqual(("hls", "live", "h", "?token=good"), (stop["vhost"], stop["app"], stop["stream"],
                                                              stop["param"]))
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/clients/%s" % (self.srs.api, ctx),
                                        timeout=5) as r:
                code = json.loads(r.read()).get("code")
        except urllib.error.HTTPError as e:
            code = e.code
        self.assertNotEqual(0, code)
        # ffmpeg's session ended too.
        self.assertTrue(T.wait_for(lambda: self.hooks.events(
            lambda b: b["action"] == "on_stop" and b["client_id"] == ff[0]["client_id"]), 5))


if __name__ == "__main__":
    T.main()
