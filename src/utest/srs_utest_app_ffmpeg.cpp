// The ffmpeg features: argv building and substitution (engines, ingest, exec), the cascade
// check's URL keys, the restart backoff, and the supervisor with real children (/bin/sh,
// sleep): start, log file, closed fds, restart, one-shot, stop with SIGTERM and SIGKILL, reaping.
#include <gtest/gtest.h>
#include <srs_utest_app_ffmpeg.hpp>
#include <srs_utest_temp_dir.hpp>

#include <srs_app_config.hpp>
#include <srs_app_exec.hpp>
#include <srs_app_ffmpeg_api.hpp>
#include <srs_app_ffmpeg_args.hpp>
#include <srs_app_ffmpeg_process.hpp>
#include <srs_app_ingest.hpp>
#include <srs_app_source.hpp>
#include <srs_app_transcode.hpp>
#include <srs_core_st.hpp>
#include <srs_core_utility.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <fstream>
#include <sstream>

using namespace srs_utest_ffmpeg;

namespace {

// A publish of H.264 + AAC as ffmpeg makes it (the other codecs are in
// srs_utest_app_transcode_input.cpp): the sequence headers, then the first frames start the engines.
void publish_h264(ISrsLiveSourceHandler* h) {
    EXPECT_TRUE(h->on_publish() == srs_success);
    EXPECT_TRUE(h->on_video(avc_sh()) == srs_success);
    EXPECT_TRUE(h->on_audio(aac_sh()) == srs_success);
    EXPECT_TRUE(h->on_video(avc_key()) == srs_success);
    EXPECT_TRUE(h->on_audio(aac_frame()) == srs_success);
}

std::string join(const std::vector<std::string>& v) {
    return srs_string_join(v, " ");
}

using srs_utest::read_file;
// Ticks the supervisor until pred holds or about timeout passes.
template <typename Pred>
bool tick_until(SrsProcessSupervisor& s, Pred pred, srs_utime_t timeout = 3 * SRS_UTIME_SECONDS) {
    srs_utime_t deadline = srs_update_system_time() + timeout;
    while (!pred()) {
        if (srs_update_system_time() > deadline) {
            return false;
        }
        srs_usleep(10 * SRS_UTIME_MILLISECONDS);
        s.tick();
    }
    return true;
}

bool pid_alive(pid_t pid) {
    // A zombie still answers kill(0): our children are reaped, so ECHILD/ESRCH both mean gone.
    return ::kill(pid, 0) == 0;
}

const char* kEngineConf = R"(
listen 127.0.0.1:19350;
ff_log_dir /tmp/fflogs;
ff_log_level warning;
vhost __defaultVhost__ {
    transcode live {
        enabled on;
        ffmpeg /bin/sh;
        engine sd {
            enabled on;
            perfile { re; }
            vfilter { i logo.png; filter_complex 'overlay=10:10'; }
            vcodec libx264;
            vbitrate 300;
            vfps 29.97;
            vwidth 320;
            vheight 180;
            vthreads 2;
            vprofile baseline;
            vpreset ultrafast;
            vparams { t 100; coder 1; }
            acodec aac;
            abitrate 64;
            asample_rate 44100;
            achannels 2;
            aparams { profile:a aac_low; }
            output rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine];
        }
        engine off {
            enabled off;
            output rtmp://127.0.0.1:[port]/[app]/[stream]_off;
        }
        engine {
            enabled on;
            vcodec vn;
            acodec an;
            output rtmp://127.0.0.1:[port]/[app]/[stream]_none;
        }
    }
    transcode other {
        enabled on;
        ffmpeg /bin/sh;
        engine x { enabled on; output rtmp://127.0.0.1:[port]/other/x; }
    }
}
vhost v2 {
    transcode live/one {
        enabled on;
        ffmpeg /bin/sh;
        engine hd { enabled on; vcodec copy; acodec copy; output rtmp://127.0.0.1:[port]/[app]/[stream]_[engine]?vhost=[vhost]; }
    }
}
)";

}  // namespace

