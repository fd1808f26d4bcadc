"""DVR to MP4 of enhanced RTMP streams (issue 17): srs_bench publishes HEVC+AAC, AV1+Opus and
VP9+Opus MP4 files made by ffmpeg at test time, the server records each session to .mp4, and the
real readers check the file:

- ffprobe: the codec, profile, picture size, sample rate and channels are the source file's, and
  the sample entries are hvc1/av01/vp09 and mp4a/Opus;
- the sample entries read from the file's boxes: the configuration box (hvcC, av1C, vpcC, dOps,
  the esds's AudioSpecificConfig) byte for byte the one ffmpeg wrote in the source, with the same
  picture size, channel count and rate in the entry (ffprobe alone does not notice a missing
  av1C or a wrong Opus channelcount: checked by breaking them on purpose);
- ffmpeg -c copy -f framemd5: per stream, the packets (size and MD5 of each) are the source's, in
  order, loop after loop (the tool loops the file with the timestamps continuing). The recording
  starts with the first packet the tool sends. The only allowance is at the end: the session
  stops wherever the publish stopped, so the last loop is a prefix of the source (a partial GOP
  at most); at least 80 % of the frames of the publish time must be there, as in the other
  real-time checks; the video's composition offsets (B-frames) are the source's too;
- ffmpeg decodes the whole file without an error.

AC-3 and E-AC-3 (no tool at hand publishes them over RTMP) are sent as enhanced RTMP `ac-3` /
`ec-3` CodedFrames by the python RTMP client, one frame per tag from ffmpeg's raw .ac3/.eac3
output, and their dac3/dec3 must be the ones ffmpeg writes when it puts the same file in MP4.

H.264+MP3 is published from an FLV (MP3 as legacy FLV tags, SoundFormat 2) and checked the same
way, the sample entry being mp4a with an esds objectTypeIndication 0x6B.
"""

import hashlib
import os
import struct
import subprocess

import srs_exrtmp
import srs_testlib
from srs_exrtmp import AAC, FPS, SOURCE_SECONDS, decode, framemd5_packets, probe_json, video_packets
from srs_rtmp_pyclient import RtmpClient
from srs_testlib import wait_for

CONFIG = srs_testlib.CONF_BASE + """
vhost __defaultVhost__ {{
    dvr {{ enabled on; dvr_path {dir}/dvr/[app]/[stream].mp4; dvr_plan session; }}
}}
"""

PUBLISH_SECONDS = 6


def probe_streams(path):
    d = probe_json(path, "-show_entries",
                   "stream=codec_type,codec_name,codec_tag_string,profile,width,height,sample_rate,channels")
    return {s["codec_type"]: s for s in d["streams"]}


def boxes(data, start=0, end=None):
    """(type, body) of the boxes in data[start:end] (14496-12 4.2: 32-bit size or 64-bit largesize)."""
    end = len(data) if end is None else end
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        header = 8
        if size == 1:
            size = struct.unpack(">Q", data[at + 8:at + 16])[0]
            header = 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise AssertionError("box %r of %d bytes at %d past %d" % (kind, size, at, end))
        yield kind.decode("latin-1"), data[at + header:at + size]
        at += size


def child(body, path):
    for kind, b in boxes(body):
        if kind == path[0]:
            return b if len(path) == 1 else child(b, path[1:])
    return None


def descriptor(data, at):
    """(tag, body start, body end) of the MPEG-4 descriptor at data[at] (14496-1 8.3.3: the size
    in 7-bit groups, 1 to 4 bytes)."""
    tag = data[at]
    at += 1
    size = 0
    for _ in range(4):
        b = data[at]
        at += 1
        size = (size << 7) | (b & 0x7f)
        if not b & 0x80:
            break
    return tag, at, at + size


def esds_fields(body):
    """(objectTypeIndication, DecoderSpecificInfo) of an esds body (after version and flags):
    ES_Descriptor (14496-1 7.2.6.5) > DecoderConfigDescriptor (7.2.6.6) > DecoderSpecificInfo."""
    data = body[4:]
    tag, at, end = descriptor(data, 0)
    if tag != 3:
        raise AssertionError("esds: tag %d, not an ES_Descriptor" % tag)
    flags = data[at + 2]
    at += 3
    if flags & 0x80:
        at += 2
    if flags & 0x40:
        at += 1 + data[at]
    if flags & 0x20:
        at += 2
    while at < end:
        tag, start, stop = descriptor(data, at)
        if tag == 4:
            oti = data[start]
            dsi = b""
            at = start + 13
            while at < stop:
                t, s, e = descriptor(data, at)
                if t == 5:
                    dsi = data[s:e]
                at = e
            return oti, dsi
        at = stop
    raise AssertionError("esds without a DecoderConfigDescriptor")


