"""srs_bench publishes MP4 files made by ffmpeg as enhanced RTMP (issue 17), and real clients read
what the server makes of them. Only what works with today's server is checked here:

- HEVC+AAC (hvc1 ex-headers, legacy AAC): the HLS stream read by ffprobe/ffmpeg over HTTP, the DVR
  MP4 whose HEVC packets must be the source's packets (sizes in order, over the loops) and cover
  at least 80 % of the publish time (not more than real time either), and the API's codec info.
- H.264+AAC from an MP4 (legacy tags): ffprobe plays HTTP-FLV at >= 80 % of real time.
- Multitrack and fourCcList (doc/enhanced-rtmp.md, "What an RTMP player gets"): srs_bench --tracks 2
  and a python ManyTracksManyCodecs publisher; legacy and enhanced python players check the tags
  they receive.
- VP9+AAC: the API shows the VP9 picture size, read from the first keyframe (vpcC has none).

HEVC in the HLS/HTTP-TS segments is in test_exrtmp_hevc_ts.py, forward and edge in
test_exrtmp_cluster.py, the DVR MP4 of every codec in test_exrtmp_dvr.py, HTTP-MP4 (fMP4) in
test_http_mp4.py."""

import os
import socket
import subprocess
import threading
import time

import srs_exrtmp
import srs_testlib
from srs_exrtmp import FPS, HEVC, SOURCE_SECONDS, decode, hls_playlist, http_get, probe_json, video_packets
from srs_rtmp_pyclient import AUDIO, VIDEO, RtmpClient
from srs_testlib import wait_for

