#include <gtest/gtest.h>

#include <srs_app_source.hpp>
#include <srs_core_st.hpp>
#include <srs_utest_app_media.hpp>
#include <srs_utest_coroutine.hpp>
#include <srs_utest_kernel_media.hpp>

#include <malloc.h>

#include <cstring>

#include <string>
#include <vector>

using namespace srs_utest;

namespace {

class MockPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override { kicked++; }
    int kicked = 0;
};

// Records what a feature handler sees.
class MockHandler : public ISrsLiveSourceHandler {
public:
    explicit MockHandler(std::vector<std::string>* log, bool refuse = false) : log_(log), refuse_(refuse) {}
    ~MockHandler() override { log_->push_back("destroy"); }
    srs_error_t on_publish() override {
        log_->push_back("publish");
        return refuse_ ? srs_error_new(ERROR_HTTP_HOOK_REJECTED, "denied") : srs_success;
    }
    void on_unpublish() override { log_->push_back("unpublish"); }
    srs_error_t on_audio(const SrsMediaMessage&) override {
        log_->push_back("audio");
        return srs_success;
    }
    srs_error_t on_video(const SrsMediaMessage&) override {
        log_->push_back("video");
        return srs_success;
    }
    srs_error_t on_meta_data(const SrsMediaMessage&) override {
        log_->push_back("meta");
        return srs_success;
    }

private:
    std::vector<std::string>* log_;
    bool refuse_;
};

class MockFactory : public ISrsLiveSourceHandlerFactory {
public:
    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override {
        // A feature that is off for a vhost gives no handler.
        if (source->vhost() == "nohls") {
            return nullptr;
        }
        created++;
        return std::make_unique<MockHandler>(&log, refuse);
    }
    std::vector<std::string> log;
    int created = 0;
    bool refuse = false;
};

std::shared_ptr<SrsLiveSource> make_source() {
    return std::make_shared<SrsLiveSource>("__defaultVhost__", "live", "livestream");
}

SrsLiveConsumerConfig player_config() {
    SrsLiveConsumerConfig c;
    c.jitter = SrsJitterAlgorithm::Off;
    return c;
}

// Publishes headers, metadata and one GOP of 1 s starting at ts.
void publish_gop(SrsLiveSource* s, int64_t ts, bool headers) {
    if (headers) {
        ASSERT_TRUE(s->on_meta_data(meta(ts)) == srs_success);
        ASSERT_TRUE(s->on_video(video_sh(ts)) == srs_success);
        ASSERT_TRUE(s->on_audio(audio_sh(ts)) == srs_success);
    }
    for (int i = 0; i < 25; i++) {
        ASSERT_TRUE(s->on_video(i == 0 ? keyframe(ts + i * 40) : inter_frame(ts + i * 40)) == srs_success);
        ASSERT_TRUE(s->on_audio(audio(ts + i * 40 + 3)) == srs_success);
    }
}

std::vector<SrsMediaMessage> drain(SrsLiveConsumer* c) {
    std::vector<SrsMediaMessage> out;
    c->dump_packets(1000000, &out);
    return out;
}

}  // namespace

TEST(AppSourceTest, StreamUrl) {
    EXPECT_EQ("__defaultVhost__/live/livestream", srs_live_stream_url("__defaultVhost__", "live", "livestream"));
    auto s = make_source();
    EXPECT_EQ("__defaultVhost__/live/livestream", s->url());
    EXPECT_EQ("live", s->app());
    EXPECT_EQ("livestream", s->stream());
}

TEST(AppSourceTest, FanOutSharesPayloadWithoutCopy) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);

    std::vector<std::unique_ptr<SrsLiveConsumer>> players(3);
    for (auto& p : players) {
        ASSERT_TRUE(s->create_consumer(player_config(), &p) == srs_success);
    }
    EXPECT_EQ(3, s->nb_consumers());

    SrsMediaMessage k = keyframe(0, 100000);
    ASSERT_TRUE(s->on_video(k) == srs_success);
    // The publisher's copy, one fan-out entry (for all players) and the GOP cache share one
    // payload: nothing per player until a player pulls.
    EXPECT_EQ(3, k.payload.use_count());
    for (auto& p : players) {
        auto out = drain(p.get());
        ASSERT_EQ(1u, out.size());
        EXPECT_EQ(k.payload.get(), out[0].payload.get());
        EXPECT_EQ(k.data(), out[0].data());
    }
    EXPECT_EQ(3, k.payload.use_count());
}

TEST(AppSourceTest, LateConsumerStartsAtKeyframeWithHeadersFirst) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    publish_gop(s.get(), 0, true);
    publish_gop(s.get(), 1000, false);
    // Mid-GOP.
    ASSERT_TRUE(s->on_video(keyframe(2000)) == srs_success);
    ASSERT_TRUE(s->on_video(inter_frame(2040)) == srs_success);
    ASSERT_TRUE(s->on_audio(audio(2043)) == srs_success);

    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);
    s->consumer_dumps(c.get());
    auto out = drain(c.get());
    ASSERT_EQ(6u, out.size());
    EXPECT_TRUE(out[0].is_script());
    EXPECT_TRUE(is_video_sh(out[1]));
    EXPECT_TRUE(is_audio_sh(out[2]));
    EXPECT_TRUE(is_keyframe(out[3]));
    EXPECT_EQ(2000, out[3].timestamp);
    EXPECT_EQ(2040, out[4].timestamp);
    EXPECT_TRUE(out[5].is_audio());

    // Live messages follow.
    ASSERT_TRUE(s->on_video(inter_frame(2080)) == srs_success);
    out = drain(c.get());
    ASSERT_EQ(1u, out.size());
    EXPECT_EQ(2080, out[0].timestamp);
}

