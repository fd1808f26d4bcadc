// The HLS feature on the source hub: config loading, a handler per source, republish, dispose
// after unpublish, RAM files, and hls_on_error.
#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_app_hls.hpp>
#include <srs_app_source.hpp>
#include <srs_kernel_message.hpp>
#include <srs_utest_app_publish.hpp>
#include <srs_utest_kernel_media.hpp>
#include <srs_utest_temp_dir.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace {

std::string tmpdir() {
    char tmpl[] = "/tmp/srs_utest_hls_srv_XXXXXX";
    char* p = mkdtemp(tmpl);
    return p ? p : "";
}

void rmrf(const std::string& dir) {
    std::string cmd = "rm -rf '" + dir + "'";
    if (system(cmd.c_str()) != 0) {
        // Nothing to do: a leftover temp dir is harmless.
    }
}

using srs_utest::file_exists;
class NullPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override {}
};

SrsMediaMessage msg(uint8_t type, int64_t ts, const std::string& body) {
    return SrsMediaMessage::create(type, ts, 1, body.data(), (int)body.size());
}

using srs_utest::publish_media;

#define ASSERT_OK(x)                                          \
    do {                                                      \
        srs_error_t _e = (x);                                 \
        ASSERT_TRUE(_e == srs_success) << srs_error_desc(_e); \
    } while (0)

}  // namespace

TEST(AppHlsServerTest, ConfigLoad) {
    std::shared_ptr<SrsConfig> conf;
    ASSERT_OK(
        SrsConfig::load_string("listen 1935;\n"
                               "vhost __defaultVhost__ {\n"
                               "  hls { enabled on; hls_fragment 2; hls_td_ratio 2.0; hls_aof_ratio 3;\n"
                               "        hls_window 10; hls_on_error disconnect; hls_path /tmp/x;\n"
                               "        hls_m3u8_file [stream].m3u8; hls_ts_file [stream]-[seq].ts;\n"
                               "        hls_ts_floor on; hls_entry_prefix http://a; hls_acodec an;\n"
                               "        hls_vcodec vn; hls_cleanup off; hls_dispose 5; hls_wait_keyframe off;\n"
                               "        hls_nb_notify 10; hls_storage both; hls_recover off; }\n"
                               "}\n"
                               "vhost other { }\n",
                               &conf));
    SrsHlsConfig c = srs_hls_config_load(*conf, "__defaultVhost__");
    EXPECT_TRUE(c.enabled);
    EXPECT_EQ(2 * SRS_UTIME_SECONDS, c.fragment);
    EXPECT_DOUBLE_EQ(2.0, c.td_ratio);
    EXPECT_DOUBLE_EQ(3.0, c.aof_ratio);
    EXPECT_EQ(10 * SRS_UTIME_SECONDS, c.window);
    EXPECT_EQ(SrsHlsOnError::Disconnect, c.on_error);
    EXPECT_EQ("/tmp/x", c.path);
    EXPECT_EQ("[stream].m3u8", c.m3u8_file);
    EXPECT_EQ("[stream]-[seq].ts", c.ts_file);
    EXPECT_TRUE(c.ts_floor);
    EXPECT_EQ("http://a", c.entry_prefix);
    EXPECT_EQ("an", c.acodec);
    EXPECT_EQ("vn", c.vcodec);
    EXPECT_FALSE(c.cleanup);
    EXPECT_EQ(5 * SRS_UTIME_SECONDS, c.dispose);
    EXPECT_FALSE(c.wait_keyframe);
    EXPECT_EQ(10, c.nb_notify);
    EXPECT_EQ(SrsHlsStorage::Both, c.storage);
    EXPECT_FALSE(c.recover);

    // The defaults of SRS.
    SrsHlsConfig d = srs_hls_config_load(*conf, "other");
    EXPECT_FALSE(d.enabled);
    EXPECT_EQ(10 * SRS_UTIME_SECONDS, d.fragment);
    EXPECT_DOUBLE_EQ(1.5, d.td_ratio);
    EXPECT_DOUBLE_EQ(2.0, d.aof_ratio);
    EXPECT_EQ(60 * SRS_UTIME_SECONDS, d.window);
    EXPECT_EQ(SrsHlsOnError::Continue, d.on_error);
    EXPECT_EQ("./objs/nginx/html", d.path);
    EXPECT_EQ("[app]/[stream].m3u8", d.m3u8_file);
    EXPECT_EQ("[app]/[stream]-[seq].ts", d.ts_file);
    EXPECT_TRUE(d.cleanup);
    EXPECT_EQ(120 * SRS_UTIME_SECONDS, d.dispose);
    EXPECT_TRUE(d.wait_keyframe);
    EXPECT_EQ(SrsHlsStorage::Disk, d.storage);
    // A host that is not declared gets __defaultVhost__'s section.
    EXPECT_TRUE(srs_hls_config_load(*conf, "1.2.3.4").enabled);
}

