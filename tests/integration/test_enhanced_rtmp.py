"""Enhanced RTMP ingest end to end with the real binary: a python publisher sends ex-header
`hvc1` video and `mp4a` audio tags built from what FFmpeg encoded (libx265 Annex B, AAC ADTS),
after an enhanced connect (fourCcList). Checked with real clients on the output side: the
connect _result advertises the server's FourCCs and capsEx, /api/v1/streams names HEVC/AAC
with profile and size, ffprobe reads HEVC + AAC from the HLS segments, and unknown-FourCC tags
are skipped with one warning while the publish goes on."""

import glob
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import unittest
import urllib.request

import srs_testlib
from srs_testlib import CONF_BASE, SrsProcess, have, wait_for
from srs_rtmp_pyclient import RtmpClient

CONF = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    hls {{
        enabled on;
        hls_fragment 1;
        hls_window 10;
        hls_path {dir}/html;
    }}
}}
"""

AUDIO, VIDEO = 8, 9
WIDTH, HEIGHT, FPS, SECONDS = 320, 240, 25, 4


def annexb_nalus(data):
    """The NAL units of an Annex B byte stream, without start codes."""
    out, i, start = [], 0, None
    while i + 3 <= len(data):
        if data[i] == 0 and data[i + 1] == 0 and data[i + 2] == 1:
            if start is not None:
                out.append(data[start:i].rstrip(b"\x00"))
            i += 3
            start = i
            continue
        i += 1
    if start is not None:
        out.append(data[start:])
    return [n for n in out if n]


def hevc_type(nalu):
    return (nalu[0] >> 1) & 0x3F


def access_units(nalus):
    """Groups NALUs into access units: a new one starts at a parameter set, prefix SEI or the
    first slice of a picture once the current unit has a picture."""
    aus, cur, has_vcl = [], [], False
    for n in nalus:
        t = hevc_type(n)
        first_slice = t < 32 and len(n) > 2 and (n[2] & 0x80)
        if has_vcl and (t in (32, 33, 34, 35, 39) or first_slice):
            aus.append(cur)
            cur, has_vcl = [], False
        cur.append(n)
        has_vcl = has_vcl or t < 32
    if cur:
        aus.append(cur)
    return aus


def rbsp(nalu):
    out, zeros = bytearray(), 0
    for b in nalu:
        if zeros >= 2 and b == 3:
            zeros = 0
            continue
        out.append(b)
        zeros = zeros + 1 if b == 0 else 0
    return bytes(out)


def make_hvcc(vps, sps, pps):
    """An HEVCDecoderConfigurationRecord (ISO 14496-15 8.3.3.1) from the parameter sets: the
    profile_tier_level comes from the SPS (after its 2-byte NAL header and 1 byte of ids)."""
    ptl = rbsp(sps)[3:15]
    rec = bytes([1]) + ptl + bytes([0xF0, 0x00, 0xFC, 0xFD, 0xF8, 0xF8, 0x00, 0x00, 0x0F, 3])
    for t, n in ((32, vps), (33, sps), (34, pps)):
        rec += bytes([0x80 | t]) + struct.pack(">HH", 1, len(n)) + n
    return rec


def ex_video(frame_type, packet_type, fourcc, body, cts=None):
    head = bytes([0x80 | (frame_type << 4) | packet_type]) + fourcc
    if cts is not None:
        head += struct.pack(">i", cts)[1:]
    return head + body


def ex_audio(packet_type, fourcc, body):
    return bytes([0x90 | packet_type]) + fourcc + body


def adts_frames(data):
    """(AudioSpecificConfig, raw frames) of an ADTS stream."""
    frames, asc, i = [], None, 0
    while i + 7 <= len(data) and data[i] == 0xFF and (data[i + 1] & 0xF0) == 0xF0:
        absent = data[i + 1] & 1
        length = ((data[i + 3] & 3) << 11) | (data[i + 4] << 3) | (data[i + 5] >> 5)
        head = 7 if absent else 9
        if asc is None:
            obj = (data[i + 2] >> 6) + 1
            sf = (data[i + 2] >> 2) & 0xF
            ch = ((data[i + 2] & 1) << 2) | (data[i + 3] >> 6)
            asc = struct.pack(">H", (obj << 11) | (sf << 7) | (ch << 3))
        frames.append(data[i + head:i + length])
        i += length
    return asc, frames


def leb128(data, pos):
    v = 0
    for i in range(8):
        b = data[pos + i]
        v |= (b & 0x7F) << (7 * i)
        if not b & 0x80:
            return v, pos + i + 1
    raise ValueError("bad leb128")


def av1_temporal_units(data):
    """The temporal units of a low overhead AV1 bitstream (FFmpeg -f obu), each a list of
    (obu type, OBU bytes) without its temporal delimiter."""
    tus, i = [], 0
    while i < len(data):
        h = data[i]
        t, ext, has_size = (h >> 3) & 0xF, (h >> 2) & 1, (h >> 1) & 1
        p = i + 1 + ext
        size, p = leb128(data, p) if has_size else (len(data) - p, p)
        if t == 2:
            tus.append([])
        elif tus:
            tus[-1].append((t, data[i:p + size]))
        i = p + size
    return tus


def api_stream(srs, name):
    with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/streams/" % srs.api, timeout=5) as r:
        for s in json.loads(r.read()).get("streams", []):
            if s.get("name") == name:
                return s
    return None


@unittest.skipUnless(have("ffmpeg") and have("ffprobe"), "needs ffmpeg and ffprobe")
class TestEnhancedRtmpIngest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="srs-ex-")
        hevc = os.path.join(cls.tmp, "v.hevc")
        aac = os.path.join(cls.tmp, "a.aac")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc2=size=%dx%d:rate=%d" % (WIDTH, HEIGHT, FPS), "-t", str(SECONDS),
                        "-c:v", "libx265", "-x265-params", "bframes=0:keyint=%d:info=0:log-level=error" % FPS,
                        "-f", "hevc", hevc], check=True, timeout=120)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                        "-t", str(SECONDS), "-ac", "2", "-c:a", "aac", "-f", "adts", aac], check=True, timeout=60)
        with open(hevc, "rb") as f:
            cls.aus = access_units(annexb_nalus(f.read()))
        with open(aac, "rb") as f:
            cls.asc, cls.aac = adts_frames(f.read())

    def test_hevc_aac_ex_headers(self):
        with SrsProcess(CONF) as srs:
            c = RtmpClient("127.0.0.1", srs.rtmp)
            self.addCleanup(c.close)
            c.handshake()
            res = c.connect("live", extra={"fourCcList": ["hvc1", "mp4a"], "capsEx": 2.0})
            props = res[2]
            # The _result advertises what the server passes through.
            self.assertEqual(["av01", "vp09", "hvc1", "avc1", "Opus", "mp4a", ".mp3", "ac-3", "ec-3", "fLaC"],
                             props.get("fourCcList"))
            self.assertEqual(4, props.get("videoFourCcInfoMap", {}).get("hvc1"))
            self.assertEqual(14, props.get("capsEx"))
            c.publish("ex")

            first = self.aus[0]
            vps = next(n for n in first if hevc_type(n) == 32)
            sps = next(n for n in first if hevc_type(n) == 33)
            pps = next(n for n in first if hevc_type(n) == 34)
            c.send_media(VIDEO, ex_video(1, 0, b"hvc1", make_hvcc(vps, sps, pps)), 0)
            c.send_media(AUDIO, ex_audio(0, b"mp4a", self.asc), 0)
            # At real-time speed: the statistics are refreshed by the stream's own messages.
            ai, t0 = 0, time.time()
            for i, au in enumerate(self.aus):
                ts = i * 1000 // FPS
                key = any(16 <= hevc_type(n) <= 23 for n in au)
                body = b"".join(struct.pack(">I", len(n)) + n for n in au)
                c.send_media(VIDEO, ex_video(1 if key else 2, 1, b"hvc1", body, cts=0), ts)
                while ai < len(self.aac) and ai * 1024 * 1000 // 44100 <= ts:
                    c.send_media(AUDIO, ex_audio(1, b"mp4a", self.aac[ai]), ai * 1024 * 1000 // 44100)
                    ai += 1
                if i == 10:
                    # Tags of a codec the server does not carry: skipped, one warning.
                    for _ in range(3):
                        c.send_media(VIDEO, ex_video(2, 1, b"vvc1", b"\x00" * 20, cts=0), ts)
                time.sleep(max(0.0, t0 + ts / 1000.0 - time.time()))

            self.assertTrue(wait_for(lambda: (api_stream(srs, "ex") or {}).get("video") is not None, 10),
                            "%r\n%s" % (api_stream(srs, "ex"),
                                         "\n".join(l for l in srs.log().splitlines() if "HTTP-API" not in l)[-3000:]))
            st = api_stream(srs, "ex")
            self.assertEqual("HEVC", st["video"]["codec"])
            self.assertEqual("Main", st["video"]["profile"])
            self.assertEqual(WIDTH, st["video"]["width"])
            self.assertEqual(HEIGHT, st["video"]["height"])
            self.assertEqual("AAC", st["audio"]["codec"])
            self.assertEqual(44100, st["audio"]["sample_rate"])
            self.assertEqual(2, st["audio"]["channel"])
            self.assertEqual(1, srs.log().count("skip enhanced track"), srs.log()[-2000:])

            # HLS: closed segments of HEVC + AAC, as ffprobe reads them.
            segs = lambda: sorted(glob.glob(os.path.join(srs.dir, "html", "live", "ex-*.ts")))
            self.assertTrue(wait_for(lambda: len(segs()) >= 2, 10), srs.log()[-2000:])
            out = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                                  "stream=codec_name,width,height,codec_tag_string", "-of", "json", segs()[0]],
                                 capture_output=True, text=True, timeout=30)
            streams = json.loads(out.stdout)["streams"]
            names = sorted(s["codec_name"] for s in streams)
            self.assertEqual(["aac", "hevc"], names, out.stdout + out.stderr)
            v = next(s for s in streams if s["codec_name"] == "hevc")
            self.assertEqual((WIDTH, HEIGHT), (v["width"], v["height"]))
            frames = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                                     "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", segs()[0]],
                                    capture_output=True, text=True, timeout=30)
            counts = [int(x) for x in frames.stdout.split() if x.strip().isdigit()]
            self.assertTrue(counts and counts[0] >= FPS // 2, frames.stdout + frames.stderr)


    def test_av1_left_out_of_hls(self):
        """AV1 video + AAC audio: the API names AV1 with its size from the av1C sequence
        header; HLS leaves the AV1 track out (one log line) and makes AAC-only segments."""
        obu = os.path.join(self.tmp, "v.obu")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc2=size=%dx%d:rate=%d" % (WIDTH, HEIGHT, FPS), "-t", str(SECONDS),
                        "-c:v", "libsvtav1", "-svtav1-params", "keyint=%d" % FPS, "-f", "obu", obu],
                       check=True, timeout=120, capture_output=True)
        with open(obu, "rb") as f:
            tus = av1_temporal_units(f.read())
        seq = next(o for tu in tus for t, o in tu if t == 1)
        # av1C: marker/version, profile 0 level 2.0, 8-bit 4:2:0, then the sequence header OBU,
        # whose values (size, level) the server reads.
        av1c = bytes([0x81, 0x00, 0x0C, 0x00]) + seq
        with SrsProcess(CONF) as srs:
            c = RtmpClient("127.0.0.1", srs.rtmp)
            self.addCleanup(c.close)
            c.handshake()
            c.connect("live", extra={"fourCcList": ["av01", "mp4a"]})
            c.publish("av1")
            c.send_media(VIDEO, ex_video(1, 0, b"av01", av1c), 0)
            c.send_media(AUDIO, ex_audio(0, b"mp4a", self.asc), 0)
            ai, t0 = 0, time.time()
            for i, tu in enumerate(tus):
                ts = i * 1000 // FPS
                key = any(t == 1 for t, _ in tu)
                c.send_media(VIDEO, ex_video(1 if key else 2, 1, b"av01", b"".join(o for _, o in tu)), ts)
                while ai < len(self.aac) and ai * 1024 * 1000 // 44100 <= ts:
                    c.send_media(AUDIO, ex_audio(1, b"mp4a", self.aac[ai]), ai * 1024 * 1000 // 44100)
                    ai += 1
                time.sleep(max(0.0, t0 + ts / 1000.0 - time.time()))

            self.assertTrue(wait_for(lambda: (api_stream(srs, "av1") or {}).get("video") is not None, 10),
                            srs.log()[-2000:])
            st = api_stream(srs, "av1")
            self.assertEqual("AV1", st["video"]["codec"])
            self.assertEqual("Main", st["video"]["profile"])
            # The level of the sequence header OBU (the encoder's choice), as "major.minor".
            self.assertRegex(st["video"]["level"], r"^[2-7]\.[0-3]$")
            self.assertEqual((WIDTH, HEIGHT), (st["video"]["width"], st["video"]["height"]))
            self.assertEqual("AAC", st["audio"]["codec"])

            segs = lambda: sorted(glob.glob(os.path.join(srs.dir, "html", "live", "av1-*.ts")))
            self.assertTrue(wait_for(lambda: len(segs()) >= 2, 10), srs.log()[-2000:])
            out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "json",
                                  segs()[0]], capture_output=True, text=True, timeout=30)
            self.assertEqual(["aac"], [x["codec_name"] for x in json.loads(out.stdout)["streams"]],
                             out.stdout + out.stderr)
            self.assertEqual(1, srs.log().count("AV1 video is not carried in MPEG-TS"), srs.log()[-2000:])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)


if __name__ == "__main__":
    srs_testlib.main()