TEST(AppSourceTest, GopCacheOffGivesOnlyHeaders) {
    auto s = make_source();
    SrsLiveSourceConfig cfg;
    cfg.gop_cache = false;
    s->update_config(cfg);
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    publish_gop(s.get(), 0, true);

    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);
    s->consumer_dumps(c.get());
    auto out = drain(c.get());
    ASSERT_EQ(3u, out.size());
    EXPECT_EQ(0, s->gop_cache().size());
}

TEST(AppSourceTest, AtcHeadersAtGopStart) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    publish_gop(s.get(), 50000, true);
    SrsLiveConsumerConfig cfg;
    cfg.atc = true;
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(cfg, &c) == srs_success);
    s->consumer_dumps(c.get());
    auto out = drain(c.get());
    ASSERT_GE(out.size(), 4u);
    for (auto& m : out) {
        // The metadata stays at 0: FFmpeg takes script data at any other time for a subtitle.
        if (m.is_script()) {
            EXPECT_EQ(0, m.timestamp);
            continue;
        }
        EXPECT_GE(m.timestamp, 50000);
    }
}

TEST(AppSourceTest, MetadataUpdateReachesPlayersAtZero) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    publish_gop(s.get(), 0, true);
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(SrsLiveConsumerConfig(), &c) == srs_success);
    s->consumer_dumps(c.get());
    drain(c.get());
    // A publisher that re-sends its metadata mid-stream (GStreamer's flvmux) stamps it with its
    // running time; players, and the cached copy for later players, get it at 0.
    ASSERT_TRUE(s->on_meta_data(meta(1600)) == srs_success);
    EXPECT_EQ(0, s->meta().timestamp);
    auto out = drain(c.get());
    ASSERT_EQ(1u, out.size());
    EXPECT_TRUE(out[0].is_script());
    EXPECT_EQ(0, out[0].timestamp);
}

TEST(AppSourceTest, SecondPublisherRefused) {
    auto s = make_source();
    MockPublisher a, b;
    ASSERT_TRUE(s->on_publish(&a) == srs_success);
    srs_error_t err = s->on_publish(&b);
    ASSERT_TRUE(err != srs_success);
    EXPECT_EQ(ERROR_SYSTEM_STREAM_BUSY, srs_error_code(err));
    EXPECT_EQ(&a, s->publisher());
    // The loser's unpublish does not end the winner's stream.
    s->on_unpublish(&b);
    EXPECT_TRUE(s->publishing());
    s->on_unpublish(&a);
    EXPECT_FALSE(s->publishing());
    EXPECT_TRUE(s->on_publish(&b) == srs_success);
}

TEST(AppSourceTest, MediaWithoutPublisherFails) {
    auto s = make_source();
    srs_error_t err = s->on_video(keyframe(0));
    EXPECT_EQ(ERROR_SOURCE_NOT_PUBLISHING, srs_error_code(err));
    err = s->on_audio(audio(0));
    EXPECT_EQ(ERROR_SOURCE_NOT_PUBLISHING, srs_error_code(err));
    err = s->on_meta_data(meta(0));
    EXPECT_EQ(ERROR_SOURCE_NOT_PUBLISHING, srs_error_code(err));
}

TEST(AppSourceTest, StalePublisherTakeover) {
    auto s = make_source();
    MockPublisher old_pub, new_pub;
    ASSERT_TRUE(s->on_publish(&old_pub) == srs_success);
    publish_gop(s.get(), 0, true);

    std::unique_ptr<SrsLiveConsumer> player;
    ASSERT_TRUE(s->create_consumer(player_config(), &player) == srs_success);
    drain(player.get());

    // Just sent media: not stale.
    EXPECT_FALSE(s->publisher_is_stale(50 * SRS_UTIME_MILLISECONDS));
    srs_usleep(80 * SRS_UTIME_MILLISECONDS);
    EXPECT_GE(s->publisher_silence(), 70 * SRS_UTIME_MILLISECONDS);
    EXPECT_TRUE(s->publisher_is_stale(50 * SRS_UTIME_MILLISECONDS));
    EXPECT_FALSE(s->publisher_is_stale(5 * SRS_UTIME_SECONDS));

    // The new publisher takes over.
    ASSERT_TRUE(s->on_publish(&new_pub) != srs_success);
    s->kick_publisher();
    EXPECT_EQ(1, old_pub.kicked);
    EXPECT_FALSE(s->publishing());
    ASSERT_TRUE(s->on_publish(&new_pub) == srs_success);
    // The old connection's late unpublish is ignored.
    s->on_unpublish(&old_pub);
    EXPECT_EQ(&new_pub, s->publisher());

    // The player stayed and sees unpublish then publish, then the new stream.
    publish_gop(s.get(), 0, true);
    SrsLiveConsumerEvent ev;
    ASSERT_TRUE(player->fetch_event(&ev));
    EXPECT_EQ(SrsLiveConsumerEvent::Unpublish, ev);
    ASSERT_TRUE(player->fetch_event(&ev));
    EXPECT_EQ(SrsLiveConsumerEvent::Publish, ev);
    auto out = drain(player.get());
    ASSERT_GE(out.size(), 3u);
    EXPECT_TRUE(out[0].is_script());
    EXPECT_TRUE(is_video_sh(out[1]));
}

