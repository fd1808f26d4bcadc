"""What the enhanced RTMP integration tests (test_exrtmp_*.py) share: sample files made by ffmpeg at
test time (320x240 testsrc2 and a sine, FPS frames a second, SOURCE_SECONDS long), published by
srs_bench as enhanced RTMP, and read back as a player does: the server's HLS over HTTP, its API,
ffprobe and ffmpeg (stream summary, packets, composition offsets, framemd5, a decode)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

import srs_testlib
from srs_testlib import ROOT, SrsProcess, have, wait_for

FPS = 25
SOURCE_SECONDS = 4

# libx265's default preset: keyframes after the first are CRA pictures (open GOP), with B-frames.
HEVC = ["-c:v", "libx265", "-x265-params", "log-level=none"]
AAC = ["-c:a", "aac"]
# What ffprobe reads from a stream of a HEVC sample: see stream_summary.
HEVC_AAC = [("aac", "LC", None, None), ("hevc", "Main", 320, 240)]


def bench_binary():
    d = os.environ.get("SRS_BUILD_DIR") or os.path.join(ROOT, "build")
    path = os.path.join(d, "srs_bench")
    if not os.path.exists(path):
        raise AssertionError("srs_bench not built: %s" % path)
    return path


def make_sample(path, video_args, audio_args=AAC, rate=48000):
    """A SOURCE_SECONDS file (the container from path's extension): 320x240 at FPS with a keyframe
    every second, and a mono sine at rate; small and fast (the CI machine has 2 cores)."""
    r = subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=%d" % FPS,
                        "-f", "lavfi", "-i", "sine=sample_rate=%d" % rate, "-t", str(SOURCE_SECONDS), *video_args,
                        "-g", str(FPS), *audio_args, path], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError("ffmpeg making %s: %s" % (path, r.stderr[-2000:]))


def probe_json(url, *args):
    r = subprocess.run(["ffprobe", "-v", "error", "-of", "json", *args, url], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        raise AssertionError("ffprobe %s: %s" % (url, r.stderr[-2000:]))
    return json.loads(r.stdout)


def stream_summary(url_or_path):
    """Sorted (codec_name, profile, width, height) of each stream, as ffprobe reads them."""
    d = probe_json(url_or_path, "-show_entries", "stream=codec_name,profile,width,height")
    return sorted((s["codec_name"], s.get("profile"), s.get("width"), s.get("height")) for s in d["streams"])


def video_packets(path):
    """(size, pts - dts in ms) of each video packet, in decode order."""
    d = probe_json(path, "-select_streams", "v:0", "-show_entries", "packet=size,pts_time,dts_time")
    return [(int(p["size"]), round((float(p["pts_time"]) - float(p["dts_time"])) * 1000))
            for p in d.get("packets", [])]


def framemd5_packets(path, *input_args):
    """{codec_type: [(size, md5), ...]} from ffmpeg's framemd5 of a stream copy, in file order;
    input_args go before the input (`-protocol_whitelist file,http,tcp` for a playlist)."""
    types = {i: s["codec_type"]
             for i, s in enumerate(probe_json(path, *input_args, "-show_entries", "stream=index,codec_type")["streams"])}
    r = subprocess.run(["ffmpeg", "-v", "error", *input_args, "-i", path, "-map", "0", "-c", "copy", "-f", "framemd5",
                        "-"], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError("framemd5 %s: %s" % (path, r.stderr[-2000:]))
    out = {}
    for line in r.stdout.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        # stream_index, dts, pts, duration, size, hash
        f = [x.strip() for x in line.split(",")]
        out.setdefault(types[int(f[0])], []).append((int(f[4]), f[5]))
    return out


def decode(url_or_path, *args, timeout=120):
    """(exit code, what ffmpeg says) of decoding every frame (args go after the input: `-t 2`);
    a clean decode is (0, "")."""
    r = subprocess.run(["ffmpeg", "-v", "error", "-i", url_or_path, *args, "-f", "null", "-"], capture_output=True,
                       text=True, timeout=timeout)
    return r.returncode, r.stderr.strip()[-2000:]


def http_get(port, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=5) as r:
        return r.read()


def hls_playlist(port, path):
    """(text, segment paths) of the HLS playlist at path. The server answers a stream's .m3u8 with a
    variant playlist naming the session's media playlist: that one is read then, as a player does."""
    for _ in range(2):
        text = http_get(port, path).decode()
        uris = [urllib.parse.urljoin(path, x) for x in text.splitlines() if x and not x.startswith("#")]
        if len(uris) != 1 or ".m3u8" not in uris[0]:
            break
        path = uris[0]
    return text, uris


def hls_segments(port, path):
    """The segment paths of hls_playlist, [] while there is no playlist yet."""
    try:
        return hls_playlist(port, path)[1]
    except urllib.error.HTTPError:
        return []


def api_video(port, stream):
    """The video of stream in the API's stream list, None while the stream is not there."""
    s = [x for x in json.loads(http_get(port, "/api/v1/streams/"))["streams"] if x["name"] == stream]
    return s[0].get("video") if s else None


class ExRtmpTestCase(unittest.TestCase):
    """Makes the class's sample files once (skipped without TOOLS), starts a server with CONFIG for
    each test (None: the test starts its own with start_server), and stops at the end of each test
    every publisher and client in self.procs, then every server, checking their sanitizer reports."""

    TOOLS = ("ffmpeg", "ffprobe")
    CONFIG = None

    @classmethod
    def setUpClass(cls):
        for tool in cls.TOOLS:
            if not have(tool):
                raise unittest.SkipTest("%s not installed" % tool)
        cls.tmp = tempfile.mkdtemp(prefix="srs-%s-" % cls.__name__.lower())
        # A class cleanup also runs when making a sample fails.
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.samples = {}
        cls.make_samples()

    @classmethod
    def make_samples(cls):
        """Makes the samples every test of the class uses, with cls.sample."""

    @classmethod
    def sample(cls, name, video_args, audio_args=AAC, rate=48000, ext="mp4"):
        """The path of sample `name` (see make_sample), made on first use."""
        if name not in cls.samples:
            path = os.path.join(cls.tmp, "%s.%s" % (name, ext))
            make_sample(path, video_args, audio_args, rate)
            cls.samples[name] = path
        return cls.samples[name]

    def setUp(self):
        self.servers = []
        self.procs = []
        # Cleanups run when setUp fails too (a publish that did not start).
        self.addCleanup(self.stop_all)
        self.srs = self.start_server(self.CONFIG) if self.CONFIG else None

    def stop_all(self):
        for p in self.procs:
            srs_testlib.stop_process(p)
            if p.stdout:
                p.stdout.close()
        for s in reversed(self.servers):
            s.stop()
            s.assert_no_sanitizer_report()
            s.cleanup()

    def start_server(self, conf, name="srs"):
        s = SrsProcess(conf, name=name)
        self.servers.append(s)
        s.start()
        return s

    def publish_sample(self, srs, stream, path, seconds, extra=()):
        """srs_bench publishes the file at path to live/<stream> of srs for `seconds`, looping it
        (the timestamps continue); returns once the server has the stream."""
        url = "rtmp://127.0.0.1:%d/live/%s" % (srs.rtmp, stream)
        p = subprocess.Popen([bench_binary(), "-t", "rtmp-publish", "-u", url, "-i", path, "-d", str(seconds),
                              "-n", "0", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.procs.append(p)
        srs.wait_publishing(stream, proc=p)
        return p

    def wait_api_video(self, srs, stream, key, value):
        """The video of stream in the API of srs, once its `key` is value (in 10 s at most)."""
        self.assertTrue(wait_for(lambda: (api_video(srs.api, stream) or {}).get(key) == value, 10),
                        api_video(srs.api, stream))
        return api_video(srs.api, stream)

    def finish_publish(self, p, seconds):
        """Waits for the publisher p of publish_sample to end: it must end well."""
        out, err = p.communicate(timeout=seconds + 30)
        self.assertEqual(0, p.returncode, (out + err).decode(errors="replace")[-2000:])