TEST(FfmpegArgs, SubstituteAndBlockOptions) {
    SrsFfmpegVars vars = {{"[vhost]", "v"}, {"[app]", "live"}, {"[stream]", "s"}, {"$name", "s"}};
    EXPECT_EQ("rtmp://h/live/s_s?vhost=v [port] x$names",
              srs_ffmpeg_substitute("rtmp://h/[app]/[stream]_[stream]?vhost=[vhost] [port] x$names", vars));
    // No re-expansion of a value that looks like a variable.
    EXPECT_EQ("[app]", srs_ffmpeg_substitute("[vhost]", {{"[vhost]", "[app]"}, {"[app]", "no"}}));
    EXPECT_EQ("", srs_ffmpeg_substitute("", vars));

    auto conf = load("vhost v { transcode { engine { vparams { t 100; coder 1; x264opts a=1:b=2; } } } }");
    const SrsConfDirective* e = conf->root()->get("vhost", "v")->get("transcode")->get("engine");
    EXPECT_EQ("-t 100 -coder 1 -x264opts a=1:b=2", join(srs_ffmpeg_block_options(e->get("vparams"))));
    EXPECT_TRUE(srs_ffmpeg_block_options(nullptr).empty());
}

TEST(FfmpegArgs, EngineArgv) {
    auto conf = load(kEngineConf);
    const SrsConfDirective* t = conf->root()->get("vhost", "__defaultVhost__")->get("transcode");
    std::vector<const SrsConfDirective*> engines = t->get_all("engine");
    ASSERT_EQ(3u, engines.size());

    SrsFfmpegEngine e = srs_ffmpeg_engine_load(*conf, engines[0], srs_engine_keys::transcode);
    EXPECT_EQ("sd", e.name);
    EXPECT_TRUE(e.enabled);
    EXPECT_EQ("flv", e.iformat);
    EXPECT_FALSE(e.iformat_set);
    EXPECT_EQ(
        "/ff -loglevel warning -re -f flv -i IN -i logo.png -filter_complex overlay=10:10 -vcodec libx264 "
        "-b:v 300k -r 29.97 -s 320x180 -profile:v baseline -preset ultrafast -threads 2 -t 100 -coder 1 "
        "-acodec aac -b:a 64k -ar 44100 -ac 2 -profile:a aac_low -f flv -y OUT",
        join(srs_ffmpeg_engine_argv("/ff", "warning", e, true, "IN", "OUT")));
    // Without -f iformat and without -loglevel.
    EXPECT_EQ(0u, join(srs_ffmpeg_engine_argv("/ff", "", e, false, "IN", "OUT")).find("/ff -re -i IN "));

    SrsFfmpegEngine off = srs_ffmpeg_engine_load(*conf, engines[1], srs_engine_keys::transcode);
    EXPECT_FALSE(off.enabled);

    SrsFfmpegEngine none = srs_ffmpeg_engine_load(*conf, engines[2], srs_engine_keys::transcode);
    EXPECT_EQ("", none.name);
    EXPECT_EQ("/ff -f flv -i IN -vn -an -f flv -y OUT",
              join(srs_ffmpeg_engine_argv("/ff", "", none, true, "IN", "OUT")));

    // Missing codecs are copied; oformat off lets ffmpeg guess.
    SrsFfmpegEngine copy;
    copy.oformat = "off";
    EXPECT_EQ("/ff -i IN -vcodec copy -acodec copy -y OUT",
              join(srs_ffmpeg_engine_argv("/ff", "", copy, true, "IN", "OUT")));
    EXPECT_EQ("/ff -loglevel info -re -i IN -vcodec copy -acodec copy -f flv -y OUT",
              join(srs_ffmpeg_copy_argv("/ff", "info", {"-re"}, "IN", "flv", "OUT")));

    std::vector<std::string> argv = {"/ff", "-f", "flv", "-i", "IN"};
    srs_ffmpeg_insert_before_input(&argv, srs_ffmpeg_ingest_input_options("file"));
    EXPECT_EQ("/ff -f flv -stream_loop -1 -re -i IN", join(argv));
    EXPECT_TRUE(srs_ffmpeg_ingest_input_options("stream").empty());
}