TEST(AppSourceTest, SendingPublisherIsNeverStale) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    for (int i = 0; i < 5; i++) {
        srs_usleep(20 * SRS_UTIME_MILLISECONDS);
        ASSERT_TRUE(s->on_audio(audio(i * 20)) == srs_success);
        EXPECT_FALSE(s->publisher_is_stale(50 * SRS_UTIME_MILLISECONDS));
    }
    // A publisher that connected and sent nothing yet is judged from its publish time.
    auto s2 = make_source();
    ASSERT_TRUE(s2->on_publish(&pub) == srs_success);
    EXPECT_FALSE(s2->publisher_is_stale(50 * SRS_UTIME_MILLISECONDS));
    EXPECT_FALSE(make_source()->publisher_is_stale(0));
}

TEST(AppSourceTest, RepublishKeepsConsumersWithMonotonicTime) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    publish_gop(s.get(), 0, true);

    SrsLiveConsumerConfig cfg;
    cfg.jitter = SrsJitterAlgorithm::Full;
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(cfg, &c) == srs_success);
    s->consumer_dumps(c.get());
    publish_gop(s.get(), 1000, false);

    s->on_unpublish(&pub);
    EXPECT_EQ(1, s->nb_consumers());
    // Nothing of the old publish is given to new players.
    EXPECT_FALSE(s->video_sequence_header().payload);
    EXPECT_EQ(0, s->gop_cache().size());

    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    publish_gop(s.get(), 0, true);

    std::vector<SrsMediaMessage> all;
    SrsLiveConsumerEvent ev;
    std::vector<SrsLiveConsumerEvent> events;
    for (int i = 0; i < 10; i++) {
        c->dump_packets(100000, &all);
        while (c->fetch_event(&ev)) {
            events.push_back(ev);
        }
    }
    ASSERT_EQ(2u, events.size());
    EXPECT_EQ(SrsLiveConsumerEvent::Unpublish, events[0]);
    EXPECT_EQ(SrsLiveConsumerEvent::Publish, events[1]);

    // Video and audio timestamps never go backwards across the republish.
    int64_t last_v = -1, last_a = -1;
    int nb_video_sh = 0;
    for (auto& m : all) {
        if (is_video_sh(m)) {
            nb_video_sh++;
        }
        if (m.is_video()) {
            EXPECT_GE(m.timestamp, last_v);
            last_v = m.timestamp;
        } else if (m.is_audio()) {
            EXPECT_GE(m.timestamp, last_a);
            last_a = m.timestamp;
        }
    }
    // The new sequence header reached the player.
    EXPECT_EQ(2, nb_video_sh);
    EXPECT_GT(last_v, 2000);
}

TEST(AppSourceTest, HandlersFollowTheStream) {
    MockFactory f;
    SrsLiveSourceManager m;
    m.add_handler_factory(&f);
    std::shared_ptr<SrsLiveSource> s;
    ASSERT_TRUE(m.fetch_or_create("v", "live", "a", SrsLiveSourceConfig(), &s) == srs_success);
    EXPECT_EQ(1, f.created);
    EXPECT_EQ(1, s->nb_handlers());

    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    ASSERT_TRUE(s->on_meta_data(meta()) == srs_success);
    ASSERT_TRUE(s->on_video(keyframe(0)) == srs_success);
    ASSERT_TRUE(s->on_audio(audio(0)) == srs_success);
    s->on_unpublish(&pub);
    std::vector<std::string> want = {"publish", "meta", "video", "audio", "unpublish"};
    EXPECT_EQ(want, f.log);

    // A vhost where the feature is off.
    std::shared_ptr<SrsLiveSource> s2;
    ASSERT_TRUE(m.fetch_or_create("nohls", "live", "a", SrsLiveSourceConfig(), &s2) == srs_success);
    EXPECT_EQ(0, s2->nb_handlers());

    // Handlers die with their source.
    s.reset();
    m.set_idle_timeout(0);
    f.log.clear();
    EXPECT_EQ(1, m.sweep());
    EXPECT_EQ(std::vector<std::string>{"destroy"}, f.log);
}

TEST(AppSourceTest, HandlerRefusesPublish) {
    MockFactory f;
    f.refuse = true;
    auto s = make_source();
    s->add_handler(f.create_handler(s.get()));
    MockPublisher pub;
    srs_error_t err = s->on_publish(&pub);
    EXPECT_EQ(ERROR_HTTP_HOOK_REJECTED, srs_error_code(err));
    EXPECT_FALSE(s->publishing());
}

