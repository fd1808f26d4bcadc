"""A player that stops reading and resumes gets at most play.queue_length of old media, plus
what the kernel holds for it (issue 19 item 2).

ffmpeg publishes a ~1 Mbit/s stream; a raw RTMP player and a raw HTTP-FLV reader play it with
queue_length 10, stop reading for 20 s, then read again as fast as they can. What they then
receive is what a viewer would sit through before being live again: the media time of it
(the sum of the timestamp steps, a jump where the server dropped messages counting as a frame)
less the wall time it took to arrive. With the kernel's send buffer left to autotune (up to
tcp_wmem's 4 MiB) the whole stall comes back, ~20 s; the server must keep it to about
queue_length, at most queue_length + 3 s. The server's memory must stay bounded meanwhile.
The players keep a fixed receive buffer of their own (CLIENT_RCVBUF); what it held at the
resume (FIONREAD) is reported apart and not counted against the server."""

import array
import fcntl
import os
import socket
import termios
import struct
import subprocess
import threading
import time
import unittest

from srs_rtmp_pyclient import AUDIO, VIDEO, RtmpClient
import srs_testlib
from srs_testlib import CONF_BASE, SrsProcess, run, stop_process, wait_for

QUEUE_LENGTH = 10
STALL = 20.0
# How long after resuming the media still counts as the catch-up: everything buffered comes
# within a fraction of a second on loopback; after it the stream arrives in real time.
AFTER = 6.0
# A step of the timestamps longer than this is a jump (dropped messages), counted as a frame.
MAX_STEP_MS = 100
# The players' own receive buffer (Linux doubles it): what a player buffers in its kernel is the
# player's to bound, not the server's, so the test keeps it at tcp_rmem's default size instead
# of letting it autotune (up to tcp_rmem's max, 6-32 MiB) and measures what the server holds.
CLIENT_RCVBUF = 64 * 1024

CONF = CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    play {{ queue_length %d; }}
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
}}
""" % QUEUE_LENGTH


class CatchUp:
    """The media a resumed player gets: lag = max over time of (media time received since the
    resume - wall time since the resume), in seconds."""

    def __init__(self):
        self.t0 = None
        self.max_ts = None
        self.media_ms = 0
        self.lag = 0.0
        self.msgs = 0
        self.first_ts = None
        self.bytes = 0
        # (media ms received before it, the step in ms) of each jump: what the server dropped.
        self.jumps = []

    def on_media(self, ts, size):
        now = time.time()
        self.bytes += size
        if self.t0 is None:
            self.t0 = now
            self.first_ts = ts
        if self.max_ts is not None and ts > self.max_ts:
            self.media_ms += min(ts - self.max_ts, MAX_STEP_MS)
            if ts - self.max_ts > MAX_STEP_MS:
                self.jumps.append((self.media_ms, ts - self.max_ts))
        if self.max_ts is None or ts > self.max_ts:
            self.max_ts = ts
        self.msgs += 1
        self.lag = max(self.lag, self.media_ms / 1000.0 - (now - self.t0))


def pending_bytes(sock):
    """What the player's own kernel holds unread (FIONREAD)."""
    buf = array.array("i", [0])
    fcntl.ioctl(sock.fileno(), termios.FIONREAD, buf)
    return buf[0]


def rtmp_player(port, result):
    c = RtmpClient("127.0.0.1", port, timeout=15)
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, CLIENT_RCVBUF)
    try:
        c.handshake()
        c.connect("live")
        c.play("s")
        end = time.time() + 3
        while time.time() < end:
            c.read_message()
        result["live_bytes"] = c.bytes_read
        time.sleep(STALL)
        result["client_kernel"] = pending_bytes(c.sock)
        cu = CatchUp()
        end = time.time() + AFTER
        while time.time() < end:
            m = c.read_message()
            if m.type in (AUDIO, VIDEO):
                cu.on_media(m.timestamp, len(m.payload))
        result["catchup"] = cu
    except Exception as e:  # reported by the test
        result["error"] = repr(e)
    finally:
        c.close()


