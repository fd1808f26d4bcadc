"""SIGHUP reload with the real binary and real clients: listeners that stay keep their
connections and new ones open; a player keeps receiving while its vhost's settings change and
another vhost and port are added; removing a vhost disconnects only its clients; HLS turned off
and on restarts segment production on a live stream; bad configs are refused; SIGUSR1 log
rotation; SIGQUIT graceful quit with a player connected."""

import glob
import os
import re
import signal
import socket
import subprocess
import threading
import time
import unittest

import srs_testlib
from srs_testlib import SrsProcess, free_port, have, port_open, read_text, wait_for

BASE = """
listen 127.0.0.1:{rtmp}%(extra_listen)s;
max_connections 100;
daemon off;
srs_log_tank file;
srs_log_file {dir}/srs.log;
pid {dir}/srs.pid;
grace_final_wait 1000;
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
"""


def conf(vhosts, extra_listen=""):
    return BASE % {"extra_listen": extra_listen} + vhosts


def publish(port, vhost, stream, seconds=30):
    """ffmpeg sends small H.264 (a keyframe every second) and AAC in real time."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=15",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds),
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15",
         "-c:a", "aac", "-ar", "44100", "-ac", "1", "-b:a", "32k",
         "-f", "flv", "rtmp://127.0.0.1:%d/live?vhost=%s/%s" % (port, vhost, stream)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Counter:
    """A player process whose stdout bytes are counted as they come, with the largest gap
    between two reads: a player that keeps receiving has no long gap and does not exit."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.bytes = 0
        self.last = None
        self.max_gap = 0.0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            b = self.proc.stdout.read1(65536)
            if not b:
                return
            now = time.time()
            with self.lock:
                if self.last is not None:
                    self.max_gap = max(self.max_gap, now - self.last)
                self.last = now
                self.bytes += len(b)

    def count(self):
        with self.lock:
            return self.bytes

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.thread.join(2)
        self.proc.stdout.close()


def ffmpeg_player(port, vhost, stream):
    return Counter(["ffmpeg", "-hide_banner", "-loglevel", "error", "-rw_timeout", "20000000",
                    "-i", "rtmp://127.0.0.1:%d/live?vhost=%s/%s" % (port, vhost, stream),
                    "-c", "copy", "-f", "flv", "pipe:1"])


def rtmpdump_player(port, vhost, stream):
    tc = "rtmp://127.0.0.1:%d/live?vhost=%s" % (port, vhost)
    return Counter(["rtmpdump", "-q", "--live", "-r", "rtmp://127.0.0.1:%d/live/%s" % (port, stream),
                    "-a", "live?vhost=%s" % vhost, "-t", tc, "-y", stream, "-o", "-"])


def curl_player(port, host, path):
    return Counter(["curl", "-s", "-N", "-H", "Host: %s" % host, "http://127.0.0.1:%d%s" % (port, path)])


def needs_tools(*tools):
    missing = [t for t in tools if not have(t)]
    return unittest.skipIf(missing, "missing %s" % ",".join(missing))