TEST(FfmpegArgs, LogFileAndListen) {
    EXPECT_EQ("./objs/ffmpeg-transcode-v-live-s_x-sd.log",
              srs_ffmpeg_log_file("./objs/", "transcode", {"v", "live", "s?x", "sd"}));
    EXPECT_EQ("/l/ffmpeg-ingest-a-b.log", srs_ffmpeg_log_file("/l", "ingest", {"a", "", "b"}));
    EXPECT_EQ("", srs_ffmpeg_log_file("/dev/null", "ingest", {"a"}));
    EXPECT_EQ("", srs_ffmpeg_log_file("", "ingest", {"a"}));

    auto conf = load("listen 1936 1937; vhost v {}");
    EXPECT_EQ(1936, srs_ffmpeg_rtmp_port(*conf));
    EXPECT_EQ("127.0.0.1", srs_ffmpeg_rtmp_host(*conf));
    conf = load("listen 10.0.0.1:1940; vhost v {}");
    EXPECT_EQ(1940, srs_ffmpeg_rtmp_port(*conf));
    EXPECT_EQ("10.0.0.1", srs_ffmpeg_rtmp_host(*conf));
    conf = load("vhost v {}");
    EXPECT_EQ(1935, srs_ffmpeg_rtmp_port(*conf));
}

TEST(FfmpegArgs, SplitCommand) {
    EXPECT_EQ("a|b c|d|e f", srs_string_join(srs_ffmpeg_split_command("  a 'b c'\td \"e f\" "), "|"));
    EXPECT_TRUE(srs_ffmpeg_split_command("   ").empty());
    EXPECT_EQ("|x", srs_string_join(srs_ffmpeg_split_command("'' x"), "|"));
}

TEST(FfmpegProcess, Backoff) {
    SrsRestartBackoff b(SRS_UTIME_SECONDS, 30 * SRS_UTIME_SECONDS, 10 * SRS_UTIME_SECONDS);
    EXPECT_EQ(1 * SRS_UTIME_SECONDS, b.on_exit(0));
    EXPECT_EQ(2 * SRS_UTIME_SECONDS, b.on_exit(SRS_UTIME_SECONDS));
    EXPECT_EQ(4 * SRS_UTIME_SECONDS, b.on_exit(0));
    EXPECT_EQ(8 * SRS_UTIME_SECONDS, b.on_exit(0));
    EXPECT_EQ(16 * SRS_UTIME_SECONDS, b.on_exit(0));
    EXPECT_EQ(30 * SRS_UTIME_SECONDS, b.on_exit(0));
    for (int i = 0; i < 100; i++) {
        EXPECT_EQ(30 * SRS_UTIME_SECONDS, b.on_exit(0));
    }
    EXPECT_EQ(106, b.failures());
    // A child that ran stably starts again from the initial delay.
    EXPECT_EQ(1 * SRS_UTIME_SECONDS, b.on_exit(10 * SRS_UTIME_SECONDS));
    EXPECT_EQ(1, b.failures());
}

TEST(FfmpegProcess, StatusAndResolve) {
    EXPECT_EQ("exit 3", srs_wait_status_string(3 << 8));
    EXPECT_EQ("signal 9", srs_wait_status_string(9));

    bool fallback = true;
    EXPECT_EQ("/bin/sh", srs_resolve_program("/bin/sh", &fallback));
    EXPECT_FALSE(fallback);
    // A missing path (SRS's ./objs/ffmpeg/bin/ffmpeg): its base name from PATH.
    std::string sh = srs_resolve_program("./objs/no/such/dir/sh", &fallback);
    EXPECT_TRUE(fallback);
    EXPECT_TRUE(srs_string_ends_with(sh, "/sh")) << sh;
    EXPECT_EQ(0, ::access(sh.c_str(), X_OK));
    std::string bare = srs_resolve_program("sh", &fallback);
    EXPECT_FALSE(fallback);
    EXPECT_TRUE(srs_string_ends_with(bare, "/sh")) << bare;
    EXPECT_EQ("", srs_resolve_program("./objs/no/such/srs-no-such-program", &fallback));
    EXPECT_EQ("", srs_resolve_program("", &fallback));
}