TEST(AppSourceTest, CodecInfoFromSequenceHeaders) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    std::string avc = flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()));
    ASSERT_TRUE(s->on_video(SrsMediaMessage::create(SrsMsgVideo, 0, 1, avc.data(), (int)avc.size())) == srs_success);
    ASSERT_TRUE(s->on_audio(audio_sh()) == srs_success);
    const SrsLiveCodecInfo& c = s->codec_info();
    EXPECT_EQ(7, c.video_codec_id);
    EXPECT_EQ(100, c.video_profile);
    EXPECT_EQ(30, c.video_level);
    EXPECT_EQ(640, c.width);
    EXPECT_EQ(360, c.height);
    EXPECT_EQ(10, c.audio_codec_id);
    EXPECT_EQ(2, c.aac_object);
    EXPECT_EQ(44100, c.sample_rate);
    EXPECT_EQ(2, c.channels);

    // A broken sequence header is still passed through (and kept for new players).
    auto s3 = make_source();
    ASSERT_TRUE(s3->on_publish(&pub) == srs_success);
    ASSERT_TRUE(s3->on_video(video_sh()) == srs_success);
    EXPECT_TRUE(s3->video_sequence_header().payload != nullptr);

    // Other codecs pass through untouched: MP3 audio, enhanced-RTMP HEVC.
    const char mp3[] = {0x2f, 0x11, 0x22};
    auto s2 = make_source();
    ASSERT_TRUE(s2->on_publish(&pub) == srs_success);
    ASSERT_TRUE(s2->on_audio(SrsMediaMessage::create(SrsMsgAudio, 0, 1, mp3, 3)) == srs_success);
    EXPECT_EQ(2, s2->codec_info().audio_codec_id);
    std::string hvc("\x90hvc1", 5);
    hvc += make_hvcc(hevc_vps(), hevc_sps(), hevc_pps());
    ASSERT_TRUE(s2->on_video(SrsMediaMessage::create(SrsMsgVideo, 0, 1, hvc.data(), (int)hvc.size())) == srs_success);
    EXPECT_TRUE(s2->video_sequence_header().payload != nullptr);
    EXPECT_EQ(12, s2->codec_info().video_codec_id);
    EXPECT_EQ(640, s2->codec_info().width);
}

TEST(AppSourceTest, MixCorrectInterleaves) {
    auto s = make_source();
    SrsLiveSourceConfig cfg;
    cfg.mix_correct = true;
    s->update_config(cfg);
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);
    // Video arrives in bursts ahead of audio.
    for (int i = 0; i < 10; i++) {
        ASSERT_TRUE(s->on_video(i == 0 ? keyframe(i * 40) : inter_frame(i * 40)) == srs_success);
    }
    for (int i = 0; i < 20; i++) {
        ASSERT_TRUE(s->on_audio(audio(i * 20)) == srs_success);
    }
    auto out = drain(c.get());
    ASSERT_GT(out.size(), 20u);
    for (size_t i = 1; i < out.size(); i++) {
        EXPECT_LE(out[i - 1].timestamp, out[i].timestamp);
    }
}

TEST(AppSourceManagerTest, FetchOrCreateAndFind) {
    SrsLiveSourceManager m;
    std::shared_ptr<SrsLiveSource> a, b;
    ASSERT_TRUE(m.fetch_or_create("v", "live", "s", SrsLiveSourceConfig(), &a) == srs_success);
    ASSERT_TRUE(m.fetch_or_create("v", "live", "s", SrsLiveSourceConfig(), &b) == srs_success);
    EXPECT_EQ(a.get(), b.get());
    EXPECT_EQ(a.get(), m.find("v/live/s").get());
    EXPECT_EQ(nullptr, m.find("v/live/other"));
    EXPECT_EQ(1, m.size());
}