TEST(AppHlsServerTest, FollowsSourceAndDisposes) {
    std::string dir = tmpdir();
    std::shared_ptr<SrsConfig> conf;
    ASSERT_OK(
        SrsConfig::load_string("vhost __defaultVhost__ { hls { enabled on; hls_fragment 2; hls_window 10; "
                               "hls_dispose 3; hls_path " +
                                   dir + "; } }\nvhost nohls { }\n",
                               &conf));
    SrsHlsServer hls;
    hls.set_config(conf);
    SrsLiveSourceManager sources;
    sources.add_handler_factory(&hls);

    std::shared_ptr<SrsLiveSource> s;
    ASSERT_OK(sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s));
    NullPublisher pub;
    ASSERT_OK(s->on_publish(&pub));
    ASSERT_OK(publish_media(s.get(), 0, 4100));
    SrsHlsMuxer* m = hls.find("__defaultVhost__/live/s");
    ASSERT_TRUE(m != nullptr);
    EXPECT_TRUE(m->publishing());
    EXPECT_EQ(2u, m->segments().size());
    EXPECT_TRUE(file_exists(dir + "/live/s.m3u8"));
    EXPECT_TRUE(file_exists(dir + "/live/s-1.ts"));

    s->on_unpublish(&pub);
    EXPECT_FALSE(m->publishing());
    EXPECT_EQ(3u, m->segments().size());
    // Not yet: hls_dispose is 3 s.
    srs_utime_t now = srs_update_system_time();
    EXPECT_EQ(0, hls.sweep(now + 2 * SRS_UTIME_SECONDS));
    EXPECT_TRUE(file_exists(dir + "/live/s.m3u8"));

    // A republish before dispose continues the playlist.
    ASSERT_OK(s->on_publish(&pub));
    ASSERT_OK(publish_media(s.get(), 0, 2100));
    EXPECT_EQ(0, hls.sweep(now + 10 * SRS_UTIME_SECONDS));
    ASSERT_EQ(4u, m->segments().size());
    EXPECT_TRUE(m->segments()[3].discontinuity);
    s->on_unpublish(&pub);

    // The source may be freed; the files stay until hls_dispose.
    s.reset();
    sources.set_idle_timeout(0);
    EXPECT_EQ(1, sources.sweep());
    EXPECT_TRUE(file_exists(dir + "/live/s.m3u8"));
    EXPECT_EQ(1, hls.sweep(srs_update_system_time() + 3 * SRS_UTIME_SECONDS));
    EXPECT_EQ(nullptr, hls.find("__defaultVhost__/live/s"));
    EXPECT_FALSE(file_exists(dir + "/live/s.m3u8"));
    EXPECT_FALSE(file_exists(dir + "/live/s-0.ts"));
    EXPECT_FALSE(file_exists(dir + "/live/s-4.ts"));

    // HLS off for a vhost: the handler stays idle.
    std::shared_ptr<SrsLiveSource> s2;
    ASSERT_OK(sources.fetch_or_create("nohls", "live", "s", SrsLiveSourceConfig(), &s2));
    ASSERT_OK(s2->on_publish(&pub));
    ASSERT_OK(publish_media(s2.get(), 0, 2100));
    EXPECT_EQ(nullptr, hls.find("nohls/live/s"));
    s2->on_unpublish(&pub);
    rmrf(dir);
}