class ReloadListenersTest(unittest.TestCase):
    def test_add_and_remove_rtmp_port_keeps_existing_connections(self):
        with SrsProcess() as srs:
            # A connection accepted on the port that stays must survive the reload.
            kept = socket.create_connection(("127.0.0.1", srs.api), timeout=2)
            extra = free_port()
            body = SrsProcess.DEFAULT.replace("listen 127.0.0.1:{rtmp};", "listen 127.0.0.1:{rtmp} 127.0.0.1:%d;" % extra)
            srs.write_config(body)
            srs.signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: port_open(extra), 5), srs.log())
            self.assertIn("rtmp-open", srs.log())
            self.assertTrue(port_open(srs.rtmp))

            # Remove the original port: it closes, the new one stays.
            srs.write_config(SrsProcess.DEFAULT.replace("listen 127.0.0.1:{rtmp};", "listen 127.0.0.1:%d;" % extra))
            srs.signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: not port_open(srs.rtmp), 5), srs.log())
            self.assertTrue(port_open(extra))
            self.assertIsNone(srs.proc.poll())
            kept.close()

    def test_disable_http_api_closes_its_listener(self):
        with SrsProcess() as srs:
            srs.write_config(SrsProcess.DEFAULT.replace("http_api {{ enabled on;", "http_api {{ enabled off;"))
            srs.signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: not port_open(srs.api), 5), srs.log())
            self.assertTrue(port_open(srs.http))

    def test_syntax_error_keeps_running_and_names_the_line(self):
        with SrsProcess() as srs:
            srs.write_config(SrsProcess.DEFAULT + "vhost broken {{\n  play {{ gop_cache on }}\n")
            srs.signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: "keep the running config" in srs.log(), 5), srs.log())
            self.assertRegex(srs.log(), r"srs\.conf:\d+")
            self.assertTrue(port_open(srs.rtmp))
            self.assertIsNone(srs.proc.poll())

    def test_log_level_change_is_applied(self):
        with SrsProcess() as srs:
            srs.write_config(SrsProcess.DEFAULT.replace("daemon off;", "daemon off;\nsrs_log_level info;"))
            srs.signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: "applied [log" in srs.log(), 5), srs.log())

    def test_sigusr1_new_lines_go_to_the_new_file(self):
        with SrsProcess() as srs:
            self.assertTrue(wait_for(lambda: os.path.exists(srs.log_path), 5))
            rotated = srs.log_path + ".1"
            os.rename(srs.log_path, rotated)
            srs.signal(signal.SIGUSR1)
            self.assertTrue(wait_for(lambda: "log file reopened" in read_text(srs.log_path), 5), read_text(rotated))
            before = read_text(rotated)
            srs.signal(signal.SIGHUP)
            # The reparse's result (not the line written on SIGHUP's receipt) is in the new file.
            self.assertTrue(wait_for(lambda: "has no change" in read_text(srs.log_path), 5), srs.log())
            # The moved file got nothing after the reopen.
            self.assertEqual(before, read_text(rotated))


