// Reload applied to what runs: a vhost's settings read in one place, the plan a diff gives
// (kick / new play settings), consumers picking up new settings and being expired, the vhost
// reloader on real sources, HLS restarting at the next keyframe, HTTP mounts following a
// reload, and the reload rules that doc/reload.md is generated from.
#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_app_config_table.hpp>
#include <srs_app_hls.hpp>
#include <srs_app_http_server.hpp>
#include <srs_app_http_stream.hpp>
#include <srs_app_reload.hpp>
#include <srs_app_source.hpp>
#include <srs_app_vhost.hpp>
#include <srs_core_st.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_conf.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_utest_app_media.hpp>
#include <srs_utest_app_publish.hpp>
#include <srs_utest_http_mock.hpp>
#include <srs_utest_kernel_media.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace {

#define VH_ASSERT_OK(x)                                       \
    do {                                                      \
        srs_error_t _e = (x);                                 \
        ASSERT_TRUE(_e == srs_success) << srs_error_desc(_e); \
    } while (0)

std::shared_ptr<SrsConfig> load(const std::string& text) {
    std::shared_ptr<SrsConfig> c;
    srs_error_t err = SrsConfig::load_string(text, &c);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    return c;
}

class CountingPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override { kicked++; }
    int kicked = 0;
};

srs_error_t publish_media(SrsLiveSource* s, int64_t from, int64_t to, bool headers) {
    return srs_utest::publish_media(s, from, to, headers, srs_utest::SrsUtestKeyframes::WholeSeconds);
}

std::string tmpdir() {
    char tmpl[] = "/tmp/srs_utest_vhost_XXXXXX";
    char* p = mkdtemp(tmpl);
    return p ? p : "";
}

void rmrf(const std::string& dir) {
    std::string cmd = "rm -rf '" + dir + "'";
    if (system(cmd.c_str()) != 0) {
        // A leftover temp dir is harmless.
    }
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

using Player = HttpPlayerCoroutine;

}  // namespace

TEST(AppVhostTest, SettingsLoadedFromTheVhost) {
    auto c = load(
        "vhost a { min_latency on; tcp_nodelay on; play { gop_cache off; gop_cache_max_frames 10; mix_correct on;"
        " queue_length 5; time_jitter zero; atc on; mw_latency 100; mw_msgs 3; } }\n"
        "vhost __defaultVhost__ { }\n");
    SrsLiveSourceConfig s = srs_live_source_config_load(*c, "a");
    EXPECT_FALSE(s.gop_cache);
    EXPECT_EQ(10, s.gop_cache_max_frames);
    EXPECT_TRUE(s.mix_correct);
    SrsLiveConsumerConfig p = srs_live_consumer_config_load(*c, "a");
    EXPECT_EQ(5 * SRS_UTIME_SECONDS, p.queue_length);
    EXPECT_EQ(SrsJitterAlgorithm::Zero, p.jitter);
    EXPECT_TRUE(p.atc);
    EXPECT_TRUE(p.realtime);
    EXPECT_TRUE(p.tcp_nodelay);
    EXPECT_EQ(100 * SRS_UTIME_MILLISECONDS, p.mw_latency);
    EXPECT_EQ(3, p.mw_msgs);

    // SRS's defaults, also for a host that __defaultVhost__ serves.
    SrsLiveConsumerConfig d = srs_live_consumer_config_load(*c, "1.2.3.4");
    EXPECT_EQ(30 * SRS_UTIME_SECONDS, d.queue_length);
    EXPECT_EQ(SrsJitterAlgorithm::Full, d.jitter);
    EXPECT_FALSE(d.realtime);
    EXPECT_FALSE(d.tcp_nodelay);
    EXPECT_EQ(350 * SRS_UTIME_MILLISECONDS, d.mw_latency);
    EXPECT_EQ(8, d.mw_msgs);
    EXPECT_TRUE(srs_live_source_config_load(*c, "1.2.3.4").gop_cache);
}

