"""MPEG-DASH live (issue 18): the server writes a dynamic MPD (isoff-live, SegmentTimeline with
$Time$, one AdaptationSet per media type) and per-track fMP4 segments, and serves them with the
UTCTiming time source from its HTTP server. Checked with real clients:

- H.264+AAC published by ffmpeg over RTMP (a sample file, stream copy), HEVC+AAC and AV1+Opus
  published as enhanced RTMP by srs_bench: ffprobe reads the MPD through FFmpeg's dash demuxer
  with the codecs and the picture size of the source, and the MPD says the RFC 6381 codecs;
- `ffmpeg -c copy -f framemd5` of the MPD: every packet (size and MD5) of each track is one of
  the source's, and at least two seconds of each are a contiguous run of the source's packets,
  looping. (FFmpeg 5.1's demuxer joins a live stream at a segment of its choosing and reads its
  first segment again while it waits for the next, whose repeated packets are left out; with
  x265's negative composition offsets it may also lose a segment after that: so the longest run
  is compared, not the whole read.)
- the UTCTiming URL the MPD names answers an ISO 8601 time within two seconds of the clock;
- segments that left the window and the time shift buffer are deleted, and every file goes
  after dash_dispose without a publisher; with dash_storage ram the same is served from memory;
- a reload of the dash section and a republish start new Periods whose decode times go on.
"""

import datetime
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request

import srs_exrtmp
import srs_testlib
from srs_exrtmp import AAC, FPS, HEVC, framemd5_packets, http_get, probe_json
from srs_testlib import wait_for