TEST(AppHlsServerTest, RamStorage) {
    std::string dir = tmpdir();
    SrsHlsConfig c;
    c.enabled = true;
    c.fragment = 2 * SRS_UTIME_SECONDS;
    c.path = dir;
    c.storage = SrsHlsStorage::Ram;
    c.dispose = 0;
    SrsHlsServer hls;
    hls.set_fixed_config(c);
    SrsLiveSourceManager sources;
    sources.add_handler_factory(&hls);
    std::shared_ptr<SrsLiveSource> s;
    ASSERT_OK(sources.fetch_or_create("v", "live", "r", SrsLiveSourceConfig(), &s));
    NullPublisher pub;
    ASSERT_OK(s->on_publish(&pub));
    ASSERT_OK(publish_media(s.get(), 0, 4100));
    s->on_unpublish(&pub);
    ASSERT_TRUE(hls.store()->get("/live/r.m3u8") != nullptr);
    ASSERT_TRUE(hls.store()->get("/live/r-2.ts") != nullptr);
    EXPECT_FALSE(file_exists(dir + "/live"));
    // hls_dispose 0: RAM is still freed after a while.
    EXPECT_EQ(0, hls.sweep(srs_update_system_time() + 60 * SRS_UTIME_SECONDS));
    // The playlists and segments 1, 2 (the window) and 0 (its grace period).
    EXPECT_EQ(5u, hls.store()->size());
    EXPECT_EQ(1, hls.sweep(srs_update_system_time() + SRS_HLS_RAM_DEFAULT_DISPOSE));
    EXPECT_EQ(0u, hls.store()->size());
    rmrf(dir);
}

TEST(AppHlsServerTest, OnErrorPolicies) {
    std::string dir = tmpdir();
    // hls_path is a file: every segment fails.
    std::string file = dir + "/file";
    ASSERT_TRUE(std::ofstream(file).good());
    SrsHlsConfig c;
    c.enabled = true;
    c.fragment = 2 * SRS_UTIME_SECONDS;
    c.path = file;
    SrsHlsServer hls;
    NullPublisher pub;

    // continue: the stream goes on and HLS keeps trying.
    c.on_error = SrsHlsOnError::Continue;
    hls.set_fixed_config(c);
    {
        SrsHlsSourceHandler h(&hls, "v", "live", "c");
        ASSERT_OK(h.on_publish());
        SrsLiveSource src("v", "live", "c");
        ASSERT_TRUE(h.active());
        ASSERT_OK(h.on_video(
            msg(SrsMsgVideo, 0,
                srs_utest::flv_video(1, 7, 0, 0, srs_utest::make_avcc(srs_utest::avc_sps(), srs_utest::avc_pps())))));
        std::string key = srs_utest::flv_video(1, 7, 1, 0, srs_utest::avcc_nalus({std::string("\x65\x88", 2)}));
        ASSERT_OK(h.on_video(msg(SrsMsgVideo, 0, key)));
        ASSERT_OK(h.on_video(msg(SrsMsgVideo, 40, key)));
        EXPECT_TRUE(h.active());
        EXPECT_EQ(2, h.nb_errors());
    }
    // ignore: HLS stops for this publish.
    c.on_error = SrsHlsOnError::Ignore;
    hls.set_fixed_config(c);
    {
        SrsHlsSourceHandler h(&hls, "v", "live", "i");
        ASSERT_OK(h.on_publish());
        std::string key = srs_utest::flv_video(1, 7, 1, 0, srs_utest::avcc_nalus({std::string("\x65\x88", 2)}));
        ASSERT_OK(h.on_video(msg(SrsMsgVideo, 0, key)));
        EXPECT_FALSE(h.active());
        EXPECT_EQ(1, h.nb_errors());
    }
    // disconnect: the error goes to the hub, which stops the publish.
    c.on_error = SrsHlsOnError::Disconnect;
    hls.set_fixed_config(c);
    {
        SrsHlsSourceHandler h(&hls, "v", "live", "d");
        ASSERT_OK(h.on_publish());
        std::string key = srs_utest::flv_video(1, 7, 1, 0, srs_utest::avcc_nalus({std::string("\x65\x88", 2)}));
        srs_error_t err = h.on_video(msg(SrsMsgVideo, 0, key));
        EXPECT_EQ(ERROR_SYSTEM_CREATE_DIR, srs_error_code(err));
        EXPECT_FALSE(h.active());
        // A publish that cannot start HLS at all is refused.
        c.m3u8_file = "../x.m3u8";
        hls.set_fixed_config(c);
        err = h.on_publish();
        EXPECT_EQ(ERROR_HLS_WRITE_FAILED, srs_error_code(err));
    }
    EXPECT_EQ(3, hls.size());
    rmrf(dir);
}