TEST(AppVhostTest, PlayWaitFromSettings) {
    SrsLiveConsumerConfig c;
    srs_utime_t wait = 0;
    int n = 0;
    c.mw_latency = 200 * SRS_UTIME_MILLISECONDS;
    c.mw_msgs = 4;
    srs_live_play_wait(c, &wait, &n);
    EXPECT_EQ(200 * SRS_UTIME_MILLISECONDS, wait);
    EXPECT_EQ(4, n);
    // No latency: still a bounded wait, never a busy loop.
    c.mw_latency = 0;
    c.mw_msgs = 0;
    srs_live_play_wait(c, &wait, &n);
    EXPECT_EQ(SRS_PLAY_PULSE, wait);
    EXPECT_EQ(1, n);
    c.realtime = true;
    c.mw_latency = 900 * SRS_UTIME_MILLISECONDS;
    c.mw_msgs = 10;
    srs_live_play_wait(c, &wait, &n);
    EXPECT_EQ(SRS_PLAY_PULSE, wait);
    EXPECT_EQ(1, n);
}

TEST(AppVhostTest, PlanFromDiff) {
    auto from = load(
        "vhost a { play { mw_latency 350; } }\nvhost b { }\nvhost c { }\nvhost d { hls { enabled off; } }\n"
        "vhost e { }\nvhost f { enabled off; }\n");
    auto to = load(
        "vhost a { play { mw_latency 100; } }\nvhost c { enabled off; }\nvhost d { hls { enabled on; } }\n"
        "vhost e { min_latency on; }\nvhost f { enabled on; }\nvhost g { }\n");
    SrsReloadContext ctx(from, to);
    SrsVhostReloadPlan plan = srs_vhost_reload_plan(ctx);
    // b removed, c disabled.
    EXPECT_EQ(std::vector<std::string>({"b", "c"}), plan.kick);
    // a's play and e's min_latency changed; d's hls is the HLS feature's, f and g need nothing.
    EXPECT_EQ(std::vector<std::string>({"a", "e"}), plan.play);

    SrsReloadContext same(from, from);
    SrsVhostReloadPlan none = srs_vhost_reload_plan(same);
    EXPECT_TRUE(none.kick.empty());
    EXPECT_TRUE(none.play.empty());
}

TEST(AppVhostTest, ConsumerTakesNewSettingsAndExpires) {
    std::shared_ptr<SrsLiveSource> s = std::make_shared<SrsLiveSource>("a", "live", "s");
    SrsLiveConsumerConfig cc;
    cc.queue_length = 30 * SRS_UTIME_SECONDS;
    std::unique_ptr<SrsLiveConsumer> c;
    VH_ASSERT_OK(s->create_consumer(cc, &c));
    uint32_t v0 = c->config_version();

    // A shorter queue applies to the next message: 10 s queued, then the bound drops to 2 s.
    for (int64_t t = 0; t < 10000; t += 40) {
        c->enqueue(t % 1000 == 0 ? srs_utest::keyframe(t) : srs_utest::inter_frame(t));
    }
    EXPECT_GE(c->duration_ms(), 9000);
    SrsLiveConsumerConfig next = cc;
    next.queue_length = 2 * SRS_UTIME_SECONDS;
    next.mw_latency = 100 * SRS_UTIME_MILLISECONDS;
    next.mw_msgs = 2;
    next.jitter = SrsJitterAlgorithm::Off;
    s->update_consumers(next);
    EXPECT_NE(v0, c->config_version());
    EXPECT_EQ(100 * SRS_UTIME_MILLISECONDS, c->config().mw_latency);
    EXPECT_EQ(2, c->config().mw_msgs);
    c->enqueue(srs_utest::keyframe(10000));
    EXPECT_LE(c->duration_ms(), 2000);
    EXPECT_GT(c->nb_dropped(), 0);
    // time_jitter off: the next timestamp passes as it is.
    c->enqueue(srs_utest::inter_frame(123456));
    std::vector<SrsMediaMessage> out;
    c->dump_packets(10000, &out);
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(123456, out.back().timestamp);

    // Expired: nothing more is queued, a wait returns at once, the reason stays.
    EXPECT_FALSE(c->expired());
    EXPECT_EQ(1, s->expire_consumers("vhost a removed by reload"));
    EXPECT_TRUE(c->expired());
    EXPECT_EQ("vhost a removed by reload", c->expire_reason());
    // Only once.
    EXPECT_EQ(0, s->expire_consumers("again"));
    EXPECT_EQ("vhost a removed by reload", c->expire_reason());
    c->enqueue(srs_utest::keyframe(20000));
    EXPECT_EQ(0, c->size());
    // Nor stream events: the player ends with its own reason.
    c->on_unpublish();
    SrsLiveConsumerEvent ev;
    EXPECT_FALSE(c->fetch_event(&ev));
    srs_utime_t t0 = srs_update_system_time();
    c->wait(100, 2 * SRS_UTIME_SECONDS);
    EXPECT_LT(srs_update_system_time() - t0, 500 * SRS_UTIME_MILLISECONDS);
}

