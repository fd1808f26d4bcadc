"""Helpers for integration tests: start the real srs binary on free loopback ports with a
generated config, wait for it, and stop it. Standard library only."""

import fnmatch
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def srs_binary():
    # Absolute: the server runs in the test's directory, so a relative SRS_BINARY would not resolve.
    path = os.path.abspath(os.environ.get("SRS_BINARY") or os.path.join(ROOT, "build", "srs"))
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

# An origin for edges and forwarders: the API (to list its clients and streams) and a default vhost
# with nothing else on.
ORIGIN_CONF = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
vhost __defaultVhost__ {{ }}
"""


def edge_conf(origins, vhost):
    """The config of an edge that pulls from origins (["host:port", ...]) for its players, with the
    API and the HTTP server; vhost: the default vhost's other directives (the remuxers)."""
    return CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    cluster {{ mode remote; origin %s; }}%s}}
""" % (" ".join(origins), vhost)


# Set by the SRS_SANITIZE=ON tree's ctest. RSS says nothing about the server's memory there
# (ASan holds freed blocks in its quarantine and adds shadow memory): memory bounds are checked
# on the Release tree, and skipped (only those assertions) on this one.
SANITIZER_BUILD = os.environ.get("SRS_SANITIZER_BUILD") == "1"

# What AddressSanitizer, LeakSanitizer and UBSan write to stderr when they find something.
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


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

    def configured_ports(self):
        """The test's ports (rtmp, api, http) that the current config listens on."""
        text = read_text(self.conf)
        return [p for p in (self.rtmp, self.api, self.http) if re.search(r"[\s:]%d\b" % p, text)]

    def start(self, wait_port=None, extra_args=()):
        """Starts srs and waits until every port of the config accepts connections (a test that
        talks to the RTMP port right after waiting only for the API one races the listener).
        wait_port adds a port to wait for; 0 waits for none."""
        with open(self.stdout, "w") as out:
            self.proc = subprocess.Popen([srs_binary(), "-c", self.conf, *extra_args], cwd=self.dir,
                                         stdout=out, stderr=subprocess.STDOUT)
        ports = [] if wait_port == 0 else self.configured_ports()
        if wait_port and wait_port not in ports:
            ports.append(wait_port)
        for port in ports:
            if not wait_for(lambda: port_open(port) or self.proc.poll() is not None, 10):
                raise AssertionError("srs did not listen on %d:\n%s" % (port, self.log()))
            if self.proc.poll() is not None:
                break
        if self.proc.poll() is not None:
            raise AssertionError("srs exited with %s:\n%s" % (self.proc.returncode, self.log()))
        return self

    def wait_publishing(self, stream, vhost="__defaultVhost__", app="live", timeout=15, proc=None):
        """Waits until the server logs that vhost/app/stream is published, instead of sleeping
        a fixed time for "the publisher is up". Fails with the log (and the publisher's stderr
        when proc ended) when it does not come."""
        line = "publish %s/%s/%s started" % (vhost, app, stream)
        ok = wait_for(lambda: line in self.log() or (proc is not None and proc.poll() is not None), timeout)
        if not ok or line not in self.log():
            err = ""
            if proc is not None and proc.poll() is not None and proc.stderr:
                err = proc.stderr.read()
                err = err.decode(errors="replace") if isinstance(err, bytes) else err
            raise AssertionError("%s/%s/%s was not published (publisher: %s):\n%s"
                                 % (vhost, app, stream, err.strip()[-500:], self.log()[-3000:]))

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

    def sanitizer_report(self):
        """The first sanitizer report the server wrote (ASan, UBSan, LSan), "" when none."""
        text = read_text(self.stdout)
        for marker in SANITIZER_MARKERS:
            i = text.find(marker)
            if i >= 0:
                return text[max(0, i - 200):i + 4000]
        return ""

    def assert_no_sanitizer_report(self):
        report = self.sanitizer_report()
        if report:
            raise AssertionError("sanitizer report from srs (test dir %s kept):\n%s" % (self.dir, report))

    def cleanup(self):
        self.stop()
        # Under the sanitizer build a report fails the test that ran the server, whatever it
        # checked (UBSan goes on after its report unless built not to recover).
        self.assert_no_sanitizer_report()
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


# ---- playback as a viewer sees it ----

