"""HLS with fMP4 segments (issue 18, `hls { hls_use_fmp4 on; }`), read by real clients.

- H.264+AAC published by ffmpeg over RTMP (an FLV made by ffmpeg, sent with -c copy, so the
  source packets are known), HEVC+AAC and AV1+Opus published by srs_bench as enhanced RTMP (MP4
  samples made by ffmpeg, srs_exrtmp.make_sample);
- the media playlist: EXT-X-VERSION:7, an EXT-X-MAP to the init segment, .m4s segments;
- ffprobe reads the live playlist (codec, profile, 320x240) through the session's multivariant
  playlist, as a player does;
- the playlist made a VOD one (EXT-X-ENDLIST added once the publish ended) is read by FFmpeg's
  HLS demuxer with `-c copy -f framemd5`: per stream, the packets (size and MD5) are the
  source's, in order, loop after loop (the publishers loop the file, timestamps continuing),
  at least REALTIME_RATIO of what the publish time holds;
- the multivariant playlist ([stream]-master.m3u8, and the session's with hls_ctx) has the
  CODECS of the source (RFC 6381, from the sequence headers) and RESOLUTION=320x240;
- a republish: the next segment is preceded by EXT-X-DISCONTINUITY and a new EXT-X-MAP to
  another init segment file, both init segments are served, and ffprobe/ffmpeg still read the
  whole playlist."""

import os
import re
import subprocess
import urllib.parse

import srs_exrtmp
import srs_testlib
from srs_exrtmp import FPS, SOURCE_SECONDS, framemd5_packets, http_get, probe_json
from srs_testlib import wait_for

CONFIG = srs_testlib.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    hls {{
        enabled on; hls_path {dir}/html; hls_fragment 2; hls_window 60; hls_use_fmp4 on;
    }}
    # An .mp4 stream mount beside: its pattern matches the init segments' names too, and a
    # file that exists must be served, not taken for a stream waiting for its publisher.
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].mp4; }}
}}
"""

PUBLISH_SECONDS = 8
OPUS = ["-c:a", "libopus", "-b:a", "32k"]


def flv_avc_codecs(path):
    """RFC 6381 3.3 "avc1.PPCCLL" from the avcC of the first AVC sequence header of an FLV file
    (profile_idc, the constraint flags byte, level_idc), read here from the bytes ffmpeg wrote."""
    with open(path, "rb") as f:
        data = f.read()
    at = 9 + 4
    while at + 11 <= len(data):
        kind, size = data[at], int.from_bytes(data[at + 1:at + 4], "big")
        body = data[at + 11:at + 11 + size]
        if kind == 9 and len(body) > 9 and body[0] & 0x0F == 7 and body[1] == 0:
            return "avc1." + body[6:9].hex()
        at += 11 + size + 4
    raise AssertionError("no AVC sequence header in %s" % path)


def summary(url_or_path):
    """{codec_type: (codec_name, profile, width, height)} as ffprobe reads it."""
    d = probe_json(url_or_path, "-show_entries", "stream=codec_type,codec_name,profile,width,height")
    return {s["codec_type"]: (s["codec_name"], s.get("profile"), s.get("width"), s.get("height"))
            for s in d["streams"]}


def media_playlist(port, stream):
    """The media playlist text, read as a player does: the stream's URL answers a new player
    with a multivariant playlist naming the session's media playlist."""
    path = "/live/%s.m3u8" % stream
    text = http_get(port, path).decode()
    if "#EXT-X-STREAM-INF" in text:
        path = urllib.parse.urljoin(path, [x for x in text.splitlines() if x and not x.startswith("#")][0])
        text = http_get(port, path).decode()
    return path, text


def vod_copy(port, stream, out):
    """Writes the media playlist with absolute URIs and EXT-X-ENDLIST to out: the whole window as
    a VOD playlist FFmpeg reads from its first segment to its last."""
    path, text = media_playlist(port, stream)
    base = "http://127.0.0.1:%d%s" % (port, path)

    def absolute(m):
        return m.group(1) + urllib.parse.urljoin(base, m.group(2)) + m.group(3)

    lines = []
    for line in text.splitlines():
        if line.startswith("#EXT-X-MAP:"):
            line = re.sub(r'(URI=")([^"]+)(")', absolute, line)
        elif line and not line.startswith("#"):
            line = urllib.parse.urljoin(base, line)
        lines.append(line)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n#EXT-X-ENDLIST\n")
    return text


def hls_framemd5(playlist):
    """{codec_type: [(size, md5), ...]} of FFmpeg's HLS demuxer reading a local VOD playlist."""
    return framemd5_packets(playlist, "-protocol_whitelist", "file,http,tcp")


