"""The ffmpeg transcoder by the codecs of the published stream (issue 17): FFmpeg 5.1 reads only the
legacy FLV codecs over RTMP, so

- HEVC + AAC from the enhanced RTMP publisher (srs_bench, a sample made by ffmpeg at test time) is
  read by the engine from the vhost's HTTP-TS mount: ffprobe reads the transcoded RTMP stream as
  h264, and ffmpeg reads its frames at >= 80 % of real time at the source's 25 fps;
- AV1 + Opus, which neither RTMP (to FFmpeg 5.1) nor MPEG-TS carries: no ffmpeg is started (none
  among the server's children for seconds, no restart loop), one warning line names the codecs
  and what to do, and /api/v1/processes shows the engine "unsupported" with that reason;
- H.264 + AAC from ffmpeg is transcoded from rtmp:// as before.
"""

import json
import subprocess
import time
import unittest
import urllib.request

import srs_exrtmp
import srs_testlib
from srs_exrtmp import AAC, HEVC, ExRtmpTestCase
from srs_testlib import CONF_BASE, publish_av, wait_for
from test_ffmpeg import children, probe_stream

CONF = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
ff_log_dir {dir}/fflogs;
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].ts; }}
    transcode live {{
        enabled on;
        ffmpeg ./objs/ffmpeg/bin/ffmpeg;
        engine sd {{
            enabled on;
            vcodec libx264;
            vbitrate 300;
            vthreads 1;
            vpreset ultrafast;
            vprofile baseline;
            acodec aac;
            abitrate 48;
            output rtmp://127.0.0.1:[port]/[app]/[stream]_[engine];
        }}
    }}
}}
"""

AV1 = ["-c:v", "libsvtav1", "-preset", "12"]
OPUS = ["-c:a", "libopus", "-b:a", "32k"]


def processes(srs):
    with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/processes" % srs.api, timeout=5) as r:
        return json.loads(r.read())["processes"]


def ffmpeg_children(srs):
    return [c for c in children(srs.proc.pid) if "ffmpeg" in c[1]]


def progress(url, seconds):
    """[(wall time, video frames, seconds of media)] of a live URL read for `seconds` of wall time,
    from ffmpeg's -progress reports (about two a second)."""
    p = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-rw_timeout", "5000000", "-i", url,
                          "-map", "0:v", "-c", "copy", "-f", "null", "-", "-progress", "pipe:1", "-nostats",
                          "-stats_period", "0.25"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out, frame, media = [], 0, 0.0
    end = time.monotonic() + seconds
    try:
        for line in p.stdout:
            k, _, v = line.strip().partition("=")
            if k == "frame":
                frame = int(v)
            elif k == "out_time_us" and v.isdigit():
                media = int(v) / 1e6
            elif k == "progress":
                out.append((time.monotonic(), frame, media))
            if time.monotonic() > end:
                break
    finally:
        srs_testlib.stop_process(p)
        p.stdout.close()
    return out


def advance(reports, t0, t1):
    """(frames, seconds of media) that came in the wall time [t0, t1] of progress reports."""
    inside = [r for r in reports if t0 <= r[0] <= t1]
    if len(inside) < 2:
        return 0, 0.0
    return inside[-1][1] - inside[0][1], inside[-1][2] - inside[0][2]