class ReloadLiveTest(unittest.TestCase):
    """Reloads with real publishers and players connected."""

    def setUp(self):
        self.procs = []
        self.counters = []

    def tearDown(self):
        for c in self.counters:
            c.stop()
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()

    def spawn(self, p):
        self.procs.append(p)
        return p

    def player(self, c):
        self.counters.append(c)
        return c

    def reload(self, srs, body, what):
        """Writes the config, sends SIGHUP, waits for the reload's summary line; returns it."""
        n = srs.log().count("reload: changed")
        srs.write_config(body)
        srs.signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: srs.log().count("reload: changed") > n, 5), srs.log()[-3000:])
        line = [l for l in srs.log().splitlines() if "reload: changed" in l][-1]
        self.assertIn(what, line)
        return line

    @needs_tools("ffmpeg")
    def test_player_keeps_receiving_while_reload_adds_vhost_port_and_changes_mw_latency(self):
        a = "vhost a {{ play {{ mw_latency 350; }} }}\n"
        with SrsProcess(conf(a)) as srs:
            self.spawn(publish(srs.rtmp, "a", "s"))
            p = self.player(ffmpeg_player(srs.rtmp, "a", "s"))
            self.assertTrue(wait_for(lambda: p.count() > 20000, 15), srs.log()[-3000:])
            t_reload = time.time()
            extra = free_port()
            b = ("vhost a {{ play {{ mw_latency 100; }} }}\n"
                 "vhost b {{ hls {{ enabled on; hls_fragment 1; hls_window 10; hls_path {dir}/html; }} }}\n")
            line = self.reload(srs, conf(b, " 127.0.0.1:%d" % extra), "vhost:a:play")
            self.assertIn("vhost:b:added", line)
            self.assertIn("rtmp-open:127.0.0.1:%d" % extra, line)
            # The running player took the new mw_latency without reconnecting.
            self.assertTrue(wait_for(lambda: re.search(r"reload a/live/s: merged write, mw_latency=100 ms",
                                                       srs.log()), 5), srs.log()[-3000:])
            at_reload = p.count()
            time.sleep(2)
            self.assertTrue(p.alive(), srs.log()[-3000:])
            self.assertGreater(p.count(), at_reload + 5000)
            # Received all along: never a wait a viewer would see around the reload (the
            # bound allows a loaded 2-core machine's scheduling, not a reconnect).
            self.assertLess(p.max_gap, srs_testlib.MAX_GAP)
            self.assertEqual(1, srs.log().count("play a/live/s started"))
            self.assertLess(time.time() - t_reload, 15)

            # The new port takes a publish to the new vhost, whose HLS runs.
            self.assertTrue(port_open(extra))
            self.spawn(publish(extra, "b", "s2"))
            m3u8 = os.path.join(srs.dir, "html", "live", "s2.m3u8")
            self.assertTrue(wait_for(lambda: os.path.exists(m3u8) and
                                     glob.glob(os.path.join(srs.dir, "html", "live", "s2-*.ts")), 10),
                            srs.log()[-3000:])
            self.assertTrue(p.alive())

    @needs_tools("ffmpeg", "rtmpdump", "curl")
    def test_removing_a_vhost_disconnects_only_its_clients(self):
        both = ("vhost a {{ http_remux {{ enabled on; }} }}\n"
                "vhost b {{ http_remux {{ enabled on; }} }}\n")
        with SrsProcess(conf(both)) as srs:
            pub_a = self.spawn(publish(srs.rtmp, "a", "s"))
            pub_b = self.spawn(publish(srs.rtmp, "b", "s"))
            self.assertTrue(wait_for(lambda: "publish a/live/s started" in srs.log() and
                                     "publish b/live/s started" in srs.log(), 10), srs.log()[-3000:])
            pa = self.player(ffmpeg_player(srs.rtmp, "a", "s"))
            pb = self.player(rtmpdump_player(srs.rtmp, "b", "s"))
            hb = self.player(curl_player(srs.http, "b", "/live/s.flv"))
            for c in (pa, pb, hb):
                self.assertTrue(wait_for(lambda: c.count() > 10000, 15), srs.log()[-3000:])

            line = self.reload(srs, conf("vhost a {{ http_remux {{ enabled on; }} }}\n"), "vhost:b:removed")
            self.assertIn("vhost b removed by reload, disconnect 1 publishers and 2 players", srs.log())
            # b's publisher and both players (RTMP and HTTP-FLV) are disconnected...
            self.assertTrue(wait_for(lambda: not pb.alive() and not hb.alive() and pub_b.poll() is not None, 10),
                            srs.log()[-3000:])
            # ...a's are not.
            at = pa.count()
            time.sleep(1.5)
            self.assertTrue(pa.alive())
            self.assertIsNone(pub_a.poll())
            self.assertGreater(pa.count(), at + 3000)
            self.assertLess(pa.max_gap, srs_testlib.MAX_GAP)
            self.assertRegex(srs.log(), r"closed at play after \d+ ms.*reason: .*vhost b removed by reload")
            self.assertIn("http-stream: b/live/s disconnected: vhost b removed by reload", srs.log())
            self.assertIsNotNone(line)

    @needs_tools("ffmpeg")
    def test_hls_off_then_on_restarts_segments_without_republish(self):
        def body(on):
            return conf("vhost __defaultVhost__ {{ hls {{ enabled %s; hls_fragment 1; hls_window 30; "
                        "hls_dispose 60; hls_path {dir}/html; }} }}\n" % ("on" if on else "off"))

        def segments(srs):
            return set(glob.glob(os.path.join(srs.dir, "html", "live", "s-*.ts")))

        with SrsProcess(body(True)) as srs:
            pub = self.spawn(publish(srs.rtmp, "__defaultVhost__", "s"))
            self.assertTrue(wait_for(lambda: len(segments(srs)) >= 2, 10), srs.log()[-3000:])

            self.reload(srs, body(False), "vhost:__defaultVhost__:hls(1 streams)")
            self.assertIn("stopped by reload", srs.log())
            stopped = segments(srs)
            time.sleep(2.5)
            self.assertEqual(stopped, segments(srs), "segments written while hls is off")

            self.reload(srs, body(True), "vhost:__defaultVhost__:hls(1 streams)")
            self.assertTrue(wait_for(lambda: len(segments(srs) - stopped) >= 2, 8), srs.log()[-3000:])
            self.assertIsNone(pub.poll(), "the publisher was dropped")
            self.assertEqual(1, srs.log().count("publish __defaultVhost__/live/s started"))
            m3u8 = read_text(os.path.join(srs.dir, "html", "live", "s.m3u8"))
            self.assertIn("#EXT-X-DISCONTINUITY", m3u8)

    @needs_tools("ffmpeg", "curl")
    def test_http_remux_mount_change_moves_live_stream(self):
        def body(mount):
            return conf("vhost __defaultVhost__ {{ http_remux {{ enabled on; mount %s; }} }}\n" % mount)

        with SrsProcess(body("[vhost]/[app]/[stream].flv")) as srs:
            pub = self.spawn(publish(srs.rtmp, "__defaultVhost__", "s"))
            flv = self.player(curl_player(srs.http, "127.0.0.1", "/live/s.flv"))
            self.assertTrue(wait_for(lambda: flv.count() > 10000, 15), srs.log()[-3000:])

            self.reload(srs, body("[vhost]/[app]/[stream].ts"), "vhost:__defaultVhost__:http_remux(1 players off)")
            # The FLV player of the mount that went away ends; the stream is at the new mount
            # at once, without a republish.
            self.assertTrue(wait_for(lambda: not flv.alive(), 5), srs.log()[-3000:])
            ts = self.player(curl_player(srs.http, "127.0.0.1", "/live/s.ts"))
            self.assertTrue(wait_for(lambda: ts.count() > 10000, 10), srs.log()[-3000:])
            self.assertIsNone(pub.poll())
            self.assertIn("http-stream: mount __defaultVhost__/live/s at /live/s.ts", srs.log())

            # Off: unmounted while the stream goes on; its players end.
            self.reload(srs, conf("vhost __defaultVhost__ {{ http_remux {{ enabled off; }} }}\n"), "http_remux")
            self.assertTrue(wait_for(lambda: not ts.alive(), 5), srs.log()[-3000:])
            self.assertIsNone(pub.poll())

    @needs_tools("ffmpeg")
    def test_graceful_quit_with_a_player_exits_within_grace_final_wait(self):
        with SrsProcess(conf("vhost a {{ }}\n")) as srs:
            self.spawn(publish(srs.rtmp, "a", "s"))
            p = self.player(ffmpeg_player(srs.rtmp, "a", "s"))
            self.assertTrue(wait_for(lambda: p.count() > 10000, 15), srs.log()[-3000:])
            pid = os.path.join(srs.dir, "srs.pid")
            self.assertTrue(os.path.exists(pid))
            t0 = time.time()
            srs.signal(signal.SIGQUIT)
            self.assertEqual(0, srs.wait(10))
            # grace_final_wait 1000 ms, then the connections are closed.
            self.assertLess(time.time() - t0, 1.0 + 2.0)
            self.assertFalse(os.path.exists(pid))
            self.assertIn("graceful quit", srs.log())
            self.assertTrue(wait_for(lambda: not p.alive(), 10))


if __name__ == "__main__":
    srs_testlib.main(verbosity=2)