// A player waiting in wait() wakes when a reload pushes new settings.
TEST(AppVhostTest, UpdateWakesWaitingPlayer) {
    std::shared_ptr<SrsLiveSource> s = std::make_shared<SrsLiveSource>("a", "live", "s");
    std::unique_ptr<SrsLiveConsumer> c;
    VH_ASSERT_OK(s->create_consumer(SrsLiveConsumerConfig(), &c));
    class Waiter : public ISrsCoroutineHandler {
    public:
        explicit Waiter(SrsLiveConsumer* c) : c_(c), trd_("waiter", this) {}
        srs_error_t start() { return trd_.start(); }
        srs_error_t cycle() override {
            c_->wait(100, 5 * SRS_UTIME_SECONDS);
            done = true;
            return srs_success;
        }
        bool done = false;

    private:
        SrsLiveConsumer* c_;
        SrsCoroutine trd_;
    };
    Waiter w(c.get());
    VH_ASSERT_OK(w.start());
    srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    EXPECT_FALSE(w.done);
    s->update_consumers(SrsLiveConsumerConfig());
    srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    EXPECT_TRUE(w.done);
}

TEST(AppVhostTest, ReloaderKicksOnlyTheRemovedVhostAndUpdatesPlay) {
    auto from = load("vhost a { play { gop_cache on; mw_latency 350; } }\nvhost b { }\nvhost c { }\n");
    auto to = load("vhost a { play { gop_cache off; mw_latency 100; } }\nvhost c { enabled off; }\n");
    SrsLiveSourceManager sources;
    std::shared_ptr<SrsLiveSource> sa, sb, sb2, sc;
    VH_ASSERT_OK(sources.fetch_or_create("a", "live", "s", srs_live_source_config_load(*from, "a"), &sa));
    VH_ASSERT_OK(sources.fetch_or_create("b", "live", "s", srs_live_source_config_load(*from, "b"), &sb));
    VH_ASSERT_OK(sources.fetch_or_create("b", "live", "waiting", srs_live_source_config_load(*from, "b"), &sb2));
    VH_ASSERT_OK(sources.fetch_or_create("c", "live", "s", srs_live_source_config_load(*from, "c"), &sc));
    CountingPublisher pa, pb, pc;
    VH_ASSERT_OK(sa->on_publish(&pa));
    VH_ASSERT_OK(sb->on_publish(&pb));
    VH_ASSERT_OK(sc->on_publish(&pc));
    VH_ASSERT_OK(publish_media(sa.get(), 0, 1500, true));
    EXPECT_GT(sa->gop_cache().size(), 0);
    std::unique_ptr<SrsLiveConsumer> ca, cb, cb2, cc;
    VH_ASSERT_OK(sa->create_consumer(srs_live_consumer_config_load(*from, "a"), &ca));
    VH_ASSERT_OK(sb->create_consumer(srs_live_consumer_config_load(*from, "b"), &cb));
    VH_ASSERT_OK(sb2->create_consumer(srs_live_consumer_config_load(*from, "b"), &cb2));
    VH_ASSERT_OK(sc->create_consumer(srs_live_consumer_config_load(*from, "c"), &cc));

    SrsReloadContext ctx(from, to);
    SrsVhostReloader reloader(&sources);
    VH_ASSERT_OK(reloader.on_reload(&ctx));

    // b (removed) and c (disabled): publishers kicked with the reason, players expired.
    EXPECT_EQ(1, pb.kicked);
    EXPECT_FALSE(sb->publishing());
    EXPECT_EQ("vhost b removed by reload", sb->kick_reason());
    EXPECT_TRUE(cb->expired());
    EXPECT_TRUE(cb2->expired());
    EXPECT_EQ(1, pc.kicked);
    EXPECT_EQ("vhost c disabled by reload", sc->kick_reason());
    EXPECT_TRUE(cc->expired());
    // a: untouched clients with new settings.
    EXPECT_EQ(0, pa.kicked);
    EXPECT_TRUE(sa->publishing());
    EXPECT_FALSE(ca->expired());
    EXPECT_EQ(100 * SRS_UTIME_MILLISECONDS, ca->config().mw_latency);
    EXPECT_FALSE(sa->config().gop_cache);
    EXPECT_EQ(0, sa->gop_cache().size());
    VH_ASSERT_OK(publish_media(sa.get(), 1500, 2500, false));
    EXPECT_GT(ca->size(), 0);

    const std::vector<std::string>& applied = ctx.applied_list();
    EXPECT_TRUE(contains(applied, "vhost:b:removed")) << srs_string_join(applied, ",");
    EXPECT_TRUE(contains(applied, "vhost:c:disabled"));
    EXPECT_TRUE(contains(applied, "vhost:a:play"));
    sa->on_unpublish(&pa);
}