class FlvReader:
    """Reads an HTTP-FLV body from a raw socket, tag by tag."""

    def __init__(self, port, path):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, CLIENT_RCVBUF)
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode())
        self.buf = bytearray()
        self.chunked = False
        self.chunk_left = 0
        head = self._raw_until(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n")[0]:
            raise AssertionError("HTTP-FLV answered %r" % head[:200])
        self.chunked = b"chunked" in head.lower()
        self.body = bytearray()
        self._need(13)
        del self.body[:13]

    def _raw_until(self, sep):
        while sep not in self.buf:
            b = self.sock.recv(65536)
            if not b:
                raise AssertionError("HTTP-FLV closed")
            self.buf += b
        i = self.buf.index(sep) + len(sep)
        out = bytes(self.buf[:i])
        del self.buf[:i]
        return out

    def _raw(self):
        b = self.sock.recv(65536)
        if not b:
            raise AssertionError("HTTP-FLV closed")
        self.buf += b

    def _need(self, n):
        while len(self.body) < n:
            if not self.chunked:
                if not self.buf:
                    self._raw()
                self.body += self.buf
                self.buf.clear()
                continue
            if self.chunk_left == 0:
                line = self._raw_until(b"\r\n").strip()
                if not line:
                    continue
                self.chunk_left = int(line.split(b";")[0], 16)
                if self.chunk_left == 0:
                    raise AssertionError("HTTP-FLV body ended")
            if not self.buf:
                self._raw()
            take = min(self.chunk_left, len(self.buf))
            self.body += self.buf[:take]
            del self.buf[:take]
            self.chunk_left -= take
            if self.chunk_left == 0:
                self._raw_until(b"\r\n")

    def tag(self):
        self._need(11)
        t = self.body[0]
        size = (self.body[1] << 16) | (self.body[2] << 8) | self.body[3]
        ts = (self.body[4] << 16) | (self.body[5] << 8) | self.body[6] | (self.body[7] << 24)
        self._need(11 + size + 4)
        del self.body[:11 + size + 4]
        return t, ts, size

    def close(self):
        self.sock.close()


def flv_player(port, result):
    r = None
    try:
        r = FlvReader(port, "/live/s.flv")
        end = time.time() + 3
        while time.time() < end:
            r.tag()
        time.sleep(STALL)
        result["client_kernel"] = pending_bytes(r.sock)
        cu = CatchUp()
        end = time.time() + AFTER
        while time.time() < end:
            t, ts, size = r.tag()
            if t in (AUDIO, VIDEO):
                cu.on_media(ts, size)
        result["catchup"] = cu
    except Exception as e:  # reported by the test
        result["error"] = repr(e)
    finally:
        if r:
            r.close()


class StalledPlayerTest(unittest.TestCase):
    def setUp(self):
        self.srs = SrsProcess(CONF)
        self.srs.start(wait_port=self.srs.http)
        self.pub = None
        self.addCleanup(self.srs.cleanup)
        self.addCleanup(lambda: stop_process(self.pub))

    def encode(self):
        """15 s of ~1 Mbit/s H.264 (CBR, a keyframe a second) and AAC, to loop with -c copy."""
        path = os.path.join(self.srs.dir, "cbr.flv")
        r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                 "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                 "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "15",
                 "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
                 "-b:v", "900k", "-minrate", "900k", "-maxrate", "900k", "-bufsize", "300k",
                 "-x264-params", "nal-hrd=cbr", "-c:a", "aac", "-b:a", "64k", path], timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        return path

    def test_stalled_players_resume_near_live(self):
        media = self.encode()
        self.pub = subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", media,
             "-c", "copy", "-f", "flv", "rtmp://127.0.0.1:%d/live/s" % self.srs.rtmp],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.assertTrue(wait_for(lambda: "publish started" in self.srs.log(), 15), self.srs.log()[-3000:])
        time.sleep(2)

        rss_before = self.srs.rss_kib()
        rtmp_res, flv_res = {}, {}
        threads = [threading.Thread(target=rtmp_player, args=(self.srs.rtmp, rtmp_res)),
                   threading.Thread(target=flv_player, args=(self.srs.http, flv_res))]
        for t in threads:
            t.start()
        # The memory while both players are stalled, near the end of the stall.
        time.sleep(3 + STALL - 2)
        rss_stalled = self.srs.rss_kib()
        for t in threads:
            t.join(3 + STALL + AFTER + 30)
        self.assertIsNone(self.pub.poll(), "the publisher ended early")

        report = []
        for name, res in (("rtmp", rtmp_res), ("http-flv", flv_res)):
            self.assertNotIn("error", res, "%s player: %s\n%s" % (name, res.get("error"), self.srs.log()[-3000:]))
            cu = res["catchup"]
            self.assertGreater(cu.msgs, 100, "%s player got almost nothing after resuming" % name)
            # The player's own kernel buffer, in media time at the stream's rate.
            rate = cu.bytes / max(cu.media_ms, 1) * 1000.0
            res["own"] = res.get("client_kernel", 0) / rate
            res["server"] = cu.lag - res["own"]
            report.append("%s: %.1f s of old media after a %.0f s stall: %.1f s held by the server, %.1f s (%d KB) "
                          "by the player's own kernel; jumps (media before, step ms) %s" %
                          (name, cu.lag, STALL, res["server"], res["own"], res.get("client_kernel", 0) // 1000,
                           cu.jumps[:4]))
        print("\n" + "\n".join(report) + "\nserver RSS %d -> %d KiB while stalled" % (rss_before, rss_stalled))

        for name, res in (("rtmp", rtmp_res), ("http-flv", flv_res)):
            # What the server holds (its queue and its kernel send buffer) is bounded by
            # queue_length + 3 s; the player's own receive buffer (128 KiB, ~1 s here) is its own.
            self.assertLessEqual(res["server"], QUEUE_LENGTH + 3,
                                 "%s player resumed %.1f s behind live (%.1f s held by the server), queue_length "
                                 "is %d s" % (name, res["catchup"].lag, res["server"], QUEUE_LENGTH))
        # Two players' queues of 10 s at ~1 Mbit/s are ~2.5 MB.
        if not srs_testlib.SANITIZER_BUILD:
            self.assertLess(rss_stalled - rss_before, 20 * 1024,
                            "RSS grew from %d to %d KiB" % (rss_before, rss_stalled))


if __name__ == "__main__":
    unittest.main()
