"""First-frame time: a player gets the stream's start (metadata, sequence headers, GOP cache) at
once, whatever the merged write (mw_latency) and the GOP cache's length at that moment. Measured
the way a player sees it: from the TCP connect through handshake, connect, createStream and play
to the first audio/video message (RTMP), or from the GET to the first audio/video FLV tag
(HTTP-FLV); and a churn of short plays that must each get media."""

import os
import random
import socket
import struct
import threading
import time
import unittest

from srs_rtmp_pyclient import AUDIO, VIDEO, RtmpClient
from srs_testlib import CONF_BASE, SrsProcess, have, port_open, publish_av, stop_process, wait_for

CONF = CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
    play {{ mw_latency 350; }}
}}
"""

# A viewer notices a start slower than this; the merged-write bug gave ~390 ms. The bound
# allows for a loaded CI machine (an idle one measures a few ms).
MAX_FIRST_FRAME = float(os.environ.get("SRS_MAX_FIRST_FRAME", "0.2"))


def rtmp_first_frame(port, stream, hold=0.0):
    """Seconds from connect to the first audio/video message; None when none came. With hold,
    the player stays that long in all (a short play) and the answer is whether media came."""
    t0 = time.time()
    c = RtmpClient("127.0.0.1", port, timeout=5)
    try:
        c.handshake()
        c.connect("live")
        c.play(stream)
        first = None
        for m in c.pending:
            if m.type in (AUDIO, VIDEO):
                first = time.time() - t0
        end = t0 + (hold if hold else 3.0)
        c.sock.settimeout(0.05)
        while first is None and time.time() < end:
            try:
                m = c.read_message()
            except socket.timeout:
                continue
            if m.type in (AUDIO, VIDEO):
                first = time.time() - t0
        if hold and time.time() < t0 + hold:
            time.sleep(t0 + hold - time.time())
        return first
    finally:
        c.close()


def flv_first_frame(port, path):
    """Seconds from connect to the first audio/video FLV tag of an HTTP-FLV response."""
    t0 = time.time()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            b = s.recv(4096)
            if not b:
                return None
            buf += b
        head, body = buf.split(b"\r\n\r\n", 1)
        chunked = b"chunked" in head.lower()
        raw = body
        data = b""
        pos = 9 + 4  # FLV header and PreviousTagSize0
        while time.time() < t0 + 3:
            if chunked:
                # Decode what is complete of the chunked body.
                while True:
                    i = raw.find(b"\r\n")
                    if i < 0:
                        break
                    n = int(raw[:i].split(b";")[0] or b"0", 16)
                    if len(raw) < i + 2 + n + 2:
                        break
                    data += raw[i + 2:i + 2 + n]
                    raw = raw[i + 2 + n + 2:]
            else:
                data, raw = data + raw, b""
            while len(data) >= pos + 11:
                tag_type = data[pos] & 0x1F
                size = struct.unpack(">I", b"\x00" + data[pos + 1:pos + 4])[0]
                if tag_type in (8, 9):
                    return time.time() - t0
                pos += 11 + size + 4
            b = s.recv(65536)
            if not b:
                return None
            raw += b
        return None
    finally:
        s.close()


class FirstFrameTest(unittest.TestCase):
    @unittest.skipUnless(have("ffmpeg"), "ffmpeg needed")
    def test_first_frame_time(self):
        srs = SrsProcess(CONF)
        self.addCleanup(srs.cleanup)
        srs.start()
        self.assertTrue(wait_for(lambda: port_open(srs.http), 10))
        pub = publish_av(srs, "s", 300)
        self.addCleanup(stop_process, pub)
        # The stream is up once a player gets media.
        self.assertTrue(wait_for(lambda: rtmp_first_frame(srs.rtmp, "s") is not None, 20, 0.5),
                        srs.log()[-3000:])
        # Let the GOP cache go through a few keyframes (every 2 s): some plays then come just after
        # one, when the cache holds less than the merge window.
        time.sleep(2)

        # 100 sequential plays, spread over the GOP.
        rtmp = []
        for i in range(100):
            t = rtmp_first_frame(srs.rtmp, "s")
            rtmp.append(t if t is not None else 99)
            time.sleep(random.Random(i).uniform(0, 0.05))
        rtmp.sort()
        print("rtmp first frame: p50 %.1f ms, p90 %.1f ms, max %.1f ms, over %d ms: %d" % (
            rtmp[50] * 1000, rtmp[90] * 1000, rtmp[-1] * 1000, MAX_FIRST_FRAME * 1000,
            len([t for t in rtmp if t > MAX_FIRST_FRAME])))

        # HTTP-FLV, the same way.
        flv = []
        for i in range(40):
            t = flv_first_frame(srs.http, "/live/s.flv")
            flv.append(t if t is not None else 99)
            time.sleep(random.Random(i).uniform(0, 0.05))
        flv.sort()
        print("http-flv first frame: p50 %.1f ms, max %.1f ms, over %d ms: %d" % (
            flv[20] * 1000, flv[-1] * 1000, MAX_FIRST_FRAME * 1000,
            len([t for t in flv if t > MAX_FIRST_FRAME])))

        # A churn of short plays (0.2 to 0.5 s), three at a time: each must get media.
        results = []
        lock = threading.Lock()

        def churn(seed):
            rng = random.Random(seed)
            for _ in range(50):
                try:
                    got = rtmp_first_frame(srs.rtmp, "s", hold=rng.uniform(0.2, 0.5)) is not None
                except OSError:
                    got = False
                with lock:
                    results.append(got)
        threads = [threading.Thread(target=churn, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        print("churn: %d short plays, %d without media" % (len(results), results.count(False)))

        self.assertIsNone(pub.poll(), "publisher ended")
        self.assertLess(rtmp[-1], MAX_FIRST_FRAME, rtmp[-10:])
        self.assertLess(flv[-1], MAX_FIRST_FRAME, flv[-10:])
        self.assertEqual(150, len(results))
        self.assertEqual(0, results.count(False))


if __name__ == "__main__":
    unittest.main()