TEST(AppSourceManagerTest, ReleasedAfterIdleOnly) {
    SrsLiveSourceManager m(50 * SRS_UTIME_MILLISECONDS);
    std::shared_ptr<SrsLiveSource> s;
    ASSERT_TRUE(m.fetch_or_create("v", "live", "s", SrsLiveSourceConfig(), &s) == srs_success);
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);
    SrsLiveSource* raw = s.get();
    s.reset();

    // Publishing: kept.
    srs_usleep(60 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(0, m.sweep());
    raw->on_unpublish(&pub);
    // A consumer holds it: kept, however long.
    srs_usleep(60 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(0, m.sweep());
    EXPECT_EQ(0, m.sweep());

    c.reset();
    // Unused now, but not for long enough.
    EXPECT_EQ(0, m.sweep());
    EXPECT_EQ(1, m.size());
    srs_usleep(60 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(1, m.sweep());
    EXPECT_EQ(0, m.size());
}

TEST(AppSourceManagerTest, ConsumerKeepsSourceAliveNoDangling) {
    SrsLiveSourceManager m(0);
    std::shared_ptr<SrsLiveSource> s;
    ASSERT_TRUE(m.fetch_or_create("v", "live", "s", SrsLiveSourceConfig(), &s) == srs_success);
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);
    std::weak_ptr<SrsLiveSource> weak = s;
    s.reset();
    EXPECT_EQ(0, m.sweep());
    EXPECT_FALSE(weak.expired());
    // The consumer's source is valid until it goes.
    EXPECT_EQ("v/live/s", c->source()->url());
    c.reset();
    EXPECT_EQ(1, m.sweep());
    EXPECT_TRUE(weak.expired());
}

TEST(AppSourceManagerTest, SweeperCoroutineFreesSources) {
    SrsLiveSourceManager m(10 * SRS_UTIME_MILLISECONDS, 10 * SRS_UTIME_MILLISECONDS);
    ASSERT_TRUE(m.start() == srs_success);
    {
        std::shared_ptr<SrsLiveSource> s;
        ASSERT_TRUE(m.fetch_or_create("v", "live", "s", SrsLiveSourceConfig(), &s) == srs_success);
    }
    for (int i = 0; i < 50 && m.size() > 0; i++) {
        srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    }
    EXPECT_EQ(0, m.size());
    m.stop();
}

TEST(AppSourceManagerTest, TenThousandStreamsLeaveMemoryWhereItStarted) {
    SrsLiveSourceManager m(0);
    MockPublisher pub;
    auto one_round = [&](int base) {
        for (int i = 0; i < 10000; i++) {
            std::shared_ptr<SrsLiveSource> s;
            std::string stream = "s" + std::to_string(base + i);
            ASSERT_TRUE(m.fetch_or_create("v", "live", stream, SrsLiveSourceConfig(), &s) == srs_success);
            ASSERT_TRUE(s->on_publish(&pub) == srs_success);
            ASSERT_TRUE(s->on_video(video_sh()) == srs_success);
            ASSERT_TRUE(s->on_video(keyframe(0, 512)) == srs_success);
            ASSERT_TRUE(s->on_audio(audio(0)) == srs_success);
            std::unique_ptr<SrsLiveConsumer> c;
            ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);
            s->consumer_dumps(c.get());
            s->on_unpublish(&pub);
        }
        EXPECT_EQ(10000, m.size());
        EXPECT_EQ(10000, m.sweep());
        EXPECT_EQ(0, m.size());
    };
    // A first round warms up the allocator; a second must not grow the heap.
    one_round(0);
    size_t before = mallinfo2().uordblks;
    one_round(10000);
    size_t after = mallinfo2().uordblks;
    EXPECT_LT(after, before + 256 * 1024) << "before=" << before << " after=" << after;
}

namespace {

void append_tag(std::string* agg, const SrsMediaMessage& m, int64_t ts) {
    char h[11] = {(char)m.type,
                  (char)(m.size() >> 16),
                  (char)(m.size() >> 8),
                  (char)m.size(),
                  (char)(ts >> 16),
                  (char)(ts >> 8),
                  (char)ts,
                  (char)(ts >> 24),
                  0,
                  0,
                  0};
    agg->append(h, 11);
    agg->append(m.data(), m.size());
    int prev = 11 + m.size();
    char t[4] = {(char)(prev >> 24), (char)(prev >> 16), (char)(prev >> 8), (char)prev};
    agg->append(t, 4);
}

}  // namespace

TEST(AppSourceTest, AggregateSplitsIntoMessages) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);

    std::string agg;
    append_tag(&agg, video_sh(), 0x01000000);
    append_tag(&agg, keyframe(0), 0x01000000);
    append_tag(&agg, audio(0), 0x01000017);
    append_tag(&agg, inter_frame(0), 0x01000028);
    SrsMediaMessage m = SrsMediaMessage::create(SrsMsgAggregate, 5000, 1, agg.data(), (int)agg.size());
    ASSERT_TRUE(s->on_aggregate(m) == srs_success);

    auto out = drain(c.get());
    ASSERT_EQ(4u, out.size());
    EXPECT_TRUE(is_video_sh(out[0]));
    EXPECT_TRUE(is_keyframe(out[1]));
    EXPECT_EQ(5000, out[1].timestamp);
    EXPECT_TRUE(out[2].is_audio());
    EXPECT_EQ(5023, out[2].timestamp);
    EXPECT_EQ(5040, out[3].timestamp);
    EXPECT_EQ(0, memcmp(out[3].data(), inter_frame(0).data(), out[3].size()));
    EXPECT_TRUE(s->video_sequence_header().payload != nullptr);

    // Truncated input fails without reading past the end.
    for (size_t cut : {size_t(5), agg.size() - 3}) {
        SrsMediaMessage bad = SrsMediaMessage::create(SrsMsgAggregate, 0, 1, agg.data(), (int)cut);
        srs_error_t err = s->on_aggregate(bad);
        EXPECT_EQ(ERROR_RTMP_AGGREGATE, srs_error_code(err));
    }
}

// A player that never pulls (stalled in a write, paused) must not make the source hold the
// stream: the source's sweep moves its messages into its own bounded queue.
TEST(AppSourceTest, StalledPlayerSweptIntoItsOwnBoundedQueue) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    SrsLiveConsumerConfig cfg = player_config();
    cfg.queue_length = 2 * SRS_UTIME_SECONDS;
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(cfg, &c) == srs_success);
    uint64_t start = c->cursor();
    for (int gop = 0; gop < 10; gop++) {
        publish_gop(s.get(), gop * 1000, gop == 0);
        EXPECT_LE(s->fanout().size(), 96);
    }
    // 10 s published: the player was swept (its cursor moved without it pulling) and its
    // queue kept about its 2 s.
    EXPECT_GT(c->cursor(), start);
    EXPECT_GT(c->nb_dropped(), 0);
    EXPECT_LE(c->duration_ms(), 2000);
    std::vector<SrsMediaMessage> out = drain(c.get());
    ASSERT_GE(out.size(), 3u);
    // The headers dropped by the overflow are put back in front.
    EXPECT_TRUE(out[0].is_script() || is_video_sh(out[0]) || out[0].is_audio());
}

