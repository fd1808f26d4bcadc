"""HLS encryption (SRS's `hls_keys`, RFC 8216 METHOD=AES-128) with the real binary and real players:

- TS segments on disk and over HTTP are sealed: `openssl enc -d -aes-128-cbc` with the key the
  playlist's EXT-X-KEY names and the segment's media sequence number as IV (RFC 8216 5.2) opens
  each into whole TS packets that ffprobe reads as H.264+AAC; a new key every
  hls_fragments_per_key segments; the keys are served by the HTTP server and go with hls_dispose;
- FFmpeg's HLS demuxer plays the live playlist, TS and fMP4 (init segments clear, segments sealed),
  for 10 s without an error;
- hls.js in headless Chromium plays the encrypted TS playlist as a viewer expects (srs_browser)."""

import glob
import os
import re
import subprocess
import tempfile
import unittest

import srs_browser
import srs_testlib
from srs_testlib import CONF_BASE, publish_av, read_text, stop_process, wait_for
from test_hls import get_media_playlist, http_get, played_seconds, probe_codecs

CONF = CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; crossdomain on; }}
vhost __defaultVhost__ {{
    hls {{
        enabled on; hls_fragment 2; hls_window 10; hls_dispose 4; hls_path {dir}/html;
        hls_keys on; hls_fragments_per_key 2; hls_use_fmp4 %(fmp4)s;
    }}
}}
"""

KEY_LINE = re.compile(r'^#EXT-X-KEY:METHOD=AES-128,URI="([^"]+)"$')


def keyed_segments(text):
    """[(sequence, key URI, segment URI)] of a media playlist, the key in force for each."""
    seq = int(re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", text).group(1))
    out, key = [], None
    for line in text.splitlines():
        m = KEY_LINE.match(line)
        if m:
            key = m.group(1)
        elif line == "#EXT-X-KEY:METHOD=NONE":
            key = None
        elif line and not line.startswith("#"):
            out.append((seq, key, line))
            seq += 1
    return out


def crc32_mpeg2(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def first_packet_is_pat(ts):
    """The first TS packet carries the PAT whole, its CRC right (ISO 13818-1 2.4.4.3): every
    byte of the first AES block checked, where a wrong IV shows (CBC)."""
    if len(ts) < 188 or ts[0] != 0x47 or ts[1] & 0x5F != 0x40 or ts[2] != 0 or ts[3] & 0x30 != 0x10:
        return False
    at = 5 + ts[4]
    length = ((ts[at + 1] & 0x0F) << 8) | ts[at + 2]
    section = ts[at:at + 3 + length]
    return ts[at] == 0 and len(section) == 3 + length and crc32_mpeg2(section) == 0


def decrypt(key, sequence, sealed):
    """What a player does with a sealed segment, by openssl's own AES."""
    with tempfile.NamedTemporaryFile() as f:
        f.write(sealed)
        f.flush()
        r = subprocess.run(["openssl", "enc", "-d", "-aes-128-cbc", "-K", key.hex(), "-iv", "%032x" % sequence,
                            "-in", f.name], capture_output=True, timeout=20)
    return r.stdout if r.returncode == 0 else None


