"""Directives checked by what they do, not by the getter's default: a silent publisher is
dropped after publish.firstpkt_timeout (before any media) or publish.normal_timeout (after
some); chunk_size and out_ack_size are what the server sends at connect, and the stream plays
in chunks of that size; tcp_nodelay is the setsockopt the server makes on the player's socket
(seen with strace attached to the server: the kernel does not show the option of another
process's socket); max_connections and stats.disk change with a reload. Runtime about 60 s."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import srs_testlib as T  # noqa: E402
from srs_rtmp_pyclient import AUDIO, VIDEO, RtmpClient, RtmpError  # noqa: E402

CONF = T.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
vhost __defaultVhost__ {{
    publish {{ firstpkt_timeout 3000; normal_timeout 1000; }}
}}
vhost small.test {{
    chunk_size 4096;
    out_ack_size 1000000;
}}
vhost nodelay.test {{
    tcp_nodelay on;
}}
"""

SEQUENCE_HEADER = bytes([0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 0])


def api(srs, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (srs.api, path), timeout=5) as r:
        return json.loads(r.read())


def wait_closed(c, timeout):
    """Seconds until the server closes c (reading and dropping what it sends), or None."""
    t0 = time.time()
    c.sock.settimeout(0.5)
    while time.time() - t0 < timeout:
        try:
            c.read_message()
        except socket.timeout:
            continue
        except (RtmpError, OSError):
            return time.time() - t0
    return None


class DirectivesCase(unittest.TestCase):
    def setUp(self):
        self.srs = T.SrsProcess(CONF).start()
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.srs.cleanup()

    def client(self, vhost=None):
        c = RtmpClient("127.0.0.1", self.srs.rtmp, timeout=10)
        self.clients.append(c)
        c.handshake()
        tc = "rtmp://127.0.0.1:%d/live" % self.srs.rtmp
        if vhost:
            tc += "?vhost=" + vhost
        c.connect("live", tc)
        return c


class PublishTimeoutTest(DirectivesCase):
    def test_silent_publisher_is_dropped_after_firstpkt_timeout(self):
        pub = self.client()
        pub.publish("silent")
        took = wait_closed(pub, 15)
        print("\nsilent publisher dropped after %s s (firstpkt_timeout 3 s)" % took)
        self.assertIsNotNone(took, "a publisher that never sent media was kept:\n%s" % self.srs.log()[-2000:])
        # Not before the configured 3 s, and not at the 20 s default.
        self.assertGreaterEqual(took, 2.5)
        self.assertLess(took, 8.0)
        self.assertTrue(T.wait_for(lambda: "publish.firstpkt_timeout" in self.srs.log(), 5), self.srs.log()[-2000:])

    def test_publisher_silent_after_media_is_dropped_after_normal_timeout(self):
        pub = self.client()
        pub.publish("paused")
        pub.send_media(VIDEO, SEQUENCE_HEADER, 0)
        for i in range(5):
            pub.send_media(VIDEO, bytes([0x17 if i == 0 else 0x27, 1, 0, 0, 0]) + os.urandom(500), i * 40)
            pub.send_media(AUDIO, bytes([0xaf, 1]) + os.urandom(100), i * 40)
        self.srs.wait_publishing("paused")
        took = wait_closed(pub, 15)
        print("\npublisher silent after media dropped after %s s (normal_timeout 1 s)" % took)
        self.assertIsNotNone(took, "a publisher that stopped sending was kept:\n%s" % self.srs.log()[-2000:])
        # normal_timeout (1 s), well before firstpkt_timeout (3 s) would end it.
        self.assertLess(took, 2.5)
        self.assertTrue(T.wait_for(lambda: "publish.normal_timeout" in self.srs.log(), 5), self.srs.log()[-2000:])


