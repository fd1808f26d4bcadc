"""HEVC in MPEG-TS (issue 17): srs_bench publishes an HEVC+AAC MP4 made by ffmpeg (libx265, whose
keyframes after the first are CRA pictures, open GOP) as enhanced RTMP; the HLS segments and the
HTTP-TS mount carry HEVC as stream_type 0x24 in Annex B with VPS/SPS/PPS before every IRAP picture.

Checked with real clients: ffprobe reads hevc (Main, 320x240) + aac from the HLS segments and the
HTTP-TS mount; a segment taken after the first one is read alone: its first video access unit has
VPS, SPS and PPS before an IRAP slice (the TS is parsed here), `ffmpeg -c copy -f framemd5` lists
its packets and ffmpeg decodes it without a single error; ffmpeg decodes the HTTP-TS stream too."""

import os
import time
import urllib.request

import srs_exrtmp
import srs_testlib
from srs_exrtmp import FPS, HEVC, HEVC_AAC, decode, framemd5_packets, hls_segments, http_get, stream_summary
from srs_testlib import wait_for

CONFIG = srs_testlib.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount /ts/[app]/[stream].ts; }}
    hls {{ enabled on; hls_path {dir}/html; hls_fragment 2; hls_window 60; }}
}}
"""

PUBLISH_SECONDS = 12
HEVC_STREAM_TYPE = 0x24
VPS, SPS, PPS = 32, 33, 34


def ts_streams_and_video_pes(data):
    """({pid: stream_type} from the PMT, [payload of each video PES in order]) of a TS file."""
    packets = [data[i:i + 188] for i in range(0, len(data) - 187, 188)]
    pmt_pid, streams = None, {}
    for p in packets:
        if p[0] != 0x47:
            raise AssertionError("lost TS sync")
        pid = ((p[1] & 0x1F) << 8) | p[2]
        pusi = p[1] & 0x40
        if not pusi or pid not in (0, pmt_pid):
            continue
        pos = 4 + (1 + p[4] if p[3] & 0x20 else 0)
        pos += 1 + p[pos]
        if pid == 0:
            pmt_pid = ((p[pos + 10] & 0x1F) << 8) | p[pos + 11]
        else:
            section_len = ((p[pos + 1] & 0x0F) << 8) | p[pos + 2]
            info_len = ((p[pos + 10] & 0x0F) << 8) | p[pos + 11]
            i, end = pos + 12 + info_len, pos + 3 + section_len - 4
            while i + 5 <= end:
                streams[((p[i + 1] & 0x1F) << 8) | p[i + 2]] = p[i]
                i += 5 + (((p[i + 3] & 0x0F) << 8) | p[i + 4])
    video = [pid for pid, t in streams.items() if t in (0x1B, HEVC_STREAM_TYPE)]
    pes, cur = [], None
    for p in packets:
        pid = ((p[1] & 0x1F) << 8) | p[2]
        if not video or pid != video[0] or not (p[3] & 0x10):
            continue
        pos = 4 + (1 + p[4] if p[3] & 0x20 else 0)
        if p[1] & 0x40:
            if cur is not None:
                pes.append(bytes(cur))
            cur = bytearray(p[pos:])
        elif cur is not None:
            cur += p[pos:]
    if cur is not None:
        pes.append(bytes(cur))
    # Strip the PES headers (ISO 13818-1 2.4.3.6).
    return streams, [x[9 + x[8]:] for x in pes]


def hevc_nal_types(annexb):
    """The nal_unit_type of each NALU of an Annex B access unit."""
    types, i = [], 0
    while True:
        i = annexb.find(b"\x00\x00\x01", i)
        if i < 0 or i + 3 >= len(annexb):
            return types
        types.append((annexb[i + 3] >> 1) & 0x3F)
        i += 3


class HevcTsTest(srs_exrtmp.ExRtmpTestCase):
    CONFIG = CONFIG

    @classmethod
    def make_samples(cls):
        cls.sample("hevc", HEVC)

    def setUp(self):
        super().setUp()
        self.publish_sample(self.srs, "hevc", self.samples["hevc"], PUBLISH_SECONDS)

    def segments(self):
        return hls_segments(self.srs.http, "/live/hevc.m3u8")

    def test_hls_segments_start_with_parameter_sets(self):
        # Segments 1 and 2 (2 s, cut at a keyframe; the source has one every second): they start
        # at x265 CRA pictures, not at the stream's IDR, and each must carry its parameter sets.
        # (With hls_fragment 1 the first GOP, shorter by the B-frame delay, is not cut and the
        # hls_td_ratio limit then cuts without a keyframe, SrsHlsMuxer::should_cut.)
        self.assertTrue(wait_for(lambda: len(self.segments()) >= 3, PUBLISH_SECONDS + 5), self.srs.log()[-3000:])
        uris = self.segments()
        for n, uri in enumerate(uris[1:3], 1):
            seg = os.path.join(self.srs.dir, "seg%d.ts" % n)
            with open(seg, "wb") as f:
                f.write(http_get(self.srs.http, uri))
            with open(seg, "rb") as f:
                streams, pes = ts_streams_and_video_pes(f.read())
            self.assertIn(HEVC_STREAM_TYPE, streams.values(), "segment %s: %r" % (uri, streams))
            self.assertIn(0x0F, streams.values(), "segment %s has no AAC: %r" % (uri, streams))
            self.assertGreater(len(pes), 0, uri)
            # The first access unit: AUD (35), then VPS, SPS, PPS, then an IRAP slice (16..21).
            types = hevc_nal_types(pes[0])
            vcl = [t for t in types if t < 32]
            self.assertTrue(vcl and 16 <= vcl[0] <= 21, "segment %s starts with NAL types %r" % (uri, types))
            before = types[:types.index(vcl[0])]
            self.assertTrue({VPS, SPS, PPS} <= set(before), "segment %s starts with NAL types %r" % (uri, types))
            self.assertEqual(HEVC_AAC, stream_summary(seg), "segment %s alone" % uri)
            # The segment read alone: every packet copied, every frame decoded, not one error.
            packets = framemd5_packets(seg).get("video", [])
            self.assertGreaterEqual(len(packets), FPS // 2, "segment %s: %d video packets" % (uri, len(packets)))
            self.assertEqual((0, ""), decode(seg, timeout=60), "ffmpeg decoding segment %s alone" % uri)

    def test_http_ts_mount(self):
        url = "http://127.0.0.1:%d/ts/live/hevc.ts" % self.srs.http
        self.assertEqual(HEVC_AAC, stream_summary(url), "HTTP-TS")
        # Two seconds of the live stream, from where the player joined, decode without an error.
        self.assertEqual((0, ""), decode(url, "-t", "2", timeout=60), "ffmpeg decoding HTTP-TS")
        # And the video PES of what a player reads starts with the parameter sets and an IRAP.
        data = b""
        with urllib.request.urlopen(url, timeout=5) as r:
            deadline = time.monotonic() + 10
            while len(data) < 188 * 1000 and time.monotonic() < deadline:
                data += r.read1(188 * 100)
        streams, pes = ts_streams_and_video_pes(data)
        self.assertIn(HEVC_STREAM_TYPE, streams.values(), streams)
        types = hevc_nal_types(pes[0])
        vcl = [t for t in types if t < 32]
        self.assertTrue(vcl and 16 <= vcl[0] <= 21 and {VPS, SPS, PPS} <= set(types[:types.index(vcl[0])]), types)


if __name__ == "__main__":
    srs_testlib.main()