TEST(AppVhostTest, HlsOffThenOnRestartsAtTheNextKeyframe) {
    std::string dir = tmpdir();
    std::string on = "vhost __defaultVhost__ { hls { enabled on; hls_fragment 1; hls_window 30; hls_path " + dir +
                     "; } }\nvhost other { hls { enabled on; hls_path " + dir + "/other; } }\n";
    std::string off = "vhost __defaultVhost__ { hls { enabled off; hls_path " + dir +
                      "; } }\nvhost other { hls { enabled on; hls_path " + dir + "/other; } }\n";
    SrsHlsServer hls;
    hls.set_config(load(on));
    SrsLiveSourceManager sources;
    sources.add_handler_factory(&hls);
    std::shared_ptr<SrsLiveSource> s, o;
    VH_ASSERT_OK(sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s));
    VH_ASSERT_OK(sources.fetch_or_create("other", "live", "s", SrsLiveSourceConfig(), &o));
    CountingPublisher pub, pub2;
    VH_ASSERT_OK(s->on_publish(&pub));
    VH_ASSERT_OK(o->on_publish(&pub2));
    VH_ASSERT_OK(publish_media(s.get(), 0, 3000, true));
    VH_ASSERT_OK(publish_media(o.get(), 0, 3000, true));
    SrsHlsMuxer* m = hls.find("__defaultVhost__/live/s");
    ASSERT_TRUE(m != nullptr);
    size_t before = m->segments().size();
    EXPECT_GE(before, 2u);
    SrsHlsMuxer* om = hls.find("other/live/s");
    ASSERT_TRUE(om != nullptr);

    // Off: the segment is closed, nothing more is written while the stream goes on.
    hls.set_config(load(off));
    EXPECT_EQ(1, hls.reload_vhost("__defaultVhost__"));
    EXPECT_FALSE(m->publishing());
    size_t stopped = m->segments().size();
    VH_ASSERT_OK(publish_media(s.get(), 3000, 5040, false));
    EXPECT_EQ(stopped, m->segments().size());
    // The other vhost's HLS goes on.
    EXPECT_TRUE(om->publishing());

    // On again without a republish: headers from the source, frames from the next keyframe.
    hls.set_config(load(on));
    EXPECT_EQ(1, hls.reload_vhost("__defaultVhost__"));
    EXPECT_TRUE(m->publishing());
    // Between keyframes: nothing is written yet.
    VH_ASSERT_OK(publish_media(s.get(), 5040, 5800, false));
    EXPECT_EQ(nullptr, m->current());
    VH_ASSERT_OK(publish_media(s.get(), 5800, 9000, false));
    ASSERT_GT(m->segments().size(), stopped);
    const SrsHlsSegment& first = m->segments()[stopped];
    EXPECT_TRUE(first.discontinuity);
    EXPECT_EQ(6000, first.start_dts);
    EXPECT_EQ(0u, m->stat().nb_dropped_frames);

    // A restart of a stream that does not publish is nothing.
    s->on_unpublish(&pub);
    EXPECT_EQ(0, hls.reload_vhost("__defaultVhost__"));
    o->on_unpublish(&pub2);
    rmrf(dir);
}