class ConnectTest(DirectivesCase):
    def test_chunk_size_and_out_ack_size_sent_at_connect(self):
        default = self.client()
        self.assertEqual(60000, default.in_chunk_size)
        self.assertEqual(2500000, default.in_window)
        small = self.client("small.test")
        self.assertEqual(4096, small.in_chunk_size)
        self.assertEqual(1000000, small.in_window)

        # The stream comes in chunks of that size: a 20 kB frame reads back whole with the
        # client reading 4096-byte chunks.
        small.play("big")
        pub = self.client("small.test")
        pub.set_chunk_size(60000)
        pub.publish("big")
        frame = bytes([0x17, 1, 0, 0, 0]) + os.urandom(20000)
        pub.send_media(VIDEO, SEQUENCE_HEADER, 0)
        pub.send_media(VIDEO, frame, 40)
        small.sock.settimeout(5)
        deadline = time.time() + 10
        got = None
        while time.time() < deadline and got is None:
            m = small.read_message()
            if m.type == VIDEO and len(m.payload) == len(frame):
                got = m.payload
        self.assertEqual(frame, got)


class TcpNodelayTest(DirectivesCase):
    """What is checked: the setsockopt(TCP_NODELAY) the server makes on the socket it accepted
    for each player, as strace sees it. Not checked: the kernel's Nagle behaviour itself."""

    @unittest.skipUnless(T.have("strace"), "needs strace")
    def test_player_socket_gets_tcp_nodelay_from_its_vhost(self):
        trace = os.path.join(self.srs.dir, "strace.txt")
        st = subprocess.Popen(["strace", "-p", str(self.srs.proc.pid), "-e", "trace=accept,accept4,setsockopt",
                               "-o", trace], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            # strace says so on stderr once it is attached.
            line = st.stderr.readline()
            self.assertIn("attached", line)
            self.client("nodelay.test").play("n")
            self.client().play("n")
            self.client("nodelay.test").publish("n")
            self.srs.wait_publishing("n", vhost="nodelay.test")
            time.sleep(0.5)
        finally:
            st.send_signal(signal.SIGINT)
            st.wait(10)
            st.stderr.close()
        text = T.read_text(trace)
        # The server accepts without asking the peer's address: the connections, made one
        # after the other, are its accepts in order. The option a socket keeps is the last one
        # set on it (every accepted socket starts with TCP_NODELAY on, then gets its vhost's).
        # Only the RTMP listener's accepts: start()'s probe of the API port may be accepted late.
        lfd = listener_fd(self.srs.proc.pid, self.srs.rtmp)
        fds = re.findall(r"^accept4?\(%d, [^\n]*\)\s+=\s+(\d+)$" % lfd, text, re.M)
        self.assertEqual(3, len(fds), text)

        def nodelay(fd):
            values = re.findall(r"^setsockopt\(%s, SOL_TCP, TCP_NODELAY, \[(\d)\]" % fd, text, re.M)
            self.assertTrue(values, "no TCP_NODELAY on fd %s:\n%s" % (fd, text))
            return values[-1]

        self.assertEqual(["1", "0", "1"], [nodelay(fd) for fd in fds],
                         "player of nodelay.test, player of the default vhost, publisher of nodelay.test:\n" + text)


class ReloadTest(DirectivesCase):
    def reload(self, body, what):
        n = self.srs.log().count("reload: changed")
        self.srs.write_config(body)
        self.srs.signal(signal.SIGHUP)
        self.assertTrue(T.wait_for(lambda: self.srs.log().count("reload: changed") > n, 5), self.srs.log()[-2000:])
        line = [x for x in self.srs.log().splitlines() if "reload: changed" in x][-1]
        self.assertRegex(line, r"applied \[[^]]*%s" % re.escape(what))

    def kept_or_closed(self, s):
        """'closed' when the server closes s at once, 'kept' when it waits for the handshake."""
        s.settimeout(1.0)
        try:
            return "closed" if s.recv(1) == b"" else "data"
        except ConnectionResetError:
            return "closed"
        except socket.timeout:
            return "kept"

    def test_max_connections_applies_on_reload(self):
        # The API port and start()'s probes must not count: let them go first.
        self.assertTrue(T.wait_for(lambda: "closed at handshake" in self.srs.log(), 5), self.srs.log())
        time.sleep(0.3)
        self.reload(CONF.replace("max_connections 1000;", "max_connections 2;"), "max_connections")
        kept = [socket.create_connection(("127.0.0.1", self.srs.rtmp), timeout=2) for _ in range(2)]
        extra = socket.create_connection(("127.0.0.1", self.srs.rtmp), timeout=2)
        self.assertEqual("closed", self.kept_or_closed(extra), self.srs.log()[-2000:])
        self.assertTrue(T.wait_for(lambda: "max_connections=2" in self.srs.log(), 5), self.srs.log()[-2000:])
        for s in kept:
            self.assertEqual("kept", self.kept_or_closed(s))
        extra.close()

        # Raised again: a third connection is kept.
        self.reload(CONF, "max_connections")
        third = socket.create_connection(("127.0.0.1", self.srs.rtmp), timeout=2)
        self.assertEqual("kept", self.kept_or_closed(third), self.srs.log()[-2000:])
        for s in kept + [third]:
            s.close()

    def test_stats_disk_applies_on_reload(self):
        dev = disk_of(self.srs.dir)
        if not dev:
            raise unittest.SkipTest("no device of /proc/diskstats takes the writes of %s" % self.srs.dir)
        writer = DiskWriter(os.path.join(self.srs.dir, "io.bin"))
        writer.start()
        try:
            # Not sampled without stats.disk, however busy the disk: two samples (5 s apart) go by.
            t0 = time.time()
            while time.time() - t0 < 11:
                self.assertEqual(0, summary_disk(self.srs), "disk sampled without stats.disk")
                time.sleep(1)
            self.reload(CONF.replace("vhost __defaultVhost__", "stats {{ disk %s; }}\nvhost __defaultVhost__" % dev),
                        "stats")
            # The rate needs two samples of the device after the reload.
            self.assertTrue(T.wait_for(lambda: summary_disk(self.srs) > 0, 20, 0.5),
                            "disk %s not sampled after the reload: %s" % (dev, api(self.srs, "/api/v1/summaries")))
        finally:
            writer.stop()


def listener_fd(pid, port):
    """The fd of process pid that listens on 127.0.0.1:port (its socket inode in /proc/net/tcp)."""
    inode = None
    for line in T.read_text("/proc/net/tcp").splitlines()[1:]:
        f = line.split()
        # local_address is hex ip:port; state 0A is LISTEN.
        if f[1].endswith(":%04X" % port) and f[3] == "0A":
            inode = f[9]
    assert inode, "nothing listens on %d" % port
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)) == "socket:[%s]" % inode:
                return int(fd)
        except OSError:
            continue
    raise AssertionError("no fd of %d listens on %d" % (pid, port))