# A player that gets less than this share of real time, or waits longer than MAX_GAP for its
# next message, stutters visibly; loopback on a loaded 2-core machine stays well inside both.
REALTIME_RATIO = 0.8
MAX_GAP = 1.5


def media_advance(samples, t0, t1):
    """samples: [(arrival wall time, media timestamp in ms)] of one track, in arrival order.
    Returns (seconds of media that arrived in [t0, t1], the longest wait in [t0, t1] without
    one). Backward steps (a loop, a republish) and jumps over 1 s count as no media."""
    inside = [(a, ts) for a, ts in samples if t0 <= a <= t1]
    media = 0
    for (_, p), (_, ts) in zip(inside, inside[1:]):
        if 0 < ts - p <= 1000:
            media += ts - p
    times = [t0] + [a for a, _ in inside] + [t1]
    gap = max(b - a for a, b in zip(times, times[1:]))
    return media / 1000.0, gap


def assert_realtime(test, samples, t0, t1, what="player", ratio=REALTIME_RATIO, max_gap=MAX_GAP):
    """The track in samples (see media_advance) advanced at least `ratio` of the wall time
    [t0, t1] and never waited more than max_gap. Start t0 after the join's GOP-cache burst:
    a player that gets the burst and then stalls must fail."""
    media, gap = media_advance(samples, t0, t1)
    wall = t1 - t0
    msg = "%s: %.2f s of media in %.2f s of wall time, longest gap %.2f s" % (what, media, wall, gap)
    test.assertGreaterEqual(media, ratio * wall, msg)
    test.assertLessEqual(gap, max_gap, msg)
    return media, gap


# ---- skips: visible always, and a failure in CI unless allow-listed ----

SKIP_ALLOWLIST = os.path.join(ROOT, "tests", "skip-allowlist.txt")


def skip_allowlist(path=SKIP_ALLOWLIST):
    """[(pattern, why)] from the allow-list file: `<fnmatch pattern of the test id> <why>` per line,
    `#` comments. A line without its reason is ignored: every allowed skip must say why."""
    out = []
    for line in read_text(path).splitlines():
        line = line.split("#", 1)[0].strip()
        parts = line.split(None, 1)
        if len(parts) == 2:
            out.append((parts[0], parts[1]))
    return out


def in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unexpected_skips(skipped, allow):
    """The (id, reason) skips that no allow-list pattern matches."""
    return [(tid, why) for tid, why in skipped if not any(fnmatch.fnmatchcase(tid, pat) for pat, _ in allow)]


def report_skips(result, script):
    """Prints every skipped test; returns False when CI=true and one is not allow-listed."""
    # A skipped setUpModule/setUpClass reports a holder whose id() names the module or class.
    skipped = [(script + "." + t.id().replace("__main__.", "").replace(script + ".", "", 1), str(why))
               for t, why in result.skipped]
    for tid, why in skipped:
        print("SKIPPED %s: %s" % (tid, why), file=sys.stderr)
    bad = unexpected_skips(skipped, skip_allowlist()) if in_ci() else []
    if bad:
        print("CI: %d skip(s) not in %s; each one is a test that did not run:" % (len(bad), SKIP_ALLOWLIST),
              file=sys.stderr)
        for tid, why in bad:
            print("  %s: %s" % (tid, why), file=sys.stderr)
    return not bad


def main(verbosity=1):
    """Runs the script's tests like unittest.main(), then lists what was skipped. With CI=true
    a skip fails the run unless tests/skip-allowlist.txt allows it: in CI every tool is
    installed, so a skip there means a test that did not run, and `OK (skipped=N)` must not pass."""
    script = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    result = unittest.main(verbosity=verbosity, exit=False).result
    ok = report_skips(result, script)
    sys.exit(0 if result.wasSuccessful() and ok else 1)


def run_script(path, verbosity=2):
    """Loads an integration script as a module and runs its tests with the skip report: ctest
    runs every script through this (tests/integration/run_itest.py), so a script that ends
    with a plain unittest.main() still cannot pass CI with skips."""
    import importlib.util
    name = os.path.splitext(os.path.basename(path))[0]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    # unittest finds setUpModule through sys.modules.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    result = unittest.TextTestRunner(verbosity=verbosity).run(suite)
    ok = report_skips(result, name)
    return 0 if result.wasSuccessful() and ok else 1