TEST(AppVhostTest, HttpRemuxFollowsReload) {
    auto flv = load(
        "vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].flv; } "
        "play { mw_latency 0; } }\n");
    auto ts = load(
        "vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].ts; } "
        "play { mw_latency 0; } }\n");
    auto off = load("vhost __defaultVhost__ { http_remux { enabled off; } play { mw_latency 0; } }\n");
    SrsLiveSourceManager sources;
    SrsHttpServer http(&sources);
    VH_ASSERT_OK(http.apply(flv));
    sources.add_handler_factory(http.streams());
    std::shared_ptr<SrsLiveSource> s;
    VH_ASSERT_OK(sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s));
    CountingPublisher pub;
    VH_ASSERT_OK(s->on_publish(&pub));
    VH_ASSERT_OK(publish_media(s.get(), 0, 500, true));
    EXPECT_EQ("/live/s.flv", http.streams()->mounted(s->url()));

    Player player(http.handler(), "GET /live/s.flv HTTP/1.1\r\nHost: x\r\n\r\n");
    VH_ASSERT_OK(player.start());
    srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(1, http.streams()->nb_players());
    // A reload with no change of the mount keeps the player.
    VH_ASSERT_OK(http.apply(flv));
    EXPECT_EQ(0, http.streams()->remount("__defaultVhost__"));
    srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    EXPECT_FALSE(player.done());

    // The mount moves to .ts: the stream is mounted there at once, the FLV player goes.
    VH_ASSERT_OK(http.apply(ts));
    EXPECT_EQ(1, http.streams()->remount("__defaultVhost__"));
    EXPECT_EQ("/live/s.ts", http.streams()->mounted(s->url()));
    EXPECT_FALSE(http.mux()->has("/live/s.flv"));
    EXPECT_TRUE(http.mux()->has("/live/s.ts"));
    player.wait_done();
    ASSERT_TRUE(player.done());
    EXPECT_EQ(ERROR_STREAM_KICKED, srs_error_code(player.err_)) << srs_error_desc(player.err_);
    EXPECT_EQ(0, http.streams()->nb_players());
    EXPECT_TRUE(s->publishing());

    // Off: unmounted while the stream publishes on.
    VH_ASSERT_OK(http.apply(off));
    EXPECT_EQ(0, http.streams()->remount("__defaultVhost__"));
    EXPECT_EQ("", http.streams()->mounted(s->url()));
    EXPECT_FALSE(http.mux()->has("/live/s.ts"));
    // On again: mounted again.
    VH_ASSERT_OK(http.apply(flv));
    http.streams()->remount("__defaultVhost__");
    EXPECT_EQ("/live/s.flv", http.streams()->mounted(s->url()));
    s->on_unpublish(&pub);
}