class HlsFmp4Test(srs_exrtmp.ExRtmpTestCase):
    CONFIG = CONFIG

    def publish_ffmpeg(self, stream, flv, seconds):
        """ffmpeg sends the FLV at flv as is (-c copy), looped, in real time, for `seconds`."""
        url = "rtmp://127.0.0.1:%d/live/%s" % (self.srs.rtmp, stream)
        p = subprocess.Popen(["ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", flv, "-t", str(seconds),
                              "-c", "copy", "-f", "flv", url], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.procs.append(p)
        self.srs.wait_publishing(stream, proc=p)
        return p

    def publish(self, name, stream):
        """Publishes sample `name` to live/<stream> for PUBLISH_SECONDS, and waits for its end."""
        src = self.samples[name]
        if src.endswith(".flv"):
            p = self.publish_ffmpeg(stream, src, PUBLISH_SECONDS)
            _, err = p.communicate(timeout=PUBLISH_SECONDS + 30)
            self.assertEqual(0, p.returncode, err.decode(errors="replace")[-2000:])
        else:
            self.finish_publish(self.publish_sample(self.srs, stream, src, PUBLISH_SECONDS), PUBLISH_SECONDS)
        # The last segment is closed at the unpublish.
        self.assertTrue(wait_for(lambda: "hls: unpublish __defaultVhost__/live/%s" % stream in self.srs.log(), 10))

    def check_playlist_text(self, text, nb_maps=1):
        self.assertTrue(text.startswith("#EXTM3U\n#EXT-X-VERSION:7\n"), text)
        maps = re.findall(r'^#EXT-X-MAP:URI="([^"]+)"$', text, re.M)
        self.assertEqual(nb_maps, len(maps), text)
        self.assertEqual(len(set(maps)), len(maps), "every init segment has its own name: %s" % text)
        uris = [x for x in text.splitlines() if x and not x.startswith("#")]
        self.assertGreaterEqual(len(uris), 3, text)
        self.assertTrue(all(re.search(r"\.m4s(\?|$)", u) for u in uris), text)
        # The first MAP comes before the first segment.
        self.assertLess(text.index("#EXT-X-MAP"), text.index("#EXTINF"), text)
        return maps

    def check_packets(self, name, got, src_packets, loops_from_start=True):
        for kind in ("video", "audio"):
            s = src_packets[kind]
            d = got.get(kind, [])
            per_second = len(s) / SOURCE_SECONDS
            expected = per_second * PUBLISH_SECONDS
            self.assertGreaterEqual(len(d), srs_testlib.REALTIME_RATIO * expected,
                                    "%s %s: the HLS has %d of %d packets" % (name, kind, len(d), expected))
            self.assertGreater(len(d), 0)
            # Video starts with the first keyframe the publisher sent (the source's first packet);
            # audio may lose its first frames, older than that keyframe (a track starts at the
            # segment's time 0): it starts at one of the source's first packets.
            start = 0 if kind == "video" else s.index(d[0]) if d[0] in s[:10] else -1
            self.assertTrue(0 <= start < 10, "%s %s: the first packet %s is not one of the source's first" %
                            (name, kind, d[0]))
            for i, p in enumerate(d):
                if p != s[(start + i) % len(s)]:
                    self.fail("%s %s packet %d (source packet %d of %d): HLS %s, source %s" %
                              (name, kind, i, (start + i) % len(s), len(s), p, s[(start + i) % len(s)]))

    def check_master(self, stream, codecs):
        master = http_get(self.srs.http, "/live/%s-master.m3u8" % stream).decode()
        m = re.search(r'#EXT-X-STREAM-INF:BANDWIDTH=(\d+),AVERAGE-BANDWIDTH=(\d+),CODECS="([^"]+)",'
                      r'RESOLUTION=(\d+x\d+)\n', master)
        self.assertTrue(m, master)
        self.assertEqual((codecs, "320x240"), (m.group(3), m.group(4)), master)
        self.assertGreaterEqual(int(m.group(1)), int(m.group(2)))
        self.assertGreater(int(m.group(2)), 10000, master)
        # The session's multivariant playlist (hls_ctx is on) says the same.
        text = http_get(self.srs.http, "/live/%s.m3u8" % stream).decode()
        self.assertIn('CODECS="%s",RESOLUTION=320x240\n/live/%s.m3u8?hls_ctx=' % (codecs, stream), text)
        return master

    def run_codec(self, name, stream, want, codecs):
        self.publish(name, stream)
        url = "http://127.0.0.1:%d/live/%s.m3u8" % (self.srs.http, stream)
        self.assertEqual(want, summary(url), "ffprobe of the live playlist of %s" % name)
        local = os.path.join(self.srs.dir, "%s-vod.m3u8" % stream)
        text = vod_copy(self.srs.http, stream, local)
        self.check_playlist_text(text)
        self.check_packets(name, hls_framemd5(local), framemd5_packets(self.samples[name]))
        print("\n%s media playlist:\n%s" % (name, text))
        print("%s multivariant playlist:\n%s" % (name, self.check_master(stream, codecs)))

    @classmethod
    def make_samples(cls):
        cls.sample("h264", ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "2"], ext="flv")
        cls.sample("hevc", ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=none:bframes=2"])
        cls.sample("av1", ["-c:v", "libsvtav1", "-preset", "12"], OPUS)

    def test_h264_aac_from_ffmpeg(self):
        # The codec string from the source's own avcC (libx264 ultrafast: Main, constraint_set1, level
        # 1.3 at 320x240).
        codecs = flv_avc_codecs(self.samples["h264"])
        self.assertEqual("avc1.4d400d", codecs)
        self.run_codec("h264", "h264", {"video": ("h264", "Main", 320, 240), "audio": ("aac", "LC", None, None)},
                       codecs + ",mp4a.40.2")

    def test_hevc_aac(self):
        # x265 Main (profile 1, compatibility flags 1 and 2: "6" reversed), Main tier level 2
        # (60), progressive and frame-only source (constraint byte 0x90).
        self.run_codec("hevc", "hevc", {"video": ("hevc", "Main", 320, 240), "audio": ("aac", "LC", None, None)},
                       "hvc1.1.6.L60.90,mp4a.40.2")

    def test_av1_opus(self):
        # SVT-AV1 at 320x240: Main profile (0), seq_level_idx 0 (level 2.0), Main tier, 8 bits.
        self.run_codec("av1", "av1", {"video": ("av1", "Main", 320, 240), "audio": ("opus", None, None, None)},
                       "av01.0.00M.08,opus")

    def test_republish_new_map_with_discontinuity(self):
        stream = "re"
        self.publish("h264", stream)
        _, first = media_playlist(self.srs.http, stream)
        self.publish("h264", stream)
        local = os.path.join(self.srs.dir, "re-vod.m3u8")
        text = vod_copy(self.srs.http, stream, local)
        print("\nrepublished media playlist:\n%s" % text)
        maps = self.check_playlist_text(text, nb_maps=2)
        # The second MAP right after the DISCONTINUITY of the republish's first segment, and that
        # segment is the first one the playlist did not have before.
        self.assertEqual(1, text.count("#EXT-X-DISCONTINUITY\n"), text)
        self.assertIn('#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="%s"\n#EXTINF:' % maps[1], text)
        old_uris = [x for x in first.splitlines() if x and not x.startswith("#")]
        after = text.split("#EXT-X-DISCONTINUITY\n", 1)[1]
        first_new = [x for x in after.splitlines() if x and not x.startswith("#")][0]
        self.assertNotIn(first_new, old_uris)
        # Both init segments are there (the old one is still used by the window).
        for uri in maps:
            init = http_get(self.srs.http, urllib.parse.urljoin("/live/", uri))
            self.assertEqual(b"ftyp", init[4:8], uri)
        # ffprobe and FFmpeg's HLS demuxer read the whole of it: twice the publish's packets.
        self.assertEqual({"video": ("h264", "Main", 320, 240), "audio": ("aac", "LC", None, None)},
                         summary("http://127.0.0.1:%d/live/%s.m3u8" % (self.srs.http, stream)))
        got = hls_framemd5(local)
        src = framemd5_packets(self.samples["h264"])
        per_second = len(src["video"]) / SOURCE_SECONDS
        self.assertGreaterEqual(len(got.get("video", [])), srs_testlib.REALTIME_RATIO * 2 * per_second *
                                PUBLISH_SECONDS, "video packets of both publishes")
        self.assertEqual(FPS * SOURCE_SECONDS, len(src["video"]))

    def test_ram_storage_without_sessions(self):
        # hls_storage ram and hls_ctx off: nothing under hls_path, the playlists and the init
        # and media segments are served from memory, and the multivariant playlist is at its
        # fixed URL with a plain URI (no session).
        srs = self.start_server(CONFIG.replace("hls_use_fmp4 on;", "hls_use_fmp4 on; hls_storage ram; hls_ctx off;"),
                                name="ram")
        self.srs = srs
        self.publish("hevc", "ram")
        self.assertEqual([], os.listdir(os.path.join(srs.dir, "html")))
        master = http_get(srs.http, "/live/ram-master.m3u8").decode()
        print("\nRAM multivariant playlist:\n%s" % master)
        self.assertRegex(master, r'^#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,'
                                 r'CODECS="hvc1\.1\.6\.L60\.90,mp4a\.40\.2",RESOLUTION=320x240\nram\.m3u8\n$')
        # With hls_ctx off the stream's URL is the media playlist itself.
        self.check_playlist_text(http_get(srs.http, "/live/ram.m3u8").decode())
        self.assertEqual({"video": ("hevc", "Main", 320, 240), "audio": ("aac", "LC", None, None)},
                         summary("http://127.0.0.1:%d/live/ram-master.m3u8" % srs.http))
        local = os.path.join(srs.dir, "ram-vod.m3u8")
        vod_copy(srs.http, "ram", local)
        self.check_packets("hevc in RAM", hls_framemd5(local), framemd5_packets(self.samples["hevc"]))


if __name__ == "__main__":
    srs_testlib.main()