TEST(AppSourceTest, PlayersPullInOrderAtTheirOwnPace) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    std::unique_ptr<SrsLiveConsumer> a, b;
    ASSERT_TRUE(s->create_consumer(player_config(), &a) == srs_success);
    publish_gop(s.get(), 0, true);
    // b joins later and starts at the live edge, with the stream's start from the source.
    ASSERT_TRUE(s->create_consumer(player_config(), &b) == srs_success);
    EXPECT_EQ(0, b->size());
    s->consumer_dumps(b.get());
    EXPECT_EQ(3 + 50, a->size());
    EXPECT_EQ(3 + 50, b->size());
    ASSERT_TRUE(s->on_audio(audio(1000)) == srs_success);
    std::vector<SrsMediaMessage> out = drain(a.get());
    ASSERT_EQ(54u, out.size());
    for (size_t i = 1; i < out.size(); i++) {
        EXPECT_GE(out[i].timestamp, out[i - 1].timestamp - 40);
    }
    EXPECT_EQ(1000, out.back().timestamp);
    EXPECT_EQ(54, b->size());
}

TEST(AppSourceTest, RealtimePlayerWokenAtTheNextMessage) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    SrsLiveConsumerConfig cfg = player_config();
    cfg.realtime = true;
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(cfg, &c) == srs_success);
    FnCoroutine producer([&]() {
        srs_usleep(20 * SRS_UTIME_MILLISECONDS);
        srs_error_t err = s->on_video(keyframe(0));
        srs_error_reset(err);
    });
    ASSERT_TRUE(producer.start() == srs_success);
    srs_utime_t start = srs_update_system_time();
    c->wait(8, 2 * SRS_UTIME_SECONDS);
    srs_utime_t elapsed = srs_update_system_time() - start;
    EXPECT_EQ(1, c->size());
    EXPECT_LT(elapsed, 500 * SRS_UTIME_MILLISECONDS);
}

// A realtime player wakes at the next message, then writes at most once per
// SRS_CONSUMER_REALTIME_MERGE: frames arriving within it go out together.
TEST(AppSourceTest, RealtimePlayerMergesFramesWithinItsWindow) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    SrsLiveConsumerConfig cfg = player_config();
    cfg.realtime = true;
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(cfg, &c) == srs_success);
    FnCoroutine producer([&]() {
        for (int i = 0; i < 40; i++) {
            srs_usleep(5 * SRS_UTIME_MILLISECONDS);
            srs_error_t err = s->on_audio(audio(i * 5));
            srs_error_reset(err);
        }
    });
    ASSERT_TRUE(producer.start() == srs_success);
    std::vector<SrsMediaMessage> out;
    c->wait(1, 2 * SRS_UTIME_SECONDS);
    srs_utime_t first = srs_update_system_time();
    EXPECT_EQ(1, c->dump_packets(100, &out));
    c->wait(1, 2 * SRS_UTIME_SECONDS);
    srs_utime_t second = srs_update_system_time();
    EXPECT_GE(second - first, SRS_CONSUMER_REALTIME_MERGE - 2 * SRS_UTIME_MILLISECONDS);
    EXPECT_LT(second - first, SRS_CONSUMER_REALTIME_MERGE + 100 * SRS_UTIME_MILLISECONDS);
    // The frames of the window, in one batch.
    EXPECT_GE(c->dump_packets(100, &out), 3);
    srs_usleep(250 * SRS_UTIME_MILLISECONDS);
}

// A realtime player that asked for a wake-up and left before the next message: the source
// must not touch it.
TEST(AppSourceTest, RealtimePlayerLeavingWhileRegisteredIsForgotten) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    SrsLiveConsumerConfig cfg = player_config();
    cfg.realtime = true;
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(cfg, &c) == srs_success);
    c->wait(8, 5 * SRS_UTIME_MILLISECONDS);
    c.reset();
    // Under ASan a dangling waiter is a use after free here.
    EXPECT_TRUE(s->on_video(keyframe(0)) == srs_success);
    EXPECT_EQ(0, s->nb_consumers());
}

