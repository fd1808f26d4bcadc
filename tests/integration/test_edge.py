"""Edge and origin cluster with several real srs processes on loopback: an edge plays a stream
from its origin with the packets unchanged (ffmpeg framemd5), 50 players make one upstream
connection (the origin's client list), the pull closes after the last player; a dead first
origin is skipped and an origin killed mid-stream is replaced by the next while the edge's
players stay connected; an origin cluster finds a stream published at another origin.
Runtime about 40 s."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import srs_testlib as T  # noqa: E402
from srs_rtmp_pyclient import RtmpClient, RtmpError  # noqa: E402

EDGE_VHOST = """
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
    hls {{ enabled on; hls_fragment 1; hls_window 4; hls_path {dir}/html; }}
"""

CLUSTER_ORIGIN = T.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
vhost __defaultVhost__ {{
    cluster {{ mode local; origin_cluster on; coworkers COWORKERS; }}
}}
"""


def api(port, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=5) as r:
        return json.loads(r.read().decode())


def play_clients(srs):
    return [c for c in api(srs.api, "/api/v1/clients/?count=1000")["clients"] if c.get("type") == "rtmp-play"]


def edge_of(origins):
    """An edge (not started) pulling from origins, a list of "host:port"."""
    return T.SrsProcess(T.edge_conf(origins, EDGE_VHOST), name="edge")


class Player(threading.Thread):
    """An RTMP player that drains the stream and counts audio/video messages, with the time of
    the last one."""

    def __init__(self, port, stream):
        super().__init__(daemon=True)
        self.port = port
        self.stream = stream
        self.nb_media = 0
        self.last_media = 0.0
        # (arrival, timestamp) of each video message, for T.assert_realtime.
        self.video = []
        self.error = None
        self.started = threading.Event()
        self.stopping = False
        self.client = None

    def run(self):
        try:
            self.client = RtmpClient("127.0.0.1", self.port, timeout=15)
            self.client.handshake()
            self.client.connect("live")
            self.client.play(self.stream)
            self.started.set()
            while not self.stopping:
                msg = self.client.read_message()
                if msg.type in (8, 9):
                    self.nb_media += 1
                    self.last_media = time.time()
                    if msg.type == 9:
                        self.video.append((self.last_media, msg.timestamp))
        except (RtmpError, OSError) as e:
            if not self.stopping:
                self.error = e
        finally:
            self.started.set()

    def stop(self):
        self.stopping = True
        if self.client:
            self.client.close()


def framemd5_hashes(args, timeout=30):
    """The packet hashes of ffmpeg's framemd5 of the video only (stream copy)."""
    r = T.run(["ffmpeg", "-hide_banner", "-loglevel", "error", *args], timeout=timeout)
    return [line.split(",")[-1].strip() for line in r.stdout.splitlines() if line and not line.startswith("#")]