def summary_disk(srs):
    s = api(srs, "/api/v1/summaries")["data"]["system"]
    return s["disk_write_KBps"]


def diskstats_written():
    out = {}
    for line in T.read_text("/proc/diskstats").splitlines():
        f = line.split()
        if len(f) >= 10:
            out[f[2]] = int(f[9])
    return out


def disk_of(directory):
    """The /proc/diskstats device (a whole disk, not a partition) whose written sectors grow
    when 8 MiB are written and synced in directory; None when none does (tmpfs)."""
    before = diskstats_written()
    path = os.path.join(directory, "probe.bin")
    with open(path, "wb") as f:
        f.write(os.urandom(8 << 20))
        f.flush()
        os.fsync(f.fileno())
    os.remove(path)
    after = diskstats_written()
    grew = [d for d in after if after[d] - before.get(d, after[d]) >= 8 << 11 and
            not re.match(r"^(loop|ram|dm-)", d)]
    # A partition (vda1) grows with its disk (vda): take the shortest name, the disk.
    grew.sort(key=len)
    return grew[0] if grew else None


class DiskWriter(threading.Thread):
    """Writes and syncs 1 MiB four times a second, so the disk has IO to sample."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            with open(self.path, "wb") as f:
                f.write(os.urandom(1 << 20))
                f.flush()
                os.fsync(f.fileno())
            self.stopping.wait(0.25)

    def stop(self):
        self.stopping.set()
        self.join(10)


if __name__ == "__main__":
    T.main(verbosity=2)