CONFIG = srs_testlib.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; crossdomain on; }}
vhost __defaultVhost__ {{
    dash {{
        enabled on; dash_path {dir}/html; dash_fragment 1; dash_update_period 1;
        dash_timeshift 3; dash_window_size 4; dash_cleanup on; dash_dispose 3;
    }}
    # An .mp4 stream mount beside: its pattern matches the init segments' names too, and a
    # file that exists must be served, not taken for a stream waiting for its publisher.
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].mp4; }}
}}
"""

PUBLISH_SECONDS = 14
H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "high"]
OPUS = ["-c:a", "libopus", "-b:a", "32k"]
AV1 = ["-c:v", "libsvtav1", "-preset", "12"]


def source_runs(source, packets):
    """(the longest run of packets that is the source's played in a loop, the packets that are
    not the source's at all). In a run each packet is the one after the previous in the source,
    or the source's first one (the publisher looped, possibly before the end: ffmpeg and srs_bench
    may leave out a last packet past the file's duration). A sine's audio packets repeat, so every
    position a run may be at is followed."""
    known = set(source)
    foreign = [p for p in packets if p not in known]
    longest, length, at = 0, 0, set()
    for x in packets:
        nxt = {j + 1 for j in at if j + 1 < len(source) and source[j + 1] == x}
        if source[0] == x and at:
            nxt.add(0)
        if nxt:
            length += 1
        else:
            # A new run (where FFmpeg's demuxer skipped or repeated a segment).
            nxt = {i for i, y in enumerate(source) if y == x}
            length = 1 if nxt else 0
        at = nxt
        longest = max(longest, length)
    return longest, foreign


class DashTest(srs_exrtmp.ExRtmpTestCase):
    CONFIG = CONFIG

    @classmethod
    def make_samples(cls):
        cls.sample("h264", H264)

    def mpd_url(self, stream):
        return "http://127.0.0.1:%d/live/%s.mpd" % (self.srs.http, stream)

    def stream_dir(self, stream):
        return os.path.join(self.srs.dir, "html", "live", stream)

    def mpd(self, stream):
        return http_get(self.srs.http, "/live/%s.mpd" % stream).decode()

    def wait_segments(self, stream, n):
        """Waits until the MPD lists n video segments; returns its text."""
        def listed():
            try:
                text = self.mpd(stream)
            except Exception:
                return 0
            video = text.split('contentType="audio"')[0]
            return video.count("<S t=")
        self.assertTrue(wait_for(lambda: listed() >= n, PUBLISH_SECONDS), self.srs.log()[-3000:])
        return self.mpd(stream)

    def publish_ffmpeg(self, stream, path):
        url = "rtmp://127.0.0.1:%d/live/%s" % (self.srs.rtmp, stream)
        p = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", path,
                              "-t", str(PUBLISH_SECONDS), "-c", "copy", "-f", "flv", url],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.procs.append(p)
        self.srs.wait_publishing(stream, proc=p)
        return p

    def check_stream(self, stream, source, vcodec, acodec, codecs_re):
        """The MPD of stream: its shape, what ffprobe reads through it, and packets that are the
        source's."""
        text = self.wait_segments(stream, 3)
        self.assertIn('profiles="urn:mpeg:dash:profile:isoff-live:2011"', text)
        self.assertIn('type="dynamic"', text)
        for attr in ("availabilityStartTime", "publishTime", "minimumUpdatePeriod=\"PT1S\"",
                     "timeShiftBufferDepth=\"PT3S\"", "minBufferTime", "suggestedPresentationDelay"):
            self.assertIn(attr, text)
        self.assertEqual(2, text.count("<AdaptationSet"), text)
        # The source's 25 fps, although the publishers loop the file (a gap at each loop).
        self.assertIn('width="320" height="240" frameRate="25"', text)
        for r in codecs_re:
            self.assertRegex(text, r)
        self.assertIn('media="%s/video-$Time$.m4s"' % stream, text)

        url = self.mpd_url(stream)
        d = probe_json(url, "-show_entries", "stream=codec_type,codec_name,width,height")
        got = sorted((s["codec_type"], s["codec_name"], s.get("width"), s.get("height")) for s in d["streams"])
        self.assertEqual(sorted([("audio", acodec, None, None), ("video", vcodec, 320, 240)]), got)

        src = framemd5_packets(source)
        r = subprocess.run(["ffmpeg", "-v", "error", "-i", url, "-map", "0", "-c", "copy", "-t", "5", "-f",
                            "framemd5", "-"], capture_output=True, text=True, timeout=60)
        self.assertEqual(0, r.returncode, r.stderr[-2000:])
        types = {i: s["codec_type"] for i, s in enumerate(d["streams"])}
        got, last_dts, seen = {}, {}, {}
        for line in r.stdout.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            f = [x.strip() for x in line.split(",")]
            # FFmpeg 5.1's dash demuxer, joining a live stream, reads its first segment again
            # while it waits for the next one (its log shows the same URL requested again); the
            # packets it reads again come out again, with the last timestamp (not advancing): a
            # packet already seen whose timestamp does not advance is left out. (A new packet's
            # timestamp may not advance either: FFmpeg shifts the decode times of a fragment with
            # negative composition offsets, x265's leading pictures, and framemd5 clamps them.)
            kind, dts, pkt = types[int(f[0])], int(f[1]), (int(f[4]), f[5])
            if kind in last_dts and dts <= last_dts[kind] and pkt in seen.get(kind, ()):
                continue
            last_dts[kind] = max(dts, last_dts.get(kind, dts))
            seen.setdefault(kind, set()).add(pkt)
            got.setdefault(kind, []).append(pkt)
        # Every packet is one of the source's, and two seconds of each track at least are a run
        # of the source's packets in order (25 fps video, 48 kHz AAC 21 ms or Opus 20 ms frames).
        for kind, per_second in (("video", FPS), ("audio", 46)):
            packets = got.get(kind, [])
            longest, foreign = source_runs(src[kind], packets)
            self.assertEqual([], foreign[:3], "%s: %d of %d packets are not the source's" % (
                kind, len(foreign), len(packets)))
            self.assertGreaterEqual(longest, 2 * per_second, "%s: the longest run of the source's packets is %d "
                                    "of %d" % (kind, longest, len(packets)))
        return text

    def test_h264_aac_ffmpeg(self):
        src = self.samples["h264"]
        self.publish_ffmpeg("h264", src)
        text = self.check_stream("h264", src, "h264", "aac", [r'codecs="avc1\.[0-9a-f]{6}"', 'codecs="mp4a.40.2"'])

        # The time source the MPD names, resolved against the MPD's URL as players do.
        m = re.search(r'<UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-iso:2014" value="([^"]+)"/>', text)
        self.assertTrue(m, text)
        utc = urllib.parse.urljoin(self.mpd_url("h264"), m.group(1))
        with urllib.request.urlopen(utc, timeout=5) as resp:
            self.assertEqual("*", resp.headers.get("Access-Control-Allow-Origin"))
            value = resp.read().decode()
        t = datetime.datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
        self.assertLess(abs(t.timestamp() - time.time()), 2.0, value)

        # Cleanup: with 1 s segments, a window of 4 and a 3 s time shift buffer, a segment goes
        # after about 4 s; the first ones are gone well before the end of the publish.
        d = self.stream_dir("h264")
        self.assertTrue(wait_for(lambda: not os.path.exists(os.path.join(d, "video-0.m4s")), PUBLISH_SECONDS),
                        sorted(os.listdir(d)))
        videos = [f for f in os.listdir(d) if f.startswith("video-") and f.endswith(".m4s")]
        self.assertLessEqual(len(videos), 8, sorted(os.listdir(d)))
        self.assertFalse([f for f in os.listdir(d) if f.endswith(".tmp")], os.listdir(d))

        # The publish ends: dash_dispose (3 s) later every file is gone.
        for p in self.procs:
            p.wait(timeout=PUBLISH_SECONDS + 30)
        mpd = os.path.join(self.srs.dir, "html", "live", "h264.mpd")
        self.assertTrue(wait_for(lambda: not os.path.exists(mpd) and not os.path.exists(d), 10),
                        os.listdir(os.path.dirname(mpd)))

    def test_reload_and_republish_start_new_periods(self):
        """A reload of the dash section restarts the stream's DASH at its next keyframe in a new
        Period, and so does a republish; the decode times ($Time$ names) go on across both."""
        src = self.samples["h264"]
        p = self.publish_ffmpeg("h264", src)
        self.wait_segments("h264", 2)
        n = self.srs.log().count("reload: changed")
        # (And a dispose time that outlives the republish below.)
        self.srs.write_config(CONFIG.replace("dash_window_size 4", "dash_window_size 5").replace(
            "dash_dispose 3", "dash_dispose 30"))
        self.srs.signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: self.srs.log().count("reload: changed") > n, 5), self.srs.log()[-3000:])
        line = [x for x in self.srs.log().splitlines() if "reload: changed" in x][-1]
        self.assertIn("vhost:__defaultVhost__:dash(1 streams)", line)

        def period_starts(text, pid):
            """The video S@t of Period pid in text, [] when the MPD has another Period."""
            if '<Period id="%s"' % pid not in text:
                return []
            video = text.split('contentType="audio"')[0]
            return [int(x) for x in re.findall(r'<S t="(\d+)"', video)]

        self.assertTrue(wait_for(lambda: period_starts(self.mpd("h264"), "p1"), 8), self.mpd("h264"))
        text = self.mpd("h264")
        self.assertIn('initialization="h264/video-init-1.mp4"', text)
        pto = int(re.search(r'presentationTimeOffset="(\d+)"', text).group(1))
        self.assertEqual(pto, period_starts(text, "p1")[0], text)
        self.assertTrue(os.path.exists(os.path.join(self.stream_dir("h264"), "video-init-1.mp4")))

        # Republish: Period p2, whose decode times continue where p1's last segment (the
        # unpublish wrote it) ends, although ffmpeg's timestamps start from 0 again (after the
        # end of the longer track: audio may end a frame later than video).
        srs_testlib.stop_process(p)
        self.assertTrue(wait_for(lambda: "source __defaultVhost__/live/h264: unpublished" in self.srs.log(), 10),
                        self.srs.log()[-2000:])
        time.sleep(0.5)
        video = self.mpd("h264").split('contentType="audio"')[0]
        t, d = [int(x) for x in re.findall(r'<S t="(\d+)" d="(\d+)"/>', video)[-1]]
        self.publish_ffmpeg("h264", src)
        self.assertTrue(wait_for(lambda: period_starts(self.mpd("h264"), "p2"), 8), self.mpd("h264"))
        gap = period_starts(self.mpd("h264"), "p2")[0] - (t + d)
        self.assertTrue(0 <= gap <= 90000 // 20, "p2 starts %d ticks after p1's end: %s" % (gap, self.mpd("h264")))
        self.assertTrue(os.path.exists(os.path.join(self.stream_dir("h264"), "video-init-2.mp4")))

    def test_ram_storage(self):
        """dash_storage ram: the HTTP server serves the MPD and the segments from memory, nothing
        is written under dash_path, and FFmpeg reads the source's packets from it."""
        self.srs.stop()
        self.srs = self.start_server(CONFIG.replace("dash_cleanup on;", "dash_cleanup on; dash_storage ram;"))
        src = self.samples["h264"]
        self.publish_ffmpeg("h264", src)
        self.check_stream("h264", src, "h264", "aac", [r'codecs="avc1\.[0-9a-f]{6}"', 'codecs="mp4a.40.2"'])
        self.assertFalse(os.path.exists(os.path.join(self.srs.dir, "html", "live")),
                         os.listdir(os.path.join(self.srs.dir, "html")))

    def test_hevc_aac_enhanced_rtmp(self):
        src = self.sample("hevc", HEVC)
        self.publish_sample(self.srs, "hevc", src, PUBLISH_SECONDS)
        text = self.check_stream("hevc", src, "hevc", "aac",
                                 [r'codecs="hvc1\.1\.6\.L\d+\.[0-9A-F.]+"', 'codecs="mp4a.40.2"'])
        # x265's keyframes are 1 s apart by presentation time but not by decode time (the
        # B-frames' delay varies): the segments follow the keyframes, about a second each.
        video = text.split('contentType="audio"')[0]
        durations = [int(d) for d in re.findall(r'<S t="\d+" d="(\d+)"/>', video)]
        self.assertTrue(durations and all(abs(d - 90000) <= 9000 for d in durations[1:]), text)

    def test_av1_opus_enhanced_rtmp(self):
        src = self.sample("av1", AV1, OPUS)
        self.publish_sample(self.srs, "av1", src, PUBLISH_SECONDS)
        self.check_stream("av1", src, "av1", "opus", [r'codecs="av01\.0\.\d\dM\.08"', 'codecs="opus"'])


if __name__ == "__main__":
    srs_testlib.main()