// Every reloadable directive says how a reload applies it, so a feature that starts reading
// one has to decide (and doc/reload.md says it).
TEST(AppReloadRulesTest, EveryReloadableDirectiveHasARule) {
    for (const SrsConfSpec& s : srs_config_table()) {
        if (!s.reloadable || s.is_block() || s.type == SrsConfType::Ignored || s.legacy) {
            continue;
        }
        EXPECT_TRUE(srs_reload_rule(s.path) != nullptr) << s.path << " has no reload rule";
    }
    // Longest prefix at a '.' boundary.
    ASSERT_TRUE(srs_reload_rule("vhost.hls.hls_fragment") != nullptr);
    EXPECT_EQ(SrsReloadMode::NextKeyframe, srs_reload_rule("vhost.hls.hls_fragment")->reload_mode);
    EXPECT_EQ(SrsReloadMode::NextKeyframe, srs_reload_rule("vhost.hls.hls_keys")->reload_mode);
    EXPECT_EQ(SrsReloadMode::NotUsed, srs_reload_rule("vhost.hls.hls_dts_directly")->reload_mode);
    EXPECT_EQ(SrsReloadMode::AtOnce, srs_reload_rule("vhost.play.mw_latency")->reload_mode);
    EXPECT_EQ(nullptr, srs_reload_rule("vhost.playx"));
    EXPECT_EQ(nullptr, srs_reload_rule("nothing"));
    // A rule is a column of the table: only reloadable rows carry one, and a row inherits its
    // block's rule.
    for (const SrsConfSpec& s : srs_config_table()) {
        if (s.has_reload_rule) {
            EXPECT_TRUE(s.reloadable) << s.path;
        }
    }
    EXPECT_EQ("vhost.hls", srs_reload_rule("vhost.hls.hls_fragment")->path);
    EXPECT_EQ("vhost.play.mw_latency", srs_reload_rule("vhost.play.mw_latency")->path);
}

namespace {

// The repository's doc/reload.md, found from this source file's path.
std::string doc_path() {
    const char* env = getenv("SRS_SOURCE_DIR");
    if (env && *env) {
        return std::string(env) + "/doc/reload.md";
    }
    std::string f = __FILE__;
    size_t p = f.rfind("/src/utest/");
    return p == std::string::npos ? "doc/reload.md" : f.substr(0, p) + "/doc/reload.md";
}

const char* kBegin = "<!-- BEGIN generated by srs_reload_generate_doc() -->\n";
const char* kEnd = "<!-- END generated -->\n";

}  // namespace

// doc/reload.md's table is generated from the directive table and the reload rules.
TEST(AppReloadRulesTest, DocMatchesRules) {
    std::string path = doc_path();
    std::string content;
    srs_error_t err = srs_conf_read_file(path, &content);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    size_t b = content.find(kBegin);
    size_t e = content.find(kEnd);
    ASSERT_NE(std::string::npos, b);
    ASSERT_NE(std::string::npos, e);
    b += strlen(kBegin);
    std::string generated = srs_reload_generate_doc();
    const char* write = getenv("SRS_UTEST_WRITE_RELOAD_DOC");
    if (write && *write == '1') {
        content = content.substr(0, b) + generated + content.substr(e);
        std::ofstream f(path);
        f << content;
        e = b + generated.size();
    }
    EXPECT_EQ(generated, content.substr(b, e - b))
        << "doc/reload.md is stale, regenerate: SRS_UTEST_WRITE_RELOAD_DOC=1 ./srs_utest "
           "--gtest_filter='AppReloadRulesTest*'";
    EXPECT_NE(std::string::npos, generated.find("| `vhost.play.mw_latency` | at once |"));
    EXPECT_NE(std::string::npos, generated.find("- `pid`"));
}

// The HLS server may go before the sources that hold its handlers (a test fixture, a
// shutdown order): the handlers detach and never call back.
TEST(AppVhostTest, HlsServerGoesBeforeSources) {
    std::string dir = tmpdir();
    auto sources = std::make_unique<SrsLiveSourceManager>();
    auto hls = std::make_unique<SrsHlsServer>();
    hls->set_config(load("vhost __defaultVhost__ { hls { enabled on; hls_path " + dir + "; } }\n"));
    sources->add_handler_factory(hls.get());
    std::shared_ptr<SrsLiveSource> s;
    VH_ASSERT_OK(sources->fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s));
    CountingPublisher pub;
    VH_ASSERT_OK(s->on_publish(&pub));
    VH_ASSERT_OK(publish_media(s.get(), 0, 1000, true));
    EXPECT_EQ(1, hls->reload_vhost("__defaultVhost__"));
    hls.reset();
    VH_ASSERT_OK(publish_media(s.get(), 1000, 2000, false));
    s->on_unpublish(&pub);
    s.reset();
    sources.reset();
    rmrf(dir);
}