TEST(FfmpegTranscode, UrlKeys) {
    auto conf = load("vhost __defaultVhost__ {} vhost v2 {}");
    // SRS's full.conf form: ffmpeg takes "live?vhost=v2" as the app.
    EXPECT_EQ("v2/live/s_sd",
              srs_string_join(srs_rtmp_url_stream_keys(*conf, "rtmp://127.0.0.1:1935/live?vhost=v2/s_sd"), ","));
    EXPECT_EQ("__defaultVhost__/live/s_sd",
              srs_string_join(srs_rtmp_url_stream_keys(*conf, "rtmp://127.0.0.1:1935/live/s_sd"), ","));
    EXPECT_EQ("v2/live/s_sd",
              srs_string_join(srs_rtmp_url_stream_keys(*conf, "rtmp://127.0.0.1/live/s_sd?vhost=v2&x=1"), ","));
    // The host names the vhost when declared; an unknown one falls back to the default vhost.
    EXPECT_EQ("v2/live/s", srs_string_join(srs_rtmp_url_stream_keys(*conf, "rtmp://v2:1935/live/s"), ","));
    EXPECT_EQ("__defaultVhost__/live/s", srs_string_join(srs_rtmp_url_stream_keys(*conf, "rtmp://x.y/live/s"), ","));
    // An app of two segments: ffmpeg and OBS split it differently; both are kept.
    EXPECT_EQ("__defaultVhost__/a/b/c,__defaultVhost__/a/b/c",
              srs_string_join(srs_rtmp_url_stream_keys(*conf, "rtmp://h/a/b/c"), ",") + "," +
                  srs_rtmp_url_stream_keys(*conf, "rtmp://h/a/b/c").back());
    EXPECT_TRUE(srs_rtmp_url_stream_keys(*conf, "srt://h/live/s").empty());
    EXPECT_TRUE(srs_rtmp_url_stream_keys(*conf, "rtmp://h/live").empty());
    // No vhost serves it.
    auto strict = load("vhost only {}");
    EXPECT_TRUE(srs_rtmp_url_stream_keys(*strict, "rtmp://other/live/s").empty());
    EXPECT_EQ("only/live/s", srs_string_join(srs_rtmp_url_stream_keys(*strict, "rtmp://only/live/s"), ","));
}

TEST(FfmpegTranscode, Jobs) {
    EXPECT_TRUE(srs_transcode_scope_matches("", "live", "s"));
    EXPECT_TRUE(srs_transcode_scope_matches("live", "live", "s"));
    EXPECT_TRUE(srs_transcode_scope_matches("live/s", "live", "s"));
    EXPECT_FALSE(srs_transcode_scope_matches("live/t", "live", "s"));
    EXPECT_FALSE(srs_transcode_scope_matches("other", "live", "s"));

    auto conf = load(kEngineConf);
    std::vector<SrsTranscodeJob> jobs = srs_transcode_jobs(*conf, "__defaultVhost__", "live", "s");
    ASSERT_EQ(2u, jobs.size());
    EXPECT_EQ("transcode/__defaultVhost__/live/s/sd", jobs[0].name);
    EXPECT_EQ("sd", jobs[0].engine);
    EXPECT_EQ("/bin/sh", jobs[0].argv[0]);
    EXPECT_TRUE(srs_string_contains(join(jobs[0].argv), "-f flv -i rtmp://127.0.0.1:19350/live/s -i logo.png"));
    EXPECT_EQ("rtmp://127.0.0.1:19350/live?vhost=__defaultVhost__/s_sd", jobs[0].argv.back());
    EXPECT_EQ("__defaultVhost__/live/s_sd", srs_string_join(jobs[0].output_keys, ","));
    EXPECT_EQ("/tmp/fflogs/ffmpeg-transcode-__defaultVhost__-live-s-sd.log", jobs[0].log_file);
    // The unnamed engine is named by its index; [engine] is empty.
    EXPECT_EQ("transcode/__defaultVhost__/live/s/engine2", jobs[1].name);
    EXPECT_EQ("rtmp://127.0.0.1:19350/live/s_none", jobs[1].argv.back());

    EXPECT_EQ(1u, srs_transcode_jobs(*conf, "__defaultVhost__", "other", "s").size());
    EXPECT_TRUE(srs_transcode_jobs(*conf, "__defaultVhost__", "none", "s").empty());
    EXPECT_TRUE(srs_transcode_jobs(*conf, "nosuch", "live", "s").empty());
    // Another vhost: the input names it, the scope is app/stream.
    jobs = srs_transcode_jobs(*conf, "v2", "live", "one");
    ASSERT_EQ(1u, jobs.size());
    EXPECT_TRUE(srs_string_contains(join(jobs[0].argv), "-i rtmp://127.0.0.1:19350/live/one?vhost=v2 -vcodec copy"));
    EXPECT_EQ("v2/live/one_hd", srs_string_join(jobs[0].output_keys, ","));
    EXPECT_TRUE(srs_transcode_jobs(*conf, "v2", "live", "two").empty());

    // ffmpeg missing everywhere: no job.
    auto missing = load(
        "vhost v { transcode { enabled on; ffmpeg /no/such/srs-no-such-ffmpeg; engine { enabled on; "
        "output rtmp://h/a/b; } } }");
    EXPECT_TRUE(srs_transcode_jobs(*missing, "v", "live", "s").empty());
}