@unittest.skipUnless(T.have("ffmpeg"), "needs ffmpeg")
class EdgeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = T.SrsProcess(name="media")
        cls.media = os.path.join(cls.tmp.dir, "src.flv")
        T.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
               "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "6", "-c:v", "libx264",
               "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-ar", "44100", "-f", "flv", cls.media], timeout=60)
        assert os.path.getsize(cls.media) > 0

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.procs = []
        self.pubs = []
        self.players = []

    def tearDown(self):
        for p in self.players:
            p.stop()
        for p in self.pubs:
            if p.poll() is None:
                p.kill()
            p.wait()
        for s in self.procs:
            s.cleanup()

    def start(self, srs):
        self.procs.append(srs)
        return srs.start()

    def publish(self, srs, stream):
        """The media file, looped in real time, to rtmp://srs/live/stream."""
        p = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i",
                              self.media, "-c", "copy", "-f", "flv",
                              "rtmp://127.0.0.1:%d/live/%s" % (srs.rtmp, stream)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.pubs.append(p)
        ok = T.wait_for(lambda: any(s["name"] == stream and s["publish"]["active"]
                                    for s in api(srs.api, "/api/v1/streams/")["streams"]), 10)
        self.assertTrue(ok, "publish %s to %d" % (stream, srs.rtmp))
        return p

    def player(self, srs, stream):
        p = Player(srs.rtmp, stream)
        p.start()
        self.players.append(p)
        return p

    def test_play_identical_one_upstream_idle_close(self):
        origin = self.start(T.SrsProcess(T.ORIGIN_CONF, name="origin"))
        edge = self.start(edge_of(["127.0.0.1:%d" % origin.rtmp]))
        self.publish(origin, "s")
        server_id = api(origin.api, "/api/v1/versions")["server"]

        # The packets through the edge are the file's: a contiguous run of the file's video
        # packets (the file loops), from the keyframe the edge's GOP cache starts with.
        src = framemd5_hashes(["-i", self.media, "-map", "0:v", "-c", "copy", "-f", "framemd5", "-"])
        got = framemd5_hashes(["-i", "rtmp://127.0.0.1:%d/live/s" % edge.rtmp, "-map", "0:v", "-c", "copy", "-t",
                               "3", "-f", "framemd5", "-"])
        self.assertGreater(len(got), 40, "frames through the edge")
        self.assertIn(got[0], src)
        start = src.index(got[0])
        expect = [src[(start + i) % len(src)] for i in range(len(got))]
        self.assertEqual(expect, got)

        # 50 players on the edge (and one HTTP-FLV): one play connection at the origin.
        players = [self.player(edge, "s") for _ in range(50)]
        for p in players:
            p.started.wait(15)
        self.assertTrue(T.wait_for(lambda: all(p.nb_media > 10 for p in players), 15),
                        [p.nb_media for p in players])
        # Every player plays in real time after its join's burst, not just the GOP cache.
        t0 = time.time()
        time.sleep(3.0)
        t1 = time.time()
        for i, p in enumerate(players):
            T.assert_realtime(self, list(p.video), max(t0, p.video[0][0] + 1.0), t1, "edge player %d" % i)
        flv = T.run(["curl", "-s", "-m", "2", "-o", "/dev/null", "-w", "%{size_download}",
                     "http://127.0.0.1:%d/live/s.flv" % edge.http], timeout=10)
        self.assertGreater(int(flv.stdout or 0), 10000, "HTTP-FLV from the edge")
        # HLS is written from the edge's hub while the stream is pulled.
        self.assertTrue(T.wait_for(lambda: "#EXTINF" in T.read_text(os.path.join(edge.dir, "html/live/s.m3u8")), 10))
        ups = play_clients(origin)
        print("origin play clients with 50 edge players: %d %s" % (len(ups), [(c["id"], c["ip"]) for c in ups]))
        self.assertEqual(1, len(ups))
        self.assertEqual(50, len(play_clients(edge)))
        self.assertEqual([], [p.error for p in players if p.error])

        # Traceability: the edge names the origin's server id and the upstream connection's
        # id, which is the origin's client id of the pull.
        log = edge.log()
        self.assertIn("server_id=%s" % server_id, log)
        self.assertIn("cid=%s" % ups[0]["id"], log)
        pulls = api(edge.api, "/api/v1/clusters")["pulls"]
        self.assertEqual(1, len(pulls))
        self.assertEqual("playing", pulls[0]["state"])
        self.assertEqual(server_id, pulls[0]["upstream"]["server_id"])
        # The 50 RTMP players, and the HTTP-FLV one while the edge has not yet seen it leave.
        self.assertIn(pulls[0]["players"], (50, 51))

        # The last player leaves: the upstream closes after the idle time.
        for p in players:
            p.stop()
        t0 = time.time()
        self.assertTrue(T.wait_for(lambda: not play_clients(origin), 10), play_clients(origin))
        print("upstream closed %.1f s after the last edge player left" % (time.time() - t0))
        self.assertIn("no player left", edge.log())

    def test_failover(self):
        o1 = self.start(T.SrsProcess(T.ORIGIN_CONF, name="o1"))
        o2 = self.start(T.SrsProcess(T.ORIGIN_CONF, name="o2"))
        dead = T.free_port()
        edge = self.start(edge_of(["127.0.0.1:%d" % dead, "127.0.0.1:%d" % o1.rtmp, "127.0.0.1:%d" % o2.rtmp]))
        self.publish(o1, "f")
        self.publish(o2, "f")

        # The dead first origin is skipped: the pull lands on o1.
        p = self.player(edge, "f")
        self.assertTrue(T.wait_for(lambda: p.nb_media > 50, 15), p.nb_media)
        self.assertEqual(1, len(play_clients(o1)))
        self.assertEqual(0, len(play_clients(o2)))

        # o1 dies mid-stream: the edge moves to o2 and the player keeps playing.
        o1.proc.send_signal(signal.SIGKILL)
        o1.proc.wait()
        killed = time.time()
        before = p.nb_media
        self.assertTrue(T.wait_for(lambda: p.nb_media > before + 100, 15), (before, p.nb_media))
        print("failover: %d media messages before the kill, %d after, resumed within %.1f s" %
              (before, p.nb_media, time.time() - killed))
        # After the switch the player plays on in real time, not only o2's GOP cache.
        t0 = time.time() + 1.0
        time.sleep(3.5)
        T.assert_realtime(self, list(p.video), t0, time.time(), "player after the failover")
        self.assertIsNone(p.error)
        self.assertTrue(p.is_alive())
        self.assertEqual(1, len(play_clients(o2)))
        pulls = api(edge.api, "/api/v1/clusters")["pulls"]
        self.assertEqual("127.0.0.1:%d" % o2.rtmp, pulls[0]["origin"])
        self.assertGreaterEqual(pulls[0]["switches"], 1)

    def test_origin_cluster(self):
        o1 = T.SrsProcess(CLUSTER_ORIGIN, name="o1")
        o2 = T.SrsProcess(CLUSTER_ORIGIN, name="o2")
        o1.write_config(CLUSTER_ORIGIN.replace("COWORKERS", "127.0.0.1:%d" % o2.api))
        o2.write_config(CLUSTER_ORIGIN.replace("COWORKERS", "127.0.0.1:%d" % o1.api))
        self.start(o1)
        self.start(o2)
        # The edge asks o2 first, which has not the stream.
        edge = self.start(edge_of(["127.0.0.1:%d" % o2.rtmp, "127.0.0.1:%d" % o1.rtmp]))
        self.publish(o1, "c")

        # o1 answers the coworker query; o2 does not have it.
        j = api(o1.api, "/api/v1/clusters?vhost=__defaultVhost__&ip=&app=live&stream=c&coworker=127.0.0.1:%d" % o1.api)
        self.assertEqual(0, j["code"])
        self.assertEqual({"ip": "127.0.0.1", "port": o1.rtmp}, {k: j["data"]["origin"][k] for k in ("ip", "port")})
        self.assertNotEqual(0, api(o2.api, "/api/v1/clusters?vhost=__defaultVhost__&app=live&stream=c")["code"])

        p = self.player(edge, "c")
        self.assertTrue(T.wait_for(lambda: p.nb_media > 50, 15), p.nb_media)
        # The edge pulls from o2, which pulls from o1.
        self.assertEqual(1, len(play_clients(o2)))
        self.assertEqual(1, len(play_clients(o1)))
        self.assertEqual("127.0.0.1:%d" % o2.rtmp, api(edge.api, "/api/v1/clusters")["pulls"][0]["origin"])
        # A stream that o2 pulls is not o2's to give: asked, it says it has not the stream.
        self.assertNotEqual(0, api(o2.api, "/api/v1/clusters?vhost=__defaultVhost__&app=live&stream=c")["code"])

    def test_publish_on_edge_reaches_origin(self):
        origin = self.start(T.SrsProcess(T.ORIGIN_CONF, name="origin"))
        # The first origin is dead: the push moves on to the live one.
        edge = self.start(edge_of(["127.0.0.1:%d" % T.free_port(), "127.0.0.1:%d" % origin.rtmp]))
        self.publish(edge, "up")
        self.assertTrue(T.wait_for(lambda: any(s["name"] == "up" and s["publish"]["active"]
                                               for s in api(origin.api, "/api/v1/streams/")["streams"]), 15),
                        edge.log()[-3000:])
        p = self.player(origin, "up")
        self.assertTrue(T.wait_for(lambda: p.nb_media > 50, 15), p.nb_media)
        # Players of the edge get the local publish, the edge does not pull it back.
        q = self.player(edge, "up")
        self.assertTrue(T.wait_for(lambda: q.nb_media > 50, 15), q.nb_media)
        self.assertEqual([], api(edge.api, "/api/v1/clusters")["pulls"])
        self.assertIn("pushed to origin", edge.log())

        # The encoder stops: the origin's stream ends with it (the push finishes, FCUnpublish).
        self.pubs[-1].terminate()
        self.assertTrue(T.wait_for(lambda: not any(s["name"] == "up" and s["publish"]["active"]
                                                   for s in api(origin.api, "/api/v1/streams/")["streams"]), 10))

    @unittest.skipUnless(T.have("curl") and T.have("ffprobe"), "needs curl and ffprobe")
    def test_http_flv_first_player(self):
        # An HTTP-FLV player alone starts the pull (the stream is not mounted at the edge yet).
        origin = self.start(T.SrsProcess(T.ORIGIN_CONF, name="origin"))
        edge = self.start(edge_of(["127.0.0.1:%d" % origin.rtmp]))
        self.publish(origin, "h")
        out = os.path.join(edge.dir, "h.flv")
        T.run(["curl", "-s", "-m", "3", "-o", out, "http://127.0.0.1:%d/live/h.flv" % edge.http], timeout=10)
        probe = T.run(["ffprobe", "-hide_banner", "-loglevel", "error", "-show_entries", "stream=codec_name",
                       "-of", "csv=p=0", out])
        self.assertEqual(["aac", "h264"], sorted(probe.stdout.split()))

    def test_token_traverse(self):
        # The origin takes only clients of pages at example.com; the edge has no rule of its own
        # and asks the origin with each client's connect.
        origin = self.start(T.SrsProcess(T.ORIGIN_CONF.replace("vhost __defaultVhost__ {{ }}",
                                                               "vhost __defaultVhost__ {{ refer {{ enabled on; "
                                                               "all example.com; }} }}"), name="origin"))
        edge = T.SrsProcess(T.edge_conf(["127.0.0.1:%d" % origin.rtmp], EDGE_VHOST)
                            .replace("mode remote;", "mode remote; token_traverse on;"), name="edge")
        self.start(edge)

        def connect(page):
            c = RtmpClient("127.0.0.1", edge.rtmp, timeout=10)
            try:
                c.handshake()
                c.connect("live", "rtmp://127.0.0.1:%d/live?token=t0k3n" % edge.rtmp, {"pageUrl": page})
                return True
            except RtmpError:
                return False
            finally:
                c.close()

        self.assertTrue(connect("http://www.example.com/player.html"))
        self.assertFalse(connect("http://evil.example.org/player.html"))
        # The client's tcUrl, with its token, reached the origin.
        self.assertIn("live?token=t0k3n", origin.log())
        self.assertIn("token traverse", edge.log())

    @unittest.skipUnless(T.have("redis-server") and T.have("redis-cli"), "needs redis-server")
    def test_origin_cluster_redis(self):
        port = T.free_port()
        redis_dir = T.SrsProcess(name="redis")
        self.procs.append(redis_dir)
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", redis_dir.dir],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.pubs.append(redis)
        self.assertTrue(T.wait_for(lambda: T.port_open(port), 10))

        def cli(*args):
            return T.run(["redis-cli", "-p", str(port), *args], timeout=10).stdout.strip()

        conf = CLUSTER_ORIGIN.replace("coworkers COWORKERS;", "redis 127.0.0.1:%d;" % port)
        o1 = self.start(T.SrsProcess(conf, name="o1"))
        o2 = self.start(T.SrsProcess(conf, name="o2"))
        edge = self.start(edge_of(["127.0.0.1:%d" % o2.rtmp, "127.0.0.1:%d" % o1.rtmp]))
        pub = self.publish(o1, "r")
        key = "srs:stream:__defaultVhost__/live/r"
        self.assertTrue(T.wait_for(lambda: cli("GET", key) == "127.0.0.1:%d" % o1.rtmp, 5), cli("GET", key))
        self.assertGreater(int(cli("TTL", key)), 0)

        # The edge asks o2, which finds o1 in the registry and pulls from it.
        p = self.player(edge, "r")
        self.assertTrue(T.wait_for(lambda: p.nb_media > 50, 15), p.nb_media)
        self.assertEqual(1, len(play_clients(o2)))
        self.assertEqual(1, len(play_clients(o1)))
        self.assertIn("is published at 127.0.0.1:%d" % o1.rtmp, o2.log())

        # The publish ends: the entry goes.
        pub.terminate()
        self.assertTrue(T.wait_for(lambda: cli("EXISTS", key) == "0", 10), cli("GET", key))


if __name__ == "__main__":
    T.main()
