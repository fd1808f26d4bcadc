"""The binary's foundation: flags, config test, epoll, signals, daemon and pid file."""

import os
import signal
import socket
import subprocess
import time
import unittest

import srs_testlib
from srs_testlib import SrsProcess, free_port, port_open, read_text, run, srs_binary, wait_for


class FlagsTest(unittest.TestCase):
    def test_version(self):
        r = run([srs_binary(), "-v"])
        self.assertEqual(0, r.returncode)
        self.assertRegex(r.stdout.strip(), r"^\d+\.\d+\.\d+$")

    def test_help(self):
        r = run([srs_binary(), "-h"])
        self.assertEqual(0, r.returncode)
        self.assertIn("Usage", r.stderr)

    def test_unknown_flag(self):
        r = run([srs_binary(), "-x"])
        self.assertEqual(1, r.returncode)
        self.assertIn("Usage", r.stderr)

    def test_no_config(self):
        r = run([srs_binary()])
        self.assertEqual(1, r.returncode)


class ConfigTestFlagTest(unittest.TestCase):
    def setUp(self):
        self.srs = SrsProcess()

    def tearDown(self):
        self.srs.cleanup()

    def test_good_config(self):
        r = run([srs_binary(), "-t", "-c", self.srs.conf])
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertIn("test is successful", r.stderr)

    def test_syntax_error_names_file_and_line(self):
        self.srs.write_config("listen 1935;\nvhost x {{\n  gop_cache on\n")
        r = run([srs_binary(), "-t", "-c", self.srs.conf])
        self.assertEqual(1, r.returncode)
        self.assertIn(os.path.basename(self.srs.conf), r.stderr)
        self.assertRegex(r.stderr, r":\d+")

    def test_bad_port_is_an_error(self):
        self.srs.write_config("listen 99999;\n")
        r = run([srs_binary(), "-t", "-c", self.srs.conf])
        self.assertEqual(1, r.returncode)

    def test_missing_file(self):
        r = run([srs_binary(), "-t", "-c", "/nonexistent/srs.conf"])
        self.assertEqual(1, r.returncode)


class RunTest(unittest.TestCase):
    def test_epoll_ports_and_sigterm(self):
        with SrsProcess() as srs:
            self.assertTrue(wait_for(lambda: "use epoll" in srs.log(), 5), srs.log())
            for port in (srs.rtmp, srs.api, srs.http):
                self.assertTrue(port_open(port), "port %d" % port)
            self.assertTrue(os.path.exists(os.path.join(srs.dir, "srs.pid")))
            t0 = time.time()
            srs.signal(signal.SIGTERM)
            self.assertEqual(0, srs.wait(5))
            self.assertLess(time.time() - t0, 2.0)
            self.assertFalse(os.path.exists(os.path.join(srs.dir, "srs.pid")))

    def test_sigquit_graceful(self):
        with SrsProcess() as srs:
            srs.signal(signal.SIGQUIT)
            self.assertEqual(0, srs.wait(10))
            self.assertIn("graceful quit", srs.log())

    def test_sighup_reparses(self):
        # The results of the reparse, not the trace line written when SIGHUP arrives.
        with SrsProcess() as srs:
            srs.signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: "has no change" in srs.log(), 5), srs.log())
            # A config that does not parse is refused and the server runs on.
            srs.write_config(SrsProcess.DEFAULT + "vhost broken {{\n")
            srs.signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: "keep the running config" in srs.log(), 5), srs.log())
            self.assertTrue(port_open(srs.rtmp))
            # A changed config is applied: the port it adds opens.
            extra = free_port()
            srs.write_config(SrsProcess.DEFAULT.replace("listen 127.0.0.1:{rtmp};",
                                                        "listen 127.0.0.1:{rtmp} 127.0.0.1:%d;" % extra))
            srs.signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: port_open(extra), 5), srs.log())
            self.assertIsNone(srs.proc.poll())

    def test_sigusr1_reopens_log(self):
        with SrsProcess() as srs:
            self.assertTrue(wait_for(lambda: os.path.exists(srs.log_path), 5))
            os.rename(srs.log_path, srs.log_path + ".1")
            srs.signal(signal.SIGUSR1)
            self.assertTrue(wait_for(lambda: os.path.exists(srs.log_path), 5))
            srs.signal(signal.SIGHUP)
            # The reparse's result goes to the new file.
            self.assertTrue(wait_for(lambda: "has no change" in read_text(srs.log_path), 5), srs.log())

    def test_listen_failure_exits_nonzero(self):
        with SrsProcess() as first:
            second = SrsProcess()
            try:
                second.rtmp = first.rtmp
                second.write_config(SrsProcess.DEFAULT.replace("listen 127.0.0.1:{rtmp};", "listen 127.0.0.1:%d;" % first.rtmp))
                with open(second.stdout, "w") as out:
                    p = subprocess.Popen([srs_binary(), "-c", second.conf], cwd=second.dir, stdout=out,
                                         stderr=subprocess.STDOUT)
                    self.assertEqual(1, p.wait(10))
                self.assertIn("bind", second.log())
            finally:
                second.cleanup()