class HlsKeysTest(unittest.TestCase):
    fmp4 = "off"

    def setUp(self):
        self.srs = srs_testlib.SrsProcess(CONF % {"fmp4": self.fmp4})
        self.srs.start()
        self.pub = publish_av(self.srs, "s", 20)
        self.addCleanup(self.srs.cleanup)
        self.addCleanup(stop_process, self.pub)

        def ready():
            if self.pub.poll() is not None:
                return True
            status, _, body = get_media_playlist(self.srs.http, "/live/s.m3u8")
            return status == 200 and body.count(b"#EXTINF") >= 3
        wait_for(ready, 25, 0.2)
        if self.pub.poll() is not None:
            self.fail("publisher ended (exit %s): %s\n%s" % (self.pub.returncode, self.pub.stderr.read().decode(
                errors="replace"), self.srs.log()[-2000:]))

    def html(self, *parts):
        return os.path.join(self.srs.dir, "html", *parts)

    def play_live(self):
        # FFmpeg's HLS demuxer fetches the keys and opens the segments itself.
        played, rc, err = played_seconds("http://127.0.0.1:%d/live/s.m3u8" % self.srs.http, 10, 40)
        self.assertEqual(0, rc, err)
        self.assertGreaterEqual(played, 9.9, err)
        self.assertEqual("", err.strip())

    def test_sealed_segments_open_with_their_keys(self):
        status, _, body = get_media_playlist(self.srs.http, "/live/s.m3u8")
        self.assertEqual(200, status)
        text = body.decode()
        segs = keyed_segments(text)
        self.assertGreaterEqual(len(segs), 3, text)
        for seq, key_uri, uri in segs:
            # Every segment is under a key, a new one every 2 segments (named by its first).
            self.assertEqual("s-%d.key" % (seq // 2 * 2), key_uri, text)
            status, headers, key = http_get(self.srs.http, "/live/" + key_uri)
            self.assertEqual(200, status, key_uri)
            self.assertEqual(16, len(key))
            with open(self.html("live", key_uri), "rb") as f:
                self.assertEqual(key, f.read())
            status, _, sealed = http_get(self.srs.http, "/live/" + uri)
            self.assertEqual(200, status, uri)
            self.assertEqual(0, len(sealed) % 16)
            self.assertNotEqual(b"\x47" * 8, sealed[0:len(sealed):188][:8], "segment %d is not sealed" % seq)
            ts = decrypt(key, seq, sealed)
            self.assertIsNotNone(ts, "segment %d does not open with %s" % (seq, key_uri))
            self.assertEqual(0, len(ts) % 188)
            self.assertEqual(len(ts) // 188, ts[0:len(ts):188].count(b"\x47"), "segment %d" % seq)
            self.assertTrue(first_packet_is_pat(ts), "segment %d: %s" % (seq, ts[:32].hex()))
            with tempfile.NamedTemporaryFile(suffix=".ts") as f:
                f.write(ts)
                f.flush()
                codecs, rc, err = probe_codecs(f.name)
            self.assertEqual(["aac", "h264"], codecs, err)
        # The IV is the sequence number: with another segment's, the first block (CBC) is not
        # the same any more.
        seq, key_uri, uri = segs[1]
        key, sealed = http_get(self.srs.http, "/live/" + key_uri)[2], http_get(self.srs.http, "/live/" + uri)[2]
        wrong = decrypt(key, seq + 1, sealed)
        self.assertTrue(wrong is None or wrong[:16] != decrypt(key, seq, sealed)[:16])

        self.play_live()

        # The keys go with the segments, hls_dispose after the unpublish.
        self.assertEqual(0, self.pub.wait(timeout=30))
        self.assertTrue(wait_for(lambda: not glob.glob(self.html("live", "*")), 12, 0.25),
                        glob.glob(self.html("live", "*")))


class HlsKeysFmp4Test(HlsKeysTest):
    fmp4 = "on"
    test_sealed_segments_open_with_their_keys = None

    def test_ffmpeg_plays_sealed_fmp4(self):
        status, _, body = get_media_playlist(self.srs.http, "/live/s.m3u8")
        text = body.decode()
        # The init segment is clear: no key is in force where the MAP is.
        self.assertRegex(text, r'#EXT-X-MAP:URI="s/init-0\.mp4[^"]*"\n#EXT-X-KEY:METHOD=AES-128,URI="s-0\.key"\n')
        with open(self.html("live", "s", "init-0.mp4"), "rb") as f:
            self.assertEqual(b"ftyp", f.read(8)[4:])
        # Each segment opens, with its key and sequence, into its styp box: the whole first
        # block, where a wrong IV shows (CBC).
        segs = keyed_segments(text)
        self.assertGreaterEqual(len(segs), 3, text)
        for seq, key_uri, uri in segs:
            key, sealed = http_get(self.srs.http, "/live/" + key_uri)[2], http_get(self.srs.http, "/live/" + uri)[2]
            self.assertNotEqual(b"styp", sealed[4:8])
            opened = decrypt(key, seq, sealed)
            self.assertIsNotNone(opened, "segment %d does not open with %s" % (seq, key_uri))
            self.assertEqual(b"\0\0\0\x1cstypmsdh\0\0\0\0", opened[:16], "segment %d" % seq)
        self.play_live()


class HlsKeysBrowserTest(unittest.TestCase):
    def setUp(self):
        srs_browser.require()
        self.srs = srs_testlib.SrsProcess(CONF % {"fmp4": "off"})
        self.srs.start()
        self.addCleanup(self.srs.cleanup)
        self.pub = srs_browser.publish_h264(self.srs.rtmp, "s", 90, stderr=subprocess.PIPE)
        self.addCleanup(stop_process, self.pub)
        self.srs.wait_publishing("s", proc=self.pub)

    def test_hlsjs_plays_encrypted_ts(self):
        playlist = os.path.join(self.srs.dir, "html", "live", "s.m3u8")
        self.assertTrue(wait_for(lambda: read_text(playlist).count("#EXTINF") >= 2, 20, 0.2),
                        "no HLS playlist:\n" + self.srs.log()[-2000:])
        self.assertIn('#EXT-X-KEY:METHOD=AES-128,URI="s-0.key"', read_text(playlist))
        srs_browser.play_and_check(self, "hls", "http://127.0.0.1:%d/live/s.m3u8" % self.srs.http, self.srs, self.pub,
                                   context=lambda: "playlist:\n%s\n" % read_text(playlist))


if __name__ == "__main__":
    srs_testlib.main(verbosity=2)
