// End to end in one process, without RTMP: a real ffmpeg FLV is published into a live source
// by a coroutine, the HTTP server listens on loopback with real connections, and real ffmpeg
// and ffprobe play HTTP-FLV, HTTP-TS and HLS from RAM. Skipped without ffmpeg.
#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_app_conn.hpp>
#include <srs_app_hls.hpp>
#include <srs_app_hls_http.hpp>
#include <srs_app_http_conn.hpp>
#include <srs_app_http_server.hpp>
#include <srs_app_listener.hpp>
#include <srs_app_source.hpp>
#include <srs_core_st.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_utest_shell.hpp>
#include <srs_utest_temp_dir.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

extern char** environ;

namespace {

using srs_utest::has_tool;

using srs_utest::read_file;
// A shell command run as a child while the coroutines keep serving: waits by polling.
class Child {
public:
    Child(const std::string& cmd, const std::string& out) : out_(out) {
        std::string full = cmd + " >'" + out + "' 2>&1";
        const char* argv[] = {"/bin/sh", "-c", full.c_str(), nullptr};
        if (posix_spawn(&pid_, "/bin/sh", nullptr, nullptr, (char* const*)argv, environ) != 0) {
            pid_ = -1;
        }
    }
    // The exit status, or -1 after the timeout (the child is killed).
    int wait(srs_utime_t timeout) {
        srs_utime_t deadline = srs_update_system_time() + timeout;
        while (pid_ > 0) {
            int status = 0;
            pid_t r = waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            if (srs_update_system_time() > deadline) {
                kill(pid_, SIGKILL);
                waitpid(pid_, &status, 0);
                pid_ = -1;
                return -1;
            }
            srs_usleep(10 * SRS_UTIME_MILLISECONDS);
        }
        return -1;
    }
    std::string output() const { return read_file(out_); }

private:
    pid_t pid_ = -1;
    std::string out_;
};

// Accepts HTTP connections for the server under test.
class HttpAcceptor : public ISrsTcpHandler {
public:
    HttpAcceptor(SrsConnectionManager* conns, ISrsHttpHandler* h) : conns_(conns), h_(h) {}
    srs_error_t on_tcp_client(SrsTcpListener*, SrsNetFd fd) override {
        return conns_->add(std::make_unique<SrsHttpConn>(conns_, std::move(fd), h_, "HTTP"));
    }

private:
    SrsConnectionManager* conns_;
    ISrsHttpHandler* h_;
};

class NullPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override {}
};

// Publishes the messages paced at `speed` times real time.
class Feeder : public ISrsCoroutineHandler {
public:
    Feeder(SrsLiveSource* s, const std::vector<SrsMediaMessage>& msgs, int speed)
        : s_(s), msgs_(msgs), speed_(speed), trd_("feeder", this) {}
    srs_error_t start() { return trd_.start(); }
    void stop() { trd_.stop(); }
    bool done() const { return done_; }
    srs_error_t cycle() override {
        srs_error_t err = s_->on_publish(&pub_);
        if (err != srs_success) {
            return err;
        }
        srs_utime_t start = srs_update_system_time();
        for (const SrsMediaMessage& m : msgs_) {
            srs_utime_t due = start + m.timestamp * SRS_UTIME_MILLISECONDS / speed_;
            srs_utime_t now = srs_update_system_time();
            if (due > now) {
                srs_usleep(due - now);
            }
            if ((err = trd_.pull()) != srs_success) {
                break;
            }
            if (m.is_video()) {
                err = s_->on_video(m);
            } else if (m.is_audio()) {
                err = s_->on_audio(m);
            } else {
                err = s_->on_meta_data(m);
            }
            if (err != srs_success) {
                break;
            }
        }
        s_->on_unpublish(&pub_);
        done_ = true;
        return err;
    }

private:
    SrsLiveSource* s_;
    const std::vector<SrsMediaMessage>& msgs_;
    int speed_;
    NullPublisher pub_;
    bool done_ = false;
    SrsCoroutine trd_;
};

}  // namespace