def sample_entries(path):
    """{handler: (entry type, fields, config box type, config)} of each track's first sample entry.
    fields are (width, height) of a VisualSampleEntry or (channelcount, samplesize, samplerate) of
    an AudioSampleEntry; config is the configuration box body (for esds: the AudioSpecificConfig)."""
    with open(path, "rb") as f:
        data = f.read()
    moov = child(data, ["moov"])
    out = {}
    for kind, trak in boxes(moov):
        if kind != "trak":
            continue
        mdia = child(trak, ["mdia"])
        handler = child(mdia, ["hdlr"])[8:12].decode("latin-1")
        stsd = child(mdia, ["minf", "stbl", "stsd"])
        (entry_type, entry), = list(boxes(stsd, 8))[:1]
        if handler == "vide":
            fields = struct.unpack(">HH", entry[24:28])
            inner = entry[78:]
        else:
            fields = struct.unpack(">HHxxxxI", entry[16:28])
            inner = entry[28:]
        config_type, config = next(iter(boxes(inner)))
        if config_type == "esds":
            # The channel count of AAC is the AudioSpecificConfig's; ffmpeg writes 2 in the
            # entry whatever it is (the 14496-12 template value), the server the real count.
            # The objectTypeIndication (0x40 AAC, 0x6B/0x69 MP3) is added instead.
            oti, config = esds_fields(config)
            fields = fields[1:] + (oti,)
        out[handler] = (entry_type, fields, config_type, config)
    return out


def composition_offsets(path):
    """pts - dts in ms of each video packet, in decode order."""
    return [cts for _, cts in video_packets(path)]