// A new player gets the stream's start at once, even when the GOP cache holds less media than
// its merged write: waiting for mw_latency to fill up delayed the first frame by up to ~390 ms.
TEST(AppSourceTest, NewPlayerGetsShortGopCacheAtOnce) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    ASSERT_TRUE(s->on_meta_data(meta(0)) == srs_success);
    ASSERT_TRUE(s->on_video(video_sh(0)) == srs_success);
    ASSERT_TRUE(s->on_audio(audio_sh(0)) == srs_success);
    // 80 ms of media since the last keyframe.
    for (int i = 0; i < 3; i++) {
        ASSERT_TRUE(s->on_video(i == 0 ? keyframe(i * 40) : inter_frame(i * 40)) == srs_success);
        ASSERT_TRUE(s->on_audio(audio(i * 40 + 3)) == srs_success);
    }

    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);
    s->consumer_dumps(c.get());
    srs_utime_t start = srs_update_system_time();
    c->wait(8, 2 * SRS_UTIME_SECONDS);
    srs_utime_t elapsed = srs_update_system_time() - start;
    EXPECT_LT(elapsed, 500 * SRS_UTIME_MILLISECONDS);
    std::vector<SrsMediaMessage> out = drain(c.get());
    ASSERT_EQ(9u, out.size());
    EXPECT_TRUE(out[3].is_video());

    // Once started, the merged write applies again: no message, no early wake-up.
    start = srs_update_system_time();
    c->wait(8, 100 * SRS_UTIME_MILLISECONDS);
    EXPECT_GE(srs_update_system_time() - start, 90 * SRS_UTIME_MILLISECONDS);
}

// A player that came before the publisher (or has only the sequence headers) is woken by the
// first frame that comes, not at the end of its merge window or at the next tick.
TEST(AppSourceManagerTest, WaitingPlayerWokenByFirstFrame) {
    SrsLiveSourceManager m(SRS_SOURCE_DEFAULT_IDLE_TIMEOUT, 5 * SRS_UTIME_SECONDS);
    ASSERT_TRUE(m.start() == srs_success);
    std::shared_ptr<SrsLiveSource> s;
    ASSERT_TRUE(m.fetch_or_create("__defaultVhost__", "live", "first", SrsLiveSourceConfig(), &s) == srs_success);
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);
    s->consumer_dumps(c.get());

    MockPublisher pub;
    FnCoroutine producer([&]() {
        srs_usleep(20 * SRS_UTIME_MILLISECONDS);
        ASSERT_TRUE(s->on_publish(&pub) == srs_success);
        ASSERT_TRUE(s->on_video(video_sh(0)) == srs_success);
        srs_usleep(50 * SRS_UTIME_MILLISECONDS);
        ASSERT_TRUE(s->on_video(keyframe(0)) == srs_success);
    });
    ASSERT_TRUE(producer.start() == srs_success);

    // The publish event, then the sequence header, then the keyframe: each wakes the player.
    srs_utime_t start = srs_update_system_time();
    bool got_frame = false;
    SrsLiveConsumerEvent ev;
    while (!got_frame && srs_update_system_time() - start < 3 * SRS_UTIME_SECONDS) {
        c->wait(8, 2 * SRS_UTIME_SECONDS);
        while (c->fetch_event(&ev)) {
        }
        for (const SrsMediaMessage& msg : drain(c.get())) {
            got_frame = got_frame || (msg.is_video() && msg.size() == keyframe(0).size());
        }
    }
    srs_utime_t elapsed = srs_update_system_time() - start;
    EXPECT_TRUE(got_frame);
    EXPECT_LT(elapsed, 1 * SRS_UTIME_SECONDS);
    srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    s->on_unpublish(&pub);
    m.stop();
}

