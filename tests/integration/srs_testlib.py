"""Helpers for integration tests: start the real srs binary on free loopback ports with a
generated config, wait for it, and stop it. Standard library only."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def srs_binary():
    path = os.environ.get("SRS_BINARY") or os.path.join(ROOT, "build", "srs")
    if not os.path.exists(path):
        raise unittest.SkipTest("srs binary not built: %s" % path)
    return path


def free_port():
    """A TCP port that is free on 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout=10.0, interval=0.05):
    """Polls predicate until it returns a truthy value or the timeout passes."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = predicate()
        if v:
            return v
        time.sleep(interval)
    return predicate()


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def read_text(path):
    """The file's text, or "" when it does not exist."""
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def have(tool):
    return shutil.which(tool) is not None


# The lines every test config starts with: the RTMP port, foreground, the log and the pid file in
# the test's directory; a test adds its http_api/http_server and vhosts (same placeholders).
CONF_BASE = """
listen 127.0.0.1:{rtmp};
max_connections 1000;
daemon off;
srs_log_tank file;
srs_log_file {dir}/srs.log;
pid {dir}/srs.pid;
"""


class SrsProcess:
    """One srs process in its own temp dir, with free ports and a generated config.

    The config is `body` with {rtmp}, {api}, {http} and {dir} replaced by the free ports
    and the working directory. Use as a context manager, or call start()/stop()."""

    DEFAULT = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{ }}
"""

    def __init__(self, body=None, name="srs"):
        self.dir = tempfile.mkdtemp(prefix="srs-test-")
        self.rtmp = free_port()
        self.api = free_port()
        self.http = free_port()
        os.makedirs(os.path.join(self.dir, "html"), exist_ok=True)
        self.conf = os.path.join(self.dir, name + ".conf")
        self.write_config(body or self.DEFAULT)
        self.proc = None
        self.stdout = os.path.join(self.dir, "stdout.log")

    def write_config(self, body):
        text = body.format(rtmp=self.rtmp, api=self.api, http=self.http, dir=self.dir)
        with open(self.conf, "w") as f:
            f.write(text)

    @property
    def log_path(self):
        return os.path.join(self.dir, "srs.log")

    def log(self):
        return read_text(self.log_path) + read_text(self.stdout)

    def start(self, wait_port=None, extra_args=()):
        with open(self.stdout, "w") as out:
            self.proc = subprocess.Popen([srs_binary(), "-c", self.conf, *extra_args], cwd=self.dir,
                                         stdout=out, stderr=subprocess.STDOUT)
        port = self.rtmp if wait_port is None else wait_port
        if port and not wait_for(lambda: port_open(port) or self.proc.poll() is not None, 10):
            raise AssertionError("srs did not listen on %d:\n%s" % (port, self.log()))
        if self.proc.poll() is not None:
            raise AssertionError("srs exited with %s:\n%s" % (self.proc.returncode, self.log()))
        return self

    def signal(self, signo):
        self.proc.send_signal(signo)

    def wait(self, timeout=10):
        return self.proc.wait(timeout=timeout)

    def stop(self, timeout=5):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cleanup(self):
        self.stop()
        if os.environ.get("SRS_KEEP_TEST_DIR"):
            return
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()
        return False


def run(cmd, timeout=60, **kw):
    """Runs a command, returns CompletedProcess with text output."""
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


def stop_process(p):
    """Kills a client process (ffmpeg) if still running, reaps it and closes its stderr pipe."""
    if p is None:
        return
    if p.poll() is None:
        p.kill()
    p.wait()
    if p.stderr:
        p.stderr.close()


def ffmpeg_publish_small(url, seconds):
    """ffmpeg sends a small H.264 stream (160x120, a keyframe every second) to url in real time."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
         "testsrc2=size=160x120:rate=25", "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast",
         "-g", "25", "-f", "flv", url], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def publish_av(srs, stream, seconds):
    """ffmpeg sends H.264 (a keyframe every 2 s) and AAC in real time for `seconds` to
    rtmp://127.0.0.1:{rtmp}/live/<stream>."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds),
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
         "-c:a", "aac", "-ar", "44100", "-ac", "2", "-b:a", "64k",
         "-f", "flv", "rtmp://127.0.0.1:%d/live/%s" % (srs.rtmp, stream)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
