"""Transcode, ingest and exec with the real binary: the server runs ffmpeg (and commands) as
supervised children. Checked like a user would: ffprobe of the transcoded stream (size, profile),
the children in /proc (exactly one per engine, none left after unpublish or after the server is
SIGKILLed), /api/v1/processes, an ingest that plays again after its ffmpeg is killed.

Set SRS_FFMPEG_TIMINGS=path to append the measured timings and process lists (for reports)."""

import json
import os
import re
import signal
import time
import unittest
import urllib.request

import srs_testlib
from srs_testlib import CONF_BASE, publish_av, SrsProcess, have, run, stop_process, wait_for

TIMINGS = []


def note(what):
    TIMINGS.append(what)
    path = os.environ.get("SRS_FFMPEG_TIMINGS")
    if path:
        with open(path, "a") as f:
            f.write(what + "\n")


def children(ppid):
    """[(pid, cmdline)] of the live (not zombie) processes whose parent is ppid."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % d, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, split after the last ")".
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == ppid and fields[0] != "Z":
            out.append((int(d), cmd))
    return sorted(out)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2:].split()[0] != "Z"


def api(srs, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (srs.api, path), timeout=5) as r:
        return json.loads(r.read())


def probe_stream(url, timeout=15):
    """The streams of a live RTMP URL by ffprobe ([] when it cannot be read)."""
    r = run(["ffprobe", "-v", "error", "-rw_timeout", "5000000", "-show_entries",
             "stream=codec_name,width,height,profile", "-of", "json", url], timeout=timeout)
    try:
        return json.loads(r.stdout).get("streams", [])
    except ValueError:
        return []


def plays(url, seconds=2):
    """Seconds of media read from a live URL in `seconds`."""
    r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-rw_timeout", "5000000", "-i", url,
             "-t", str(seconds), "-c", "copy", "-f", "null", "-", "-progress", "pipe:1", "-nostats"], timeout=30)
    times = [int(v) for v in re.findall(r"out_time_us=(\d+)", r.stdout)]
    return max(times) / 1e6 if times else 0.0


API = """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
ff_log_dir {dir}/fflogs;
"""

# SRS's full.conf output form: app?vhost=v/stream, which SRS transcodes again (forever).
TRANSCODE = CONF_BASE + API + """
vhost __defaultVhost__ {{
    transcode live {{
        enabled on;
        ffmpeg ./objs/ffmpeg/bin/ffmpeg;
        engine sd {{
            enabled on;
            vcodec libx264;
            vbitrate 300;
            vfps 25;
            vwidth 320;
            vheight 180;
            vthreads 1;
            vprofile baseline;
            vpreset ultrafast;
            acodec aac;
            abitrate 64;
            asample_rate 44100;
            achannels 2;
            output rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine];
        }}
        engine cp {{
            enabled on;
            vcodec copy;
            acodec copy;
            output %(cp_output)s;
        }}
    }}
}}
"""

INGEST = CONF_BASE + API + """
vhost __defaultVhost__ {{
%(ingest)s
}}
"""

INGEST_BLOCK = """
    ingest src {{
        enabled on;
        input {{ type file; url {dir}/src.flv; }}
        ffmpeg ./objs/ffmpeg/bin/ffmpeg;
        engine {{ enabled off; output rtmp://127.0.0.1:[port]/live/ingested; }}
    }}
"""

EXEC = CONF_BASE + API + """
vhost __defaultVhost__ {{
    exec {{
        enabled on;
        publish sleep 1000;
        publish touch {dir}/exec-[app]-[stream];
    }}
}}
"""


def ffmpeg_children(srs):
    return [c for c in children(srs.proc.pid) if "ffmpeg" in c[1]]


@unittest.skipUnless(have("ffmpeg") and have("ffprobe"), "ffmpeg/ffprobe not installed")
class FfmpegTestCase(unittest.TestCase):
    def setUp(self):
        self.pubs = []
        self.srs = None

    def tearDown(self):
        for p in self.pubs:
            stop_process(p)
        if self.srs:
            self.srs.cleanup()

    def publish(self, stream, seconds):
        p = publish_av(self.srs, stream, seconds)
        self.pubs.append(p)
        return p

    def test_transcode(self):
        srs = self.srs = SrsProcess(TRANSCODE % {"cp_output": "rtmp://127.0.0.1:[port]/[app]/[stream]_[engine]"})
        srs.start()
        t0 = time.time()
        pub = self.publish("tc", 60)
        sd = "rtmp://127.0.0.1:%d/live/tc_sd" % srs.rtmp

        def sd_ready():
            streams = probe_stream(sd)
            video = [s for s in streams if s.get("codec_name") == "h264"]
            return streams if video and [s for s in streams if s.get("codec_name") == "aac"] else None

        streams = wait_for(sd_ready, 20, 0.5)
        self.assertTrue(streams, srs.log()[-3000:])
        note("transcode: live/tc_sd readable %.1fs after publish start" % (time.time() - t0))
        video = [s for s in streams if s.get("codec_name") == "h264"][0]
        self.assertEqual((320, 180), (video["width"], video["height"]))
        self.assertIn("Baseline", video.get("profile", ""))
        # Exactly one ffmpeg per engine, and none for the outputs (no cascade), also a while later.
        time.sleep(3)
        kids = ffmpeg_children(srs)
        note("transcode: children of srs pid %d: %s" % (srs.proc.pid, json.dumps(kids)))
        self.assertEqual(2, len(kids), kids)
        self.assertEqual(1, len([c for c in kids if "tc_sd" in c[1]]), kids)
        self.assertEqual(1, len([c for c in kids if "tc_cp" in c[1]]), kids)
        streams_api = [s["name"] for s in api(srs, "/api/v1/streams")["streams"]]
        self.assertEqual(["tc", "tc_cp", "tc_sd"], sorted(streams_api))
        procs = api(srs, "/api/v1/processes")["processes"]
        note("transcode: /api/v1/processes: %s" % json.dumps(
            [{k: p[k] for k in ("kind", "name", "pid", "state", "restarts", "uptime_ms")} for p in procs]))
        self.assertEqual(sorted(k[0] for k in kids), sorted(p["pid"] for p in procs))
        self.assertTrue(all(p["state"] == "running" and p["kind"] == "transcode" for p in procs), procs)
        self.assertTrue(all(p["cid"] for p in procs), procs)
        self.assertIn("libx264", [p for p in procs if p["name"].endswith("/sd")][0]["command"])
        # The log names the context id of the publish that started them.
        self.assertIn("[%s]" % procs[0]["cid"], srs.log())

        # Reload: a changed engine restarts, the other runs on.
        sd_pid = [c[0] for c in kids if "tc_sd" in c[1]][0]
        cp_pid = [c[0] for c in kids if "tc_cp" in c[1]][0]
        srs.write_config(TRANSCODE % {"cp_output": "rtmp://127.0.0.1:[port]/[app]/[stream]_copy2"})
        srs.signal(signal.SIGHUP)
        t1 = time.time()
        self.assertTrue(wait_for(lambda: any("tc_copy2" in c[1] for c in ffmpeg_children(srs)) and
                                 not alive(cp_pid), 10), ffmpeg_children(srs))
        note("transcode: reload restarted engine cp in %.1fs" % (time.time() - t1))
        self.assertIn(sd_pid, [c[0] for c in ffmpeg_children(srs)])
        self.assertEqual(2, len(ffmpeg_children(srs)))

        # Unpublish: the children are gone within a few seconds.
        pub.kill()
        t2 = time.time()
        self.assertTrue(wait_for(lambda: not ffmpeg_children(srs), 6), ffmpeg_children(srs))
        note("transcode: children gone %.1fs after unpublish" % (time.time() - t2))
        self.assertTrue(wait_for(lambda: not api(srs, "/api/v1/processes")["processes"], 3))

    def test_ingest_restart_and_reload(self):
        srs = self.srs = SrsProcess(INGEST % {"ingest": INGEST_BLOCK})
        src = os.path.join(srs.dir, "src.flv")
        r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=208x112:rate=25",
                 "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "4", "-c:v", "libx264",
                 "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-ar", "44100", "-f", "flv", src], timeout=60)
        self.assertEqual(0, r.returncode, r.stderr)
        srs.start()
        url = "rtmp://127.0.0.1:%d/live/ingested" % srs.rtmp
        t0 = time.time()
        streams = wait_for(lambda: probe_stream(url), 15, 0.5)
        self.assertTrue(streams, srs.log()[-3000:])
        note("ingest: live/ingested readable %.1fs after server start" % (time.time() - t0))
        video = [s for s in streams if s.get("codec_name") == "h264"]
        self.assertTrue(video, streams)
        # Copied: the file's own size, beyond one loop of the 4 s file.
        self.assertEqual((208, 112), (video[0]["width"], video[0]["height"]))
        self.assertIn("aac", [s.get("codec_name") for s in streams])
        self.assertGreaterEqual(plays(url, 5), 4.0)

        kids = ffmpeg_children(srs)
        note("ingest: children of srs pid %d: %s" % (srs.proc.pid, json.dumps(kids)))
        self.assertEqual(1, len(kids), kids)
        old = kids[0][0]
        os.kill(old, signal.SIGKILL)
        t1 = time.time()
        new = wait_for(lambda: [c for c in ffmpeg_children(srs) if c[0] != old], 5, 0.05)
        self.assertTrue(new, srs.log()[-2000:])
        restart = time.time() - t1
        note("ingest: killed pid %d, new ffmpeg pid %d after %.2fs" % (old, new[0][0], restart))
        self.assertLess(restart, 2.0)
        self.assertTrue(wait_for(lambda: probe_stream(url), 15, 0.2), srs.log()[-2000:])
        note("ingest: readable again %.1fs after the kill" % (time.time() - t1))
        self.assertGreaterEqual(plays(url, 3), 2.5)
        procs = api(srs, "/api/v1/processes")["processes"]
        self.assertEqual(1, len(procs), procs)
        self.assertEqual(1, procs[0]["restarts"], procs)
        self.assertEqual("signal 9", procs[0]["last_exit"], procs)
        self.assertTrue(os.path.exists(procs[0]["log"]), procs)

        # Reload without the ingest stops it; with it again starts it.
        srs.write_config(INGEST % {"ingest": ""})
        srs.signal(signal.SIGHUP)
        t2 = time.time()
        self.assertTrue(wait_for(lambda: not ffmpeg_children(srs), 6), ffmpeg_children(srs))
        note("ingest: removed by reload, child gone after %.1fs" % (time.time() - t2))
        srs.write_config(INGEST % {"ingest": INGEST_BLOCK})
        srs.signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: len(ffmpeg_children(srs)) == 1, 5), srs.log()[-2000:])

        # Graceful quit: the ingest stops first, so its connection does not hold the quit for
        # grace_final_wait; no child is left.
        kids = wait_for(lambda: ffmpeg_children(srs), 5)
        srs.signal(signal.SIGQUIT)
        t3 = time.time()
        self.assertEqual(0, srs.wait(10))
        note("ingest: graceful quit (SIGQUIT) done after %.2fs" % (time.time() - t3))
        self.assertFalse(any(alive(c[0]) for c in kids))

    def test_ingest_stream(self):
        # A stream input: relays a published stream; started by reload while it is published.
        srs = self.srs = SrsProcess(INGEST % {"ingest": ""})
        srs.start()
        self.publish("src", 60)
        self.assertTrue(wait_for(lambda: probe_stream("rtmp://127.0.0.1:%d/live/src" % srs.rtmp), 10, 0.3))
        srs.write_config(INGEST % {"ingest": """
    ingest relay {{
        enabled on;
        input {{ type stream; url rtmp://127.0.0.1:{rtmp}/live/src; }}
        engine {{ enabled off; output rtmp://127.0.0.1:[port]/[app]/[stream]_copy; }}
    }}
"""})
        srs.signal(signal.SIGHUP)
        t0 = time.time()
        url = "rtmp://127.0.0.1:%d/live/relay_copy" % srs.rtmp
        streams = wait_for(lambda: probe_stream(url), 15, 0.3)
        self.assertTrue(streams, srs.log()[-2000:])
        note("ingest stream: live/relay_copy readable %.1fs after the reload" % (time.time() - t0))
        self.assertEqual((320, 240), [(s["width"], s["height"]) for s in streams if s.get("codec_name") == "h264"][0])
        procs = api(srs, "/api/v1/processes")["processes"]
        self.assertEqual(1, len(procs), procs)
        self.assertEqual(url, procs[0]["stream"])
        self.assertNotIn("-stream_loop", procs[0]["argv"])

    def test_exec_and_sigkill(self):
        srs = self.srs = SrsProcess(EXEC)
        srs.start()
        pub = self.publish("ex", 60)
        marker = os.path.join(srs.dir, "exec-live-ex")
        self.assertTrue(wait_for(lambda: os.path.exists(marker), 10), srs.log()[-2000:])
        sleeps = wait_for(lambda: [c for c in children(srs.proc.pid) if c[1] == "/usr/bin/sleep 1000" or
                                   c[1] == "/bin/sleep 1000"], 5)
        self.assertEqual(1, len(sleeps), children(srs.proc.pid))
        note("exec: children of srs pid %d: %s" % (srs.proc.pid, json.dumps(children(srs.proc.pid))))
        pub.kill()
        t0 = time.time()
        self.assertTrue(wait_for(lambda: not alive(sleeps[0][0]), 6))
        note("exec: command stopped %.1fs after unpublish" % (time.time() - t0))

        # The server SIGKILLed: its children die with it (PR_SET_PDEATHSIG).
        pub = self.publish("ex2", 60)
        kids = wait_for(lambda: [c for c in children(srs.proc.pid) if "sleep" in c[1]], 10)
        self.assertTrue(kids, srs.log()[-2000:])
        srs.proc.send_signal(signal.SIGKILL)
        srs.proc.wait()
        t1 = time.time()
        self.assertTrue(wait_for(lambda: not any(alive(c[0]) for c in kids), 3), kids)
        note("sigkill: %d children of the SIGKILLed server gone after %.2fs" % (len(kids), time.time() - t1))

    def test_quit_stops_children(self):
        srs = self.srs = SrsProcess(EXEC)
        srs.start()
        self.publish("q", 60)
        kids = wait_for(lambda: [c for c in children(srs.proc.pid) if "sleep" in c[1]], 10)
        self.assertTrue(kids, srs.log()[-2000:])
        srs.signal(signal.SIGTERM)
        t0 = time.time()
        self.assertEqual(0, srs.wait(10))
        note("quit: SIGTERM, server and its %d children gone after %.2fs" % (len(kids), time.time() - t0))
        self.assertFalse(any(alive(c[0]) for c in kids))
        # Stopped by the server, not orphaned: the publisher's close may stop and reap them before
        # the supervisor's own stop_all runs, so the per-child line is what is always there.
        for pid, _ in kids:
            self.assertRegex(srs.log(), r"pid=%d stopped \(" % pid)

    def test_transcode_children_die_with_sigkilled_server(self):
        srs = self.srs = SrsProcess(TRANSCODE % {"cp_output": "rtmp://127.0.0.1:[port]/[app]/[stream]_[engine]"})
        srs.start()
        self.publish("k", 60)
        kids = wait_for(lambda: len(ffmpeg_children(srs)) == 2 and ffmpeg_children(srs), 15)
        self.assertTrue(kids, srs.log()[-2000:])
        srs.proc.send_signal(signal.SIGKILL)
        srs.proc.wait()
        t0 = time.time()
        self.assertTrue(wait_for(lambda: not any(alive(c[0]) for c in kids), 3), kids)
        note("sigkill: %d ffmpeg of the SIGKILLed server gone after %.2fs" % (len(kids), time.time() - t0))


if __name__ == "__main__":
    srs_testlib.main()