// Every way a player ends leaves no wake-up registration behind: kicked (expired), its stream
// republished, its coroutine interrupted while waiting (a kick, or an HTTP client gone), and its
// source swept afterwards. Under ASan a registration left behind is a use after free when the
// source fans out or ticks.
TEST(AppSourceManagerTest, EveryPlayerEndLeavesNoWaitRegistration) {
    SrsLiveSourceManager m(10 * SRS_UTIME_MILLISECONDS, 10 * SRS_UTIME_MILLISECONDS);
    ASSERT_TRUE(m.start() == srs_success);
    std::shared_ptr<SrsLiveSource> s;
    ASSERT_TRUE(m.fetch_or_create("__defaultVhost__", "live", "ends", SrsLiveSourceConfig(), &s) == srs_success);
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    publish_gop(s.get(), 0, true);

    // Three players, each in its own coroutine, playing until their consumer says stop.
    struct Player {
        std::unique_ptr<SrsLiveConsumer> c;
        std::unique_ptr<FnCoroutine> co;
        bool ended = false;
    };
    std::vector<Player> players(3);
    for (Player& p : players) {
        SrsLiveConsumerConfig cfg = player_config();
        cfg.realtime = (&p == &players[2]);
        ASSERT_TRUE(s->create_consumer(cfg, &p.c) == srs_success);
        s->consumer_dumps(p.c.get());
        Player* pp = &p;
        p.co = std::make_unique<FnCoroutine>([pp]() {
            std::vector<SrsMediaMessage> out;
            SrsLiveConsumerEvent ev;
            while (!pp->c->expired() && srs_coroutine_pull_current() == srs_success) {
                pp->c->wait(8, 300 * SRS_UTIME_MILLISECONDS);
                while (pp->c->fetch_event(&ev)) {
                }
                out.clear();
                pp->c->dump_packets(1000, &out);
            }
            // The player's connection ends: its consumer goes with it.
            pp->c.reset();
            pp->ended = true;
        });
        ASSERT_TRUE(p.co->start() == srs_success);
    }
    srs_usleep(50 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(3, s->nb_consumers());
    EXPECT_GE(s->nb_waiters(), 3);

    // Kicked.
    players[0].c->expire("kicked by the API");
    // Republished while the others wait.
    s->on_unpublish(&pub);
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    ASSERT_TRUE(s->on_video(keyframe(2000)) == srs_success);
    srs_usleep(50 * SRS_UTIME_MILLISECONDS);
    EXPECT_TRUE(players[0].ended);
    EXPECT_EQ(2, s->nb_consumers());

    // Interrupted while waiting (the connection's coroutine is stopped: a kick, a client gone).
    players[1].co.reset();
    players[2].co.reset();
    EXPECT_TRUE(players[1].ended);
    EXPECT_TRUE(players[2].ended);
    EXPECT_EQ(0, s->nb_consumers());
    EXPECT_EQ(0, s->nb_waiters());

    // The stream goes on and is then swept: nothing touches the players that are gone.
    for (int i = 0; i < 200; i++) {
        ASSERT_TRUE(s->on_audio(audio(2000 + i * 20)) == srs_success);
    }
    s->on_unpublish(&pub);
    s.reset();
    srs_usleep(100 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(0, m.size());
    m.stop();
}

// Players of a ticked source wait without timers of their own: a merged write is woken by
// the first message after its duration, or by the manager's tick when the stream is silent.
TEST(AppSourceManagerTest, TickedSourceWakesMergedWaitsWithoutTimers) {
    SrsLiveSourceManager m(SRS_SOURCE_DEFAULT_IDLE_TIMEOUT, 20 * SRS_UTIME_MILLISECONDS);
    ASSERT_TRUE(m.start() == srs_success);
    std::shared_ptr<SrsLiveSource> s;
    ASSERT_TRUE(m.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s) == srs_success);
    EXPECT_TRUE(s->ticked());
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    std::unique_ptr<SrsLiveConsumer> c;
    ASSERT_TRUE(s->create_consumer(player_config(), &c) == srs_success);
    // A player that got its first frame: from then on its writes are merged.
    ASSERT_TRUE(s->on_audio(audio(0)) == srs_success);
    c->wait(8, 60 * SRS_UTIME_MILLISECONDS);
    ASSERT_EQ(1u, drain(c.get()).size());

    // Silent stream: the tick wakes it after its 60 ms.
    srs_utime_t start = srs_update_system_time();
    c->wait(8, 60 * SRS_UTIME_MILLISECONDS);
    srs_utime_t elapsed = srs_update_system_time() - start;
    EXPECT_GE(elapsed, 50 * SRS_UTIME_MILLISECONDS);
    EXPECT_LT(elapsed, 500 * SRS_UTIME_MILLISECONDS);

    // A flowing stream: messages do not wake it before its duration, the first one after does.
    int produced = 0;
    FnCoroutine producer([&]() {
        for (int i = 0; i < 40; i++) {
            srs_usleep(5 * SRS_UTIME_MILLISECONDS);
            srs_error_t err = s->on_audio(audio(i * 5));
            srs_error_reset(err);
            produced++;
        }
    });
    ASSERT_TRUE(producer.start() == srs_success);
    start = srs_update_system_time();
    c->wait(1000, 80 * SRS_UTIME_MILLISECONDS);
    elapsed = srs_update_system_time() - start;
    EXPECT_GE(elapsed, 75 * SRS_UTIME_MILLISECONDS);
    EXPECT_LT(elapsed, 300 * SRS_UTIME_MILLISECONDS);
    EXPECT_LT(produced, 40);
    EXPECT_GE(c->size(), 5);
    srs_usleep(250 * SRS_UTIME_MILLISECONDS);

    // When the manager stops, nobody is left waiting on a source that is no longer ticked.
    m.stop();
    EXPECT_FALSE(s->ticked());
    s->on_unpublish(&pub);
}

// On demand: ./srs_utest --gtest_also_run_disabled_tests --gtest_filter='*FanOutBench*'
TEST(AppSourceTest, DISABLED_FanOutBench) {
    auto s = make_source();
    MockPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    const int nb_players = 1000;
    std::vector<std::unique_ptr<SrsLiveConsumer>> players(nb_players);
    SrsLiveConsumerConfig cfg;
    for (auto& p : players) {
        ASSERT_TRUE(s->create_consumer(cfg, &p) == srs_success);
    }
    std::vector<SrsMediaMessage> out;
    out.reserve(1024);
    const int nb_msgs = 20000;
    srs_utime_t start = srs_update_system_time();
    for (int i = 0; i < nb_msgs; i++) {
        int64_t ts = i * 20;
        srs_error_t err = (i % 50 == 0) ? s->on_video(keyframe(ts)) : s->on_audio(audio(ts));
        ASSERT_TRUE(err == srs_success);
        // Players drain in batches, as merged writes do.
        if (i % 16 == 15) {
            for (auto& p : players) {
                out.clear();
                p->dump_packets(1024, &out);
            }
        }
    }
    srs_utime_t elapsed = srs_update_system_time() - start;
    printf("fan-out: %d msgs x %d players in %d ms: %.1f ns per message per player\n", nb_msgs, nb_players,
           srsu2msi(elapsed), (double)elapsed * 1000.0 / ((double)nb_msgs * nb_players));
}
