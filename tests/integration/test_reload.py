"""SIGHUP reload: listeners that stay keep their connections, new ones open, bad configs are refused."""

import signal
import socket
import unittest

from srs_testlib import SrsProcess, free_port, port_open, wait_for


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


if __name__ == "__main__":
    unittest.main(verbosity=2)