class TranscodeCodecsTest(ExRtmpTestCase):
    CONFIG = CONF

    @classmethod
    def make_samples(cls):
        cls.sample("hevc", HEVC, AAC)
        cls.sample("av1", AV1, OPUS)

    def test_hevc_is_read_from_http_ts(self):
        srs = self.srs
        self.publish_sample(srs, "hevc", self.samples["hevc"], 60)
        out = "rtmp://127.0.0.1:%d/live/hevc_sd" % srs.rtmp

        def h264():
            streams = probe_stream(out)
            return streams if [s for s in streams if s.get("codec_name") == "h264"] else None

        streams = wait_for(h264, 30, 0.5)
        self.assertTrue(streams, srs.log()[-3000:])
        print("hevc_sd streams: %s" % json.dumps(streams))
        self.assertEqual(["aac", "h264"], sorted(s["codec_name"] for s in streams))
        self.assertEqual((320, 240), [(s["width"], s["height"]) for s in streams if s["codec_name"] == "h264"][0])
        # Real time at the source's frame rate, measured over 8 s of wall time after the join's
        # GOP-cache burst (x264's GOP is up to 10 s: the burst is skipped by starting 4 s in).
        reports = progress(out, 13)
        t0 = reports[0][0] + 4 if reports else 0
        frames, media = advance(reports, t0, t0 + 8)
        print("hevc_sd: %d frames, %.2f s of media in 8 s of wall time" % (frames, media))
        self.assertGreaterEqual(frames, srs_testlib.REALTIME_RATIO * srs_exrtmp.FPS * 8, (frames, media))
        self.assertGreaterEqual(media, srs_testlib.REALTIME_RATIO * 8, (frames, media))
        # One engine, reading the HTTP-TS mount, never restarted.
        procs = [p for p in processes(srs) if p["stream"] == "__defaultVhost__/live/hevc"]
        print("processes: %s" % json.dumps([{k: p[k] for k in ("name", "state", "restarts", "command")}
                                            for p in procs]))
        self.assertEqual(1, len(procs), procs)
        self.assertEqual("running", procs[0]["state"])
        self.assertEqual(0, procs[0]["restarts"], procs)
        self.assertIn("-f mpegts -i http://127.0.0.1:%d/live/hevc.ts" % srs.http, procs[0]["command"])
        lines = [x for x in srs.log().splitlines() if "transcode __defaultVhost__/live/hevc:" in x]
        print("\n".join(lines))
        self.assertTrue([x for x in lines if "cannot read video HEVC (enhanced RTMP hvc1) over RTMP, reading http://"
                         in x], lines)

    def test_av1_opus_is_not_transcoded(self):
        srs = self.srs
        self.publish_sample(srs, "av1", self.samples["av1"], 60)
        key = "__defaultVhost__/live/av1"
        self.assertTrue(wait_for(lambda: [p for p in processes(srs) if p["stream"] == key and
                                          p["state"] == "unsupported"], 10), processes(srs))
        # No ffmpeg, started or restarted, for seconds.
        seen = set()
        end = time.monotonic() + 6
        while time.monotonic() < end:
            seen.update(pid for pid, _ in ffmpeg_children(srs))
            time.sleep(0.2)
        self.assertEqual(set(), seen)
        procs = [p for p in processes(srs) if p["stream"] == key]
        print("processes: %s" % json.dumps(procs))
        self.assertEqual(1, len(procs), procs)
        p = procs[0]
        self.assertEqual(("transcode", "transcode/%s/sd" % key, "unsupported", 0, 0),
                         (p["kind"], p["name"], p["state"], p["pid"], p["restarts"]))
        self.assertIn("video AV1 (enhanced RTMP av01) and audio Opus (enhanced RTMP Opus)", p["reason"])
        self.assertIn("publish H.264 or HEVC", p["reason"])
        warns = [x for x in srs.log().splitlines() if "transcode %s: not transcoded" % key in x]
        print("\n".join(warns))
        self.assertEqual(1, len(warns), warns)
        self.assertIn("[Warn]", warns[0])
        self.assertIn("AV1", warns[0])
        self.assertFalse(probe_stream("rtmp://127.0.0.1:%d/live/av1_sd" % srs.rtmp, timeout=10))

    def test_h264_is_read_over_rtmp(self):
        srs = self.srs
        p = publish_av(srs, "avc", 60)
        self.procs.append(p)
        srs.wait_publishing("avc", proc=p)
        out = "rtmp://127.0.0.1:%d/live/avc_sd" % srs.rtmp
        streams = wait_for(lambda: [s for s in probe_stream(out) if s.get("codec_name") == "h264"], 30, 0.5)
        self.assertTrue(streams, srs.log()[-3000:])
        procs = [x for x in processes(srs) if x["stream"] == "__defaultVhost__/live/avc"]
        print("processes: %s" % json.dumps([{k: x[k] for k in ("name", "state", "command")} for x in procs]))
        self.assertEqual(1, len(procs), procs)
        self.assertEqual("running", procs[0]["state"])
        self.assertIn("-f flv -i rtmp://127.0.0.1:%d/live/avc" % srs.rtmp, procs[0]["command"])


if __name__ == "__main__":
    srs_testlib.main()