CONFIG = srs_testlib.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
    hls {{ enabled on; hls_path {dir}/html; hls_fragment 1; hls_window 60; }}
    dvr {{ enabled on; dvr_path {dir}/dvr/[app]/[stream].mp4; dvr_plan session; }}
}}
"""

PUBLISH_SECONDS = 8


def play_collect(port, stream, seconds, fourccs=None):
    """Plays stream with the python RTMP client for `seconds`, announcing fourCcList when given:
    the (type, payload) of every audio/video message received."""
    extra = {"fourCcList": list(fourccs)} if fourccs is not None else None
    c = RtmpClient("127.0.0.1", port, timeout=5)
    got = []
    try:
        c.handshake()
        c.connect("live", extra=extra)
        c.play(stream)
        got += [(m.type, m.payload) for m in c.pending if m.type in (AUDIO, VIDEO)]
        c.sock.settimeout(1)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                m = c.read_message()
            except socket.timeout:
                continue
            if m.type in (AUDIO, VIDEO):
                got.append((m.type, m.payload))
    finally:
        c.close()
    return got


def video_tracks(payload):
    """(multitrack type, [(fourcc, track id)]) of an enhanced multitrack video tag, else None."""
    if len(payload) < 2 or not (payload[0] & 0x80) or (payload[0] & 0x0F) != 6:
        return None
    mt, pos = payload[1] >> 4, 2
    fourcc = None
    if mt != 2:
        fourcc, pos = payload[pos:pos + 4].decode(), pos + 4
    tracks = []
    while pos < len(payload):
        if mt == 2:
            fourcc, pos = payload[pos:pos + 4].decode(), pos + 4
        tid, pos = payload[pos], pos + 1
        if mt == 0:
            tracks.append((fourcc, tid))
            break
        size = int.from_bytes(payload[pos:pos + 3], "big")
        pos += 3 + size
        tracks.append((fourcc, tid))
    return mt, tracks


class ExRtmpPublishTest(srs_exrtmp.ExRtmpTestCase):
    CONFIG = CONFIG

    @classmethod
    def make_samples(cls):
        cls.sample("hevc", HEVC)
        cls.sample("h264", ["-c:v", "libx264", "-bf", "2"])

    def publish(self, stream, name, seconds, extra=()):
        return self.publish_sample(self.srs, stream, self.samples[name], seconds, extra)

    def test_hevc_aac_to_hls_dvr_and_api(self):
        bench = self.publish("hevc", "hevc", PUBLISH_SECONDS)
        video = self.wait_api_video(self.srs, "hevc", "codec", "HEVC")
        self.assertEqual(("Main", 320, 240), (video["profile"], video["width"], video["height"]), video)

        self.finish_publish(bench, PUBLISH_SECONDS)
        dvr = os.path.join(self.srs.dir, "dvr", "live", "hevc.mp4")
        self.assertTrue(wait_for(lambda: os.path.exists(dvr), 10), self.srs.log()[-3000:])

        # The DVR's HEVC packets are the source's, in order, loop after loop, with their
        # composition times: a tag the server misread (a wrong header length, a lost cts, a
        # dropped frame) breaks the sequence.
        src = video_packets(self.samples["hevc"])
        self.assertEqual(FPS * SOURCE_SECONDS, len(src))
        self.assertTrue(any(cts != 0 for _, cts in src), "the source has B-frames")
        got = video_packets(dvr)
        expected = FPS * PUBLISH_SECONDS
        self.assertGreaterEqual(len(got), srs_testlib.REALTIME_RATIO * expected,
                                "DVR has %d of %d frames" % (len(got), expected))
        # Real-time speed, not a burst: at most one GOP more than the wall time allows.
        self.assertLessEqual(len(got), expected + FPS, "DVR has %d frames for %d s" % (len(got), PUBLISH_SECONDS))
        want = [src[i % len(src)] for i in range(len(got))]
        self.assertEqual(want, got)
        streams = probe_json(dvr, "-show_entries", "stream=codec_name,width,height")["streams"]
        self.assertEqual([("hevc", 320, 240), ("aac", None, None)],
                         [(s["codec_name"], s.get("width"), s.get("height")) for s in streams])

        # HLS over HTTP, as a player reads it from the first segment: HEVC 320x240 and AAC, every
        # frame decodes. The playlist is live (no ENDLIST: ffmpeg would wait for more), so its
        # segments are fetched as a player does and read back to back.
        playlist, segments = hls_playlist(self.srs.http, "/live/hevc.m3u8")
        self.assertGreaterEqual(len(segments), PUBLISH_SECONDS // 2, playlist)
        ts = os.path.join(self.srs.dir, "hls.ts")
        with open(ts, "wb") as f:
            for seg in segments:
                f.write(http_get(self.srs.http, seg))
        d = probe_json(ts, "-count_packets", "-show_entries", "stream=codec_name,width,height,nb_read_packets")
        codecs = {s["codec_name"]: s for s in d["streams"]}
        self.assertEqual({"hevc", "aac"}, set(codecs), d)
        self.assertEqual((320, 240), (codecs["hevc"]["width"], codecs["hevc"]["height"]))
        # The listed segments (the last one is still open) hold every frame of their duration.
        listed = sum(float(x.split(":")[1].rstrip(",")) for x in playlist.splitlines() if x.startswith("#EXTINF:"))
        self.assertGreaterEqual(listed, PUBLISH_SECONDS - 3, playlist)
        self.assertGreaterEqual(int(codecs["hevc"]["nb_read_packets"]), 0.9 * listed * FPS, (d, playlist))
        self.assertEqual((0, ""), decode(ts), "ffmpeg decoding the HLS stream")

    def play_all(self, stream, seconds, lists):
        """Plays stream with one client per fourCcList of lists (None: a legacy player) at once."""
        got = [None] * len(lists)

        def run(i):
            got[i] = play_collect(self.srs.rtmp, stream, seconds, lists[i])
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(lists))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 30)
        for i, g in enumerate(got):
            self.assertIsNotNone(g, "player %r" % (lists[i],))
        return got

    def test_multitrack_players_get_the_tracks_they_listed(self):
        # srs_bench --tracks 2: every video message is a ManyTracks hvc1 tag with tracks 0 and 1,
        # the audio legacy AAC. The rule (doc/enhanced-rtmp.md): a legacy player and one that lists
        # hvc1 get the messages as published; one that lists other codecs only gets no video and
        # still its legacy AAC.
        bench = self.publish("mt", "hevc", PUBLISH_SECONDS, ["--tracks", "2"])
        legacy, hevc, other = self.play_all("mt", 3, [None, ["hvc1", "mp4a"], ["av01", "vp09"]])
        for name, got in (("legacy", legacy), ("hvc1", hevc)):
            videos = [p for t, p in got if t == VIDEO]
            audios = [p for t, p in got if t == AUDIO]
            self.assertGreaterEqual(len(videos), FPS, "%s player: %d video tags" % (name, len(videos)))
            self.assertGreater(len(audios), 0, "%s player: no audio" % name)
            self.assertEqual({(1, (("hvc1", 0), ("hvc1", 1)))},
                             {(v[0], tuple(v[1])) for v in map(video_tracks, videos)}, name)
            self.assertTrue(all(a[0] >> 4 == 10 for a in audios), name)
        self.assertEqual([], [p[:8] for t, p in other if t == VIDEO], "a player of av01/vp09 got hvc1 video")
        self.assertGreater(len([p for t, p in other if t == AUDIO]), 0, "a player of av01/vp09 lost its AAC")
        self.finish_publish(bench, PUBLISH_SECONDS)
        self.assertIn("messages left out and 0 rewritten for the player's fourCcList", self.srs.log())

    def test_multitrack_many_codecs_rewritten_per_player(self):
        # A ManyTracksManyCodecs tag (hvc1 track 0, av01 track 1) from a python publisher: a player
        # that lists av01 only gets the tag rewritten with the av01 track; the others get it as sent.
        def tag(i):
            hv = b"H" * (20 + i % 7)
            av = b"A" * (10 + i % 5)
            head = bytes([0x96 if i % 25 == 0 else 0xA6, 0x23])
            t0 = b"hvc1" + bytes([0]) + len(hv).to_bytes(3, "big") + hv
            t1 = b"av01" + bytes([1]) + len(av).to_bytes(3, "big") + av
            return head + t0 + t1, head + t1
        stop = threading.Event()

        def publish():
            c = RtmpClient("127.0.0.1", self.srs.rtmp, timeout=5)
            try:
                c.handshake()
                c.connect("live", extra={"fourCcList": ["hvc1", "av01"]})
                c.publish("mtmc")
                i = 0
                while not stop.is_set():
                    c.send_media(VIDEO, tag(i)[0], i * 40)
                    i += 1
                    time.sleep(0.04)
            finally:
                c.close()
        pub = threading.Thread(target=publish, daemon=True)
        pub.start()
        try:
            self.srs.wait_publishing("mtmc")
            legacy, both, star, av1 = self.play_all("mtmc", 2, [None, ["hvc1", "av01"], ["*"], ["av01"]])
        finally:
            stop.set()
            pub.join(10)
        sent = {tag(i)[0] for i in range(175)}
        rewritten = {tag(i)[1] for i in range(175)}
        for name, got in (("legacy", legacy), ("hvc1+av01", both), ("*", star), ("av01", av1)):
            videos = [p for t, p in got if t == VIDEO]
            self.assertGreaterEqual(len(videos), 10, "%s player: %d video tags" % (name, len(videos)))
            self.assertTrue(set(videos) <= (rewritten if name == "av01" else sent),
                            "%s player: %r" % (name, [video_tracks(v) for v in videos[:3]]))

    def test_vp9_size_in_api(self):
        # vpcC has no picture size: the server reads it from the first keyframe's uncompressed
        # header (VP9 6.2), so the API shows it as for HEVC and AV1.
        self.sample("vp9", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-s", "318x178"])
        bench = self.publish("vp9", "vp9", 4)
        video = self.wait_api_video(self.srs, "vp9", "width", 318)
        self.assertEqual(("VP9", "Profile0", 318, 178), (video["codec"], video["profile"], video["width"],
                                                         video["height"]), video)
        self.finish_publish(bench, 4)

    def test_h264_aac_from_mp4_plays_over_http_flv_in_real_time(self):
        self.publish("h264", "h264", PUBLISH_SECONDS + 4)
        url = "http://127.0.0.1:%d/live/h264.flv" % self.srs.http
        # ffprobe prints each packet as it reads it: its arrival time against its timestamp is
        # what a viewer sees.
        p = subprocess.Popen(["ffprobe", "-v", "error", "-show_entries", "packet=codec_type,pts,dts",
                              "-select_streams", "v", "-of", "csv=p=0", url],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        samples = []

        def read():
            for line in p.stdout:
                parts = line.strip().split(",")
                if len(parts) >= 3 and parts[2].lstrip("-").isdigit():
                    samples.append((time.monotonic(), int(parts[2])))
        t = threading.Thread(target=read, daemon=True)
        start = time.monotonic()
        t.start()
        time.sleep(PUBLISH_SECONDS)
        end = time.monotonic()
        srs_testlib.stop_process(p)
        t.join(5)
        p.stdout.close()
        self.assertGreater(len(samples), 0, "ffprobe read no video packet")
        # After the join's GOP-cache burst (one second of media at most).
        srs_testlib.assert_realtime(self, samples, start + 2, end, "ffprobe over HTTP-FLV")


if __name__ == "__main__":
    srs_testlib.main()