TEST(FfmpegIngest, Jobs) {
    auto conf = load(R"(
listen 1940;
ff_log_dir /dev/null;
vhost __defaultVhost__ {
    ingest cam {
        enabled on;
        input { type file; url ./doc/source.flv; }
        ffmpeg ./objs/ffmpeg/bin/sh;
        engine { enabled off; output rtmp://127.0.0.1:[port]/[app]/[stream]?vhost=[vhost]; }
        engine low { enabled on; vcodec libx264; acodec aac; output rtmp://127.0.0.1:[port]/live/low; }
    }
    ingest off { enabled off; input { type stream; url rtmp://x/y/z; } engine { output rtmp://h/a/b; } }
    ingest nourl { enabled on; engine { output rtmp://h/a/b; } }
}
vhost disabled {
    enabled off;
    ingest x { enabled on; input { type stream; url rtmp://x/y/z; } ffmpeg /bin/sh; engine { output rtmp://h/a/b; } }
}
)");
    std::vector<SrsIngestJob> jobs = srs_ingest_jobs(*conf);
    ASSERT_EQ(2u, jobs.size());
    EXPECT_EQ("ingest/__defaultVhost__/cam/engine0", jobs[0].name);
    // ./objs/ffmpeg/bin/sh does not exist: sh from PATH; the file is looped in real time and copied.
    EXPECT_TRUE(srs_string_ends_with(jobs[0].argv[0], "/sh")) << jobs[0].argv[0];
    EXPECT_EQ(
        "-loglevel info -stream_loop -1 -re -i ./doc/source.flv -vcodec copy -acodec copy -f flv -y "
        "rtmp://127.0.0.1:1940/live/cam?vhost=__defaultVhost__",
        join(std::vector<std::string>(jobs[0].argv.begin() + 1, jobs[0].argv.end())));
    EXPECT_EQ("", jobs[0].log_file);
    // An encoding engine: no -f flv before the input unless iformat is written.
    EXPECT_EQ("ingest/__defaultVhost__/cam/low", jobs[1].name);
    EXPECT_TRUE(srs_string_contains(join(jobs[1].argv),
                                    "-loglevel info -stream_loop -1 -re -i ./doc/source.flv "
                                    "-vcodec libx264"))
        << join(jobs[1].argv);
}

TEST(FfmpegExec, Commands) {
    auto conf = load(R"(
listen 1941;
vhost __defaultVhost__ {
    exec {
        enabled on;
        publish ./objs/no/such/sh -c "echo [app] [stream]" [tcUrl] [param] [url];
        publish "sh -c 'echo $name $app $args $tcurl'";
    }
}
vhost off { exec { enabled off; publish sh; } }
vhost v2 { exec { enabled on; publish /no/such/srs-no-such-program x; publish /bin/sh [vhost]; } }
)");
    SrsExecContext c;
    c.vhost = "__defaultVhost__";
    c.app = "live";
    c.stream = "s";
    c.port = 1941;
    c.tcUrl = "rtmp://h/live";
    c.param = "?token=1";
    std::vector<std::vector<std::string>> cmds = srs_exec_commands(*conf, c);
    ASSERT_EQ(2u, cmds.size());
    ASSERT_EQ(6u, cmds[0].size());
    EXPECT_TRUE(srs_string_ends_with(cmds[0][0], "/sh"));
    EXPECT_EQ("-c|echo live s|rtmp://h/live|?token=1|rtmp://127.0.0.1:1941/live/s",
              srs_string_join(std::vector<std::string>(cmds[0].begin() + 1, cmds[0].end()), "|"));
    ASSERT_EQ(3u, cmds[1].size());
    EXPECT_EQ("echo s live token=1 rtmp://h/live", cmds[1][2]);

    c.vhost = "off";
    EXPECT_TRUE(srs_exec_commands(*conf, c).empty());
    c.vhost = "v2";
    cmds = srs_exec_commands(*conf, c);
    ASSERT_EQ(1u, cmds.size());
    EXPECT_EQ("/bin/sh v2", join(cmds[0]));
    // [url] names the vhost when it is not the default one.
    EXPECT_EQ("rtmp://127.0.0.1:1941/live/s?vhost=v2", srs_ffmpeg_substitute("[url]", srs_exec_vars(c)));
}

TEST(FfmpegProcess, RunLogAndStop) {
    srs_utest::SrsUtestTempDir dir("ffmpeg_proc");
    SrsProcessSupervisor sup;
    SrsChildSpec spec;
    spec.kind = "exec";
    spec.name = "t/echo";
    // Lists its own open fds into the log, then waits to be stopped.
    spec.argv = {"/bin/sh", "-c", "echo hello; ls /proc/$$/fd; exec sleep 30"};
    spec.log_file = dir.path() + "/sub/child.log";
    std::shared_ptr<SrsChildProcess> c = sup.spawn(spec);
    ASSERT_GT(c->pid(), 0);
    EXPECT_EQ(SrsChildState::Running, c->state());
    EXPECT_EQ(0, c->restarts());
    EXPECT_EQ(1u, sup.children().size());
    EXPECT_EQ("/bin/sh -c echo hello; ls /proc/$$/fd; exec sleep 30", c->command());
    // Its own process group and session.
    EXPECT_TRUE(tick_until(sup, [&]() { return ::getsid(c->pid()) == c->pid(); }));
    EXPECT_TRUE(tick_until(sup, [&]() { return srs_string_contains(read_file(spec.log_file), "2\n"); }));
    std::string log = read_file(spec.log_file);
    EXPECT_EQ(0u, log.find("hello\n")) << log;
    // Only stdin, stdout and stderr (and the fd ls opens for the directory, 3) reach the child.
    std::vector<std::string> fds = srs_string_split(srs_string_trim(log.substr(6)), "\n");
    EXPECT_LE(fds.size(), 4u) << log;

    nlohmann::ordered_json j = srs_processes_json(sup);
    ASSERT_EQ(1u, j["processes"].size());
    EXPECT_EQ("running", j["processes"][0]["state"]);
    EXPECT_EQ((int)c->pid(), j["processes"][0]["pid"]);

    pid_t pid = c->pid();
    sup.stop(c);
    EXPECT_EQ(SrsChildState::Stopping, c->state());
    EXPECT_TRUE(tick_until(sup, [&]() { return sup.children().empty(); }));
    EXPECT_EQ(SrsChildState::Exited, c->state());
    EXPECT_EQ(0, c->pid());
    EXPECT_EQ("signal 15", c->last_exit());
    // Reaped: no zombie is left.
    EXPECT_FALSE(pid_alive(pid));
    int status = 0;
    EXPECT_EQ(-1, ::waitpid(pid, &status, WNOHANG));
    EXPECT_EQ(ECHILD, errno);
}

TEST(FfmpegProcess, RestartWithBackoff) {
    SrsProcessSupervisor sup;
    sup.set_backoff(SrsRestartBackoff(50 * SRS_UTIME_MILLISECONDS, 100 * SRS_UTIME_MILLISECONDS));
    SrsChildSpec spec;
    spec.name = "t/fail";
    spec.argv = {"/bin/sh", "-c", "exit 3"};
    std::shared_ptr<SrsChildProcess> c = sup.spawn(spec);
    EXPECT_TRUE(tick_until(sup, [&]() { return c->restarts() >= 3; }));
    EXPECT_EQ("exit 3", c->last_exit());
    sup.stop(c);
    EXPECT_TRUE(tick_until(sup, [&]() { return sup.children().empty(); }));
    EXPECT_EQ(SrsChildState::Exited, c->state());
    int restarts = c->restarts();
    srs_usleep(200 * SRS_UTIME_MILLISECONDS);
    sup.tick();
    EXPECT_EQ(restarts, c->restarts());

    // A killed child is restarted too.
    spec.name = "t/sleep";
    spec.argv = {"/bin/sh", "-c", "exec sleep 30"};
    c = sup.spawn(spec);
    pid_t first = c->pid();
    ::kill(first, SIGKILL);
    EXPECT_TRUE(tick_until(sup, [&]() { return c->pid() > 0 && c->pid() != first; }));
    EXPECT_EQ("signal 9", c->last_exit());
    EXPECT_EQ(1, c->restarts());
    EXPECT_FALSE(pid_alive(first));
    sup.stop_all_and_wait();
    EXPECT_TRUE(sup.children().empty());
    EXPECT_EQ(0, c->pid());
}

TEST(FfmpegProcess, OneShotAndMissingProgram) {
    SrsProcessSupervisor sup;
    sup.set_backoff(SrsRestartBackoff(50 * SRS_UTIME_MILLISECONDS, 100 * SRS_UTIME_MILLISECONDS));
    SrsChildSpec spec;
    spec.name = "t/true";
    spec.argv = {"/bin/sh", "-c", "exit 0"};
    spec.restart_on_success = false;
    std::shared_ptr<SrsChildProcess> c = sup.spawn(spec);
    EXPECT_TRUE(tick_until(sup, [&]() { return sup.children().empty(); }));
    EXPECT_EQ(SrsChildState::Exited, c->state());
    EXPECT_EQ("exit 0", c->last_exit());
    EXPECT_EQ(0, c->restarts());

    // exec fails in the child: 127, restarted with backoff like any failure.
    spec.name = "t/missing";
    spec.argv = {"/no/such/srs-no-such-program"};
    spec.restart_on_success = true;
    c = sup.spawn(spec);
    EXPECT_TRUE(tick_until(sup, [&]() { return c->restarts() >= 1; }));
    EXPECT_EQ("exit 127", c->last_exit());
    sup.stop_all_and_wait();
    EXPECT_TRUE(sup.children().empty());
}

TEST(FfmpegProcess, SigkillAfterGrace) {
    SrsProcessSupervisor sup;
    sup.set_grace(200 * SRS_UTIME_MILLISECONDS);
    SrsChildSpec spec;
    spec.name = "t/stubborn";
    // Ignores SIGTERM (and so do the sleeps it starts).
    spec.argv = {"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"};
    std::shared_ptr<SrsChildProcess> c = sup.spawn(spec);
    pid_t pid = c->pid();
    // Let the shell install its trap.
    srs_usleep(100 * SRS_UTIME_MILLISECONDS);
    srs_utime_t t0 = srs_update_system_time();
    sup.stop(c);
    EXPECT_TRUE(tick_until(sup, [&]() { return sup.children().empty(); }));
    srs_utime_t took = srs_update_system_time() - t0;
    EXPECT_GE(took, 200 * SRS_UTIME_MILLISECONDS);
    EXPECT_LT(took, 2 * SRS_UTIME_SECONDS);
    EXPECT_EQ("signal 9", c->last_exit());
    EXPECT_FALSE(pid_alive(pid));
}

TEST(FfmpegProcess, DestructorReaps) {
    pid_t pid = 0;
    {
        SrsProcessSupervisor sup;
        SrsChildSpec spec;
        spec.name = "t/left";
        spec.argv = {"/bin/sh", "-c", "exec sleep 30"};
        pid = sup.spawn(spec)->pid();
        ASSERT_GT(pid, 0);
    }
    EXPECT_FALSE(pid_alive(pid));
}

TEST(FfmpegProcess, SupervisorCoroutine) {
    SrsProcessSupervisor sup;
    sup.set_backoff(SrsRestartBackoff(50 * SRS_UTIME_MILLISECONDS, 100 * SRS_UTIME_MILLISECONDS));
    srs_error_t err = sup.start();
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    SrsChildSpec spec;
    spec.name = "t/co";
    spec.argv = {"/bin/sh", "-c", "exit 1"};
    std::shared_ptr<SrsChildProcess> c = sup.spawn(spec);
    // The coroutine ticks on its own.
    srs_utime_t deadline = srs_update_system_time() + 3 * SRS_UTIME_SECONDS;
    while (c->restarts() < 2 && srs_update_system_time() < deadline) {
        srs_usleep(20 * SRS_UTIME_MILLISECONDS);
    }
    EXPECT_GE(c->restarts(), 2);
    sup.stop_all_and_wait();
}

TEST(FfmpegTranscode, HandlersCascadeAndReload) {
    srs_utest::SrsUtestTempDir dir("ffmpeg_tc");
    // A fake ffmpeg that runs until stopped, whatever its arguments.
    std::string fake = dir.path() + "/ffmpeg";
    {
        std::ofstream f(fake);
        f << "#!/bin/sh\nexec sleep 30\n";
    }
    ASSERT_EQ(0, ::chmod(fake.c_str(), 0755));
    auto conf_text = [&](int vbitrate) {
        return srs_fmt(R"(
listen 127.0.0.1:19352;
ff_log_dir /dev/null;
vhost __defaultVhost__ {
    transcode live {
        enabled on;
        ffmpeg %s;
        engine sd { enabled on; vcodec libx264; vbitrate %d; output rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine]; }
        engine cp { enabled on; output rtmp://localhost:[port]/[app]/[stream]_[engine]; }
    }
}
)",
                       fake.c_str(), vbitrate);
    };
    SrsProcessSupervisor sup;
    SrsTranscodeServer ts(&sup);
    ts.set_config(load(conf_text(300)));

    SrsLiveSource src("__defaultVhost__", "live", "s");
    std::unique_ptr<ISrsLiveSourceHandler> h = ts.create_handler(&src);
    auto* th = static_cast<SrsTranscodeHandler*>(h.get());
    publish_h264(h.get());
    EXPECT_EQ(2, th->nb_running());
    EXPECT_EQ(2u, sup.children().size());
    EXPECT_TRUE(ts.is_engine_output("__defaultVhost__/live/s_sd"));
    EXPECT_TRUE(ts.is_engine_output("__defaultVhost__/live/s_cp"));
    EXPECT_FALSE(ts.is_engine_output("__defaultVhost__/live/x_sd"));

    // The outputs are not transcoded again, whatever the form of their URL.
    SrsLiveSource out_sd("__defaultVhost__", "live", "s_sd");
    std::unique_ptr<ISrsLiveSourceHandler> hsd = ts.create_handler(&out_sd);
    publish_h264(hsd.get());
    EXPECT_EQ(0, static_cast<SrsTranscodeHandler*>(hsd.get())->nb_running());
    SrsLiveSource out_cp("__defaultVhost__", "live", "s_cp");
    std::unique_ptr<ISrsLiveSourceHandler> hcp = ts.create_handler(&out_cp);
    publish_h264(hcp.get());
    EXPECT_EQ(0, static_cast<SrsTranscodeHandler*>(hcp.get())->nb_running());
    // A stream that only looks like an output is transcoded.
    SrsLiveSource other("__defaultVhost__", "live", "x_sd");
    std::unique_ptr<ISrsLiveSourceHandler> hx = ts.create_handler(&other);
    publish_h264(hx.get());
    EXPECT_EQ(2, static_cast<SrsTranscodeHandler*>(hx.get())->nb_running());
    EXPECT_EQ(4u, sup.children().size());

    // Reload: only the changed engine restarts.
    auto pid_of = [&](const std::string& name) {
        for (const auto& c : sup.children()) {
            if (c->spec().name == name && c->state() == SrsChildState::Running) {
                return c->pid();
            }
        }
        return (pid_t)0;
    };
    pid_t sd = pid_of("transcode/__defaultVhost__/live/s/sd");
    pid_t cp = pid_of("transcode/__defaultVhost__/live/s/cp");
    ASSERT_GT(sd, 0);
    ASSERT_GT(cp, 0);
    ts.set_config(load(conf_text(400)));
    // s and x_sd each restart their sd engine; the outputs stay untranscoded.
    EXPECT_EQ(2, ts.reload_vhost("__defaultVhost__"));
    EXPECT_EQ(0, static_cast<SrsTranscodeHandler*>(hsd.get())->nb_running());
    EXPECT_EQ(cp, pid_of("transcode/__defaultVhost__/live/s/cp"));
    pid_t sd2 = pid_of("transcode/__defaultVhost__/live/s/sd");
    EXPECT_GT(sd2, 0);
    EXPECT_NE(sd, sd2);
    EXPECT_EQ(0, ts.reload_vhost("__defaultVhost__"));

    // Unpublish and a freed source stop their ffmpeg.
    h->on_unpublish();
    EXPECT_EQ(0, th->nb_running());
    EXPECT_FALSE(ts.is_engine_output("__defaultVhost__/live/s_sd"));
    hx.reset();
    EXPECT_TRUE(tick_until(sup, [&]() { return sup.children().empty(); }));
}