class ExRtmpDvrTest(srs_exrtmp.ExRtmpTestCase):
    CONFIG = CONFIG

    @classmethod
    def make_samples(cls):
        # The fastest presets (the CI machine has 2 cores).
        opus = ["-c:a", "libopus", "-b:a", "32k"]
        cls.sample("hevc", ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=none:bframes=2"],
                   AAC + ["-b:a", "32k"])
        cls.sample("av1", ["-c:v", "libsvtav1", "-preset", "12"], opus)
        cls.sample("vp9", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"], opus)
        # MP3 comes as legacy FLV tags (SoundFormat 2): an FLV that the tool publishes as it is.
        cls.sample("mp3", ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "2"],
                   ["-c:a", "libmp3lame", "-b:a", "64k"], 44100, ext="flv")

    def record(self, stream, mp4):
        """Publishes mp4 for PUBLISH_SECONDS and returns the DVR file of the session."""
        self.finish_publish(self.publish_sample(self.srs, stream, mp4, PUBLISH_SECONDS), PUBLISH_SECONDS)
        dvr = os.path.join(self.srs.dir, "dvr", "live", stream + ".mp4")
        self.assertTrue(wait_for(lambda: os.path.exists(dvr), 10), self.srs.log()[-3000:])
        return dvr

    def check(self, name, video_codec, audio_codec, video_profile, audio_profile, tags, rate="48000"):
        src = self.samples[name]
        dvr = self.record(name, src)

        want = probe_streams(src)
        got = probe_streams(dvr)
        self.assertEqual({"video", "audio"}, set(got), got)
        fields = {"video": ("codec_name", "profile", "width", "height"),
                  "audio": ("codec_name", "profile", "sample_rate", "channels")}
        for kind, keys in fields.items():
            self.assertEqual({k: want[kind].get(k) for k in keys}, {k: got[kind].get(k) for k in keys},
                             "%s %s stream" % (name, kind))
        # Pinned too, so that the source file changing (another ffmpeg) is noticed, not followed.
        self.assertEqual((video_codec, video_profile, 320, 240),
                         (got["video"]["codec_name"], got["video"].get("profile"), got["video"]["width"],
                          got["video"]["height"]))
        self.assertEqual((audio_codec, rate, 1),
                         (got["audio"]["codec_name"], got["audio"]["sample_rate"], got["audio"]["channels"]))
        self.assertEqual(audio_profile, got["audio"].get("profile"))
        # The sample entries (ffmpeg writes hev1 for libx265, the DVR hvc1: parameter sets in
        # the hvcC only, as the sequence header carries them).
        self.assertEqual(tags, (got["video"]["codec_tag_string"], got["audio"]["codec_tag_string"]))

        # The sample entries, byte for byte: the configuration records the tool read from the
        # source's boxes (hvcC, av1C, vpcC; the dOps that went out as an OpusHead; the AAC
        # AudioSpecificConfig) must come back as the source's boxes, with the same picture size,
        # channel count and rate. ffprobe alone would not see a missing av1C (the key frames
        # repeat the sequence header) or a wrong channelcount (read from dOps).
        got_entries = sample_entries(dvr)
        self.assertEqual(tags, (got_entries["vide"][0], got_entries["soun"][0]))
        if src.endswith(".mp4"):
            want_entries = sample_entries(src)
            for handler in ("vide", "soun"):
                w = want_entries[handler]
                g = got_entries[handler]
                self.assertEqual(w[1:3], g[1:3], "%s %s sample entry" % (name, handler))
                self.assertEqual(w[3].hex(), g[3].hex(), "%s %s %s" % (name, handler, w[2]))

        src_packets = framemd5_packets(src)
        dvr_packets = framemd5_packets(dvr)
        for kind in ("video", "audio"):
            s = src_packets[kind]
            d = dvr_packets.get(kind, [])
            per_second = len(s) / SOURCE_SECONDS
            expected = per_second * PUBLISH_SECONDS
            self.assertGreaterEqual(len(d), srs_testlib.REALTIME_RATIO * expected,
                                    "%s %s: DVR has %d of %d packets" % (name, kind, len(d), expected))
            # Real-time speed: at most one second more than the publish time.
            self.assertLessEqual(len(d), expected + per_second, "%s %s: %d packets" % (name, kind, len(d)))
            for i, p in enumerate(d):
                if p != s[i % len(s)]:
                    self.fail("%s %s packet %d (source packet %d of %d): DVR %s, source %s" %
                              (name, kind, i, i % len(s), len(s), p, s[i % len(s)]))
        self.assertEqual(FPS * SOURCE_SECONDS, len(src_packets["video"]))
        # The composition offsets (B-frames of HEVC and H.264: ctts), loop after loop.
        src_cts = composition_offsets(src)
        got_cts = composition_offsets(dvr)
        self.assertEqual(len(dvr_packets["video"]), len(got_cts))
        self.assertEqual([src_cts[i % len(src_cts)] for i in range(len(got_cts))], got_cts, name)
        if name == "hevc":
            self.assertTrue(any(src_cts), "the HEVC source has B-frames")

        # And it plays: every packet decodes without a word from ffmpeg.
        self.assertEqual((0, ""), decode(dvr), "%s: ffmpeg decoding the DVR file" % name)
        return got_entries

    def test_hevc_aac(self):
        self.check("hevc", "hevc", "aac", "Main", "LC", ("hvc1", "mp4a"))

    def test_av1_opus(self):
        self.check("av1", "av1", "opus", "Main", None, ("av01", "Opus"))

    def test_vp9_opus(self):
        self.check("vp9", "vp9", "opus", "Profile 0", None, ("vp09", "Opus"))

    def test_h264_mp3_from_flv(self):
        # MP3 in mp4a with the esds objectTypeIndication 0x6B (MPEG-1 audio, 44.1 kHz), no
        # decoder specific info: what ffprobe needs to read it as mp3.
        entries = self.check("mp3", "h264", "mp3", "Main", None, ("avc1", "mp4a"), "44100")
        self.assertEqual(((16, 44100 << 16, 0x6B), "esds", b""), entries["soun"][1:])

    def test_ac3_eac3_enhanced_audio(self):
        for codec, fourcc, channels in (("ac3", b"ac-3", 1), ("eac3", b"ec-3", 2)):
            raw = os.path.join(self.tmp, "x." + codec)
            ref = os.path.join(self.tmp, "ref_%s.mp4" % codec)
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=sample_rate=48000", "-t", "2",
                            "-ac", str(channels), "-c:a", codec, "-b:a", "96k", raw], check=True, timeout=60)
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", raw, "-c", "copy", ref], check=True, timeout=60)
            with open(raw, "rb") as f:
                data = f.read()
            frames = [data[int(p["pos"]):int(p["pos"]) + int(p["size"])]
                      for p in probe_json(raw, "-show_entries", "packet=pos,size")["packets"]]
            self.assertGreater(len(frames), 50)

            stream = "dolby_" + codec
            c = RtmpClient("127.0.0.1", self.srs.rtmp)
            c.handshake()
            c.connect("live", extra={"fourCcList": [fourcc.decode()]})
            c.publish(stream)
            # 1536 samples at 48 kHz: 32 ms a frame. SoundFormat 9, AudioPacketType 1 (CodedFrames).
            for i, frame in enumerate(frames):
                c.send_media(8, bytes([0x91]) + fourcc + frame, i * 32)
            c.unpublish(stream)
            c.close()
            dvr = os.path.join(self.srs.dir, "dvr", "live", stream + ".mp4")
            self.assertTrue(wait_for(lambda: os.path.exists(dvr), 10), self.srs.log()[-3000:])

            got = probe_streams(dvr)
            self.assertEqual({"audio"}, set(got), got)
            self.assertEqual((codec, fourcc.decode(), "48000", channels),
                             (got["audio"]["codec_name"], got["audio"]["codec_tag_string"],
                              got["audio"]["sample_rate"], got["audio"]["channels"]))
            self.assertEqual(sample_entries(ref)["soun"], sample_entries(dvr)["soun"], codec)
            # Every frame, in order, nothing else.
            want = [(len(f), hashlib.md5(f).hexdigest()) for f in frames]
            self.assertEqual(want, framemd5_packets(dvr)["audio"], codec)
            self.assertEqual((0, ""), decode(dvr, timeout=60), codec)


if __name__ == "__main__":
    srs_testlib.main()