class MaxConnectionsTest(unittest.TestCase):
    def test_extra_connections_are_closed_at_once(self):
        srs = SrsProcess()
        try:
            srs.write_config(SrsProcess.DEFAULT.replace("max_connections 1000;", "max_connections 2;"))
            srs.start()
            # start() probed the port with a connection of its own: let the server drop it first.
            self.assertTrue(wait_for(lambda: "closed at handshake" in srs.log(), 5), srs.log())
            kept = [socket.create_connection(("127.0.0.1", srs.rtmp), timeout=2) for _ in range(2)]
            time.sleep(0.2)
            extra = socket.create_connection(("127.0.0.1", srs.rtmp), timeout=2)
            extra.settimeout(2)
            try:
                data = extra.recv(1)
            except ConnectionResetError:
                data = b""
            self.assertEqual(b"", data)
            self.assertTrue(wait_for(lambda: "max_connections=2" in srs.log(), 5), srs.log())
            # The two accepted connections are still open: the server waits for their handshake.
            for s in kept:
                s.settimeout(0.2)
                with self.assertRaises(socket.timeout):
                    s.recv(1)
                s.close()
            extra.close()
        finally:
            srs.cleanup()


class DaemonTest(unittest.TestCase):
    def test_daemon_pid_file_and_double_start(self):
        srs = SrsProcess()
        try:
            srs.write_config(SrsProcess.DEFAULT.replace("daemon off;", "daemon on;"))
            r = run([srs_binary(), "-c", srs.conf], cwd=srs.dir, timeout=10)
            self.assertEqual(0, r.returncode, r.stderr + srs.log())
            pid_file = os.path.join(srs.dir, "srs.pid")
            self.assertTrue(wait_for(lambda: os.path.exists(pid_file), 5))
            pid = int(read_text(pid_file).strip())
            os.kill(pid, 0)
            # The pid file is written before the listeners open.
            self.assertTrue(wait_for(lambda: port_open(srs.rtmp), 5), srs.log())

            # A second instance on the same pid file is refused, naming the running pid.
            second_conf = srs.conf + ".2"
            with open(srs.conf) as f:
                text = f.read()
            for old in (srs.rtmp, srs.api, srs.http):
                text = text.replace(str(old), str(free_port()))
            with open(second_conf, "w") as f:
                f.write(text)
            r = run([srs_binary(), "-c", second_conf], cwd=srs.dir, timeout=10)
            self.assertEqual(1, r.returncode)
            self.assertIn(str(pid), r.stderr)

            os.kill(pid, signal.SIGTERM)
            self.assertTrue(wait_for(lambda: not os.path.exists("/proc/%d" % pid), 5))
            self.assertFalse(os.path.exists(pid_file))
        finally:
            srs.cleanup()


if __name__ == "__main__":
    srs_testlib.main(verbosity=2)