TEST(AppHttpE2eTest, FfmpegPlaysHttpFlvTsAndRamHls) {
    if (!has_tool("ffmpeg") || !has_tool("ffprobe")) {
        GTEST_SKIP() << "ffmpeg/ffprobe not installed";
    }
    char tmpl[] = "/tmp/srs_utest_http_e2e_XXXXXX";
    std::string dir = mkdtemp(tmpl);
    std::string flv = dir + "/in.flv";
    std::string cmd =
        "ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=frequency=440 "
        "-t 8 -c:v libx264 -preset ultrafast -g 25 -c:a aac -f flv '" +
        flv + "' >/dev/null 2>&1";
    ASSERT_EQ(0, system(cmd.c_str()));
    // Blocked outside ST: refresh ST's clock before any timed coroutine IO.
    srs_usleep(1);
    std::vector<SrsMediaMessage> msgs;
    {
        SrsFileReader fr;
        ASSERT_TRUE(fr.open(flv) == srs_success);
        SrsFlvDecoder dec(&fr);
        ASSERT_TRUE(dec.read_header() == srs_success);
        while (true) {
            SrsMediaMessage m;
            srs_error_t err = dec.read_message(&m);
            if (err != srs_success) {
                ASSERT_EQ(ERROR_SYSTEM_FILE_EOF, srs_error_code(err)) << srs_error_desc(err);
                break;
            }
            msgs.push_back(m);
        }
    }
    ASSERT_GT(msgs.size(), 300u);

    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_string(
        "http_server { enabled on; dir " + dir +
            "; }\n"
            "vhost __defaultVhost__ { http_remux { enabled on; } hls { enabled on; hls_fragment 1; hls_storage ram; } "
            "}\n"
            "vhost tsv { http_remux { enabled on; mount /ts/[app]/[stream].ts; } }\n",
        &conf);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);

    SrsConnectionManager conns;
    ASSERT_TRUE(conns.start() == srs_success);
    {
        SrsHlsServer hls;
        hls.set_config(conf);
        SrsLiveSourceManager sources;
        SrsHttpServer server(
            &sources, [&hls](const std::string& d) { return std::make_shared<SrsHlsHttpHandler>(d, hls.store()); });
        ASSERT_TRUE(server.apply(conf) == srs_success);
        sources.add_handler_factory(&hls);
        sources.add_handler_factory(server.streams());
        HttpAcceptor acceptor(&conns, server.handler());
        SrsTcpListener listener(&acceptor, "127.0.0.1:0", "http", 0);
        ASSERT_TRUE(listener.listen() == srs_success);
        std::string base = "http://127.0.0.1:" + std::to_string(listener.port());

        std::shared_ptr<SrsLiveSource> s, ts;
        ASSERT_TRUE(sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s) == srs_success);
        ASSERT_TRUE(sources.fetch_or_create("tsv", "live", "s", SrsLiveSourceConfig(), &ts) == srs_success);

        // The players connect first and wait for the publishers.
        Child flv_play("ffmpeg -hide_banner -loglevel error -i " + base +
                           "/live/s.flv -t 3 -c copy -f null - -progress pipe:1 -nostats",
                       dir + "/flv_play.txt");
        Child flv_probe("ffprobe -v error -show_entries stream=codec_name,width -of default=noprint_wrappers=1 " +
                            base + "/live/s.flv",
                        dir + "/flv_probe.txt");
        srs_usleep(300 * SRS_UTIME_MILLISECONDS);

        Feeder feed(s.get(), msgs, 2);
        Feeder feed_ts(ts.get(), msgs, 2);
        ASSERT_TRUE(feed.start() == srs_success);
        ASSERT_TRUE(feed_ts.start() == srs_success);
        // The .ts mount belongs to vhost tsv, which a request by IP reaches only through the mount
        // made when tsv's stream publishes (only the default vhost's player may come first).
        srs_usleep(100 * SRS_UTIME_MILLISECONDS);
        Child ts_probe(
            "ffprobe -v error -show_entries stream=codec_name -of default=noprint_wrappers=1 " + base + "/ts/live/s.ts",
            dir + "/ts_probe.txt");

        EXPECT_EQ(0, flv_probe.wait(20 * SRS_UTIME_SECONDS)) << flv_probe.output();
        std::string out = flv_probe.output();
        EXPECT_NE(std::string::npos, out.find("codec_name=h264")) << out;
        EXPECT_NE(std::string::npos, out.find("codec_name=aac")) << out;
        EXPECT_NE(std::string::npos, out.find("width=320")) << out;

        EXPECT_EQ(0, ts_probe.wait(20 * SRS_UTIME_SECONDS)) << ts_probe.output();
        out = ts_probe.output();
        EXPECT_NE(std::string::npos, out.find("codec_name=h264")) << out;
        EXPECT_NE(std::string::npos, out.find("codec_name=aac")) << out;

        EXPECT_EQ(0, flv_play.wait(20 * SRS_UTIME_SECONDS)) << flv_play.output();
        out = flv_play.output();
        // The last out_time_us is the media read: about 3 s (a frame less with -t 3).
        int64_t played_us = 0;
        for (size_t pos = out.find("out_time_us="); pos != std::string::npos; pos = out.find("out_time_us=", pos + 1)) {
            played_us = std::max(played_us, (int64_t)atoll(out.c_str() + pos + 12));
        }
        EXPECT_GE(played_us, 2800000) << out;

        // HLS from RAM while the stream still goes on: the live playlist and its segments.
        for (int i = 0; i < 200 && hls.store()->get("/live/s.m3u8") == nullptr; i++) {
            srs_usleep(10 * SRS_UTIME_MILLISECONDS);
        }
        Child hls_probe(
            "ffprobe -v error -show_entries stream=codec_name -of default=noprint_wrappers=1 " + base + "/live/s.m3u8",
            dir + "/hls_probe.txt");
        EXPECT_EQ(0, hls_probe.wait(20 * SRS_UTIME_SECONDS)) << hls_probe.output();
        out = hls_probe.output();
        EXPECT_NE(std::string::npos, out.find("codec_name=h264")) << out;
        EXPECT_NE(std::string::npos, out.find("codec_name=aac")) << out;

        feed.stop();
        feed_ts.stop();
        listener.close();
        conns.expire_and_wait(SRS_UTIME_SECONDS);
    }
    std::string rm = "rm -rf '" + dir + "'";
    EXPECT_EQ(0, system(rm.c_str()));
}
