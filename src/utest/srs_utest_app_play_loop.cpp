#include <gtest/gtest.h>

#include <srs_app_play_loop.hpp>
#include <srs_app_source.hpp>
#include <srs_core_st.hpp>
#include <srs_utest_app_media.hpp>
#include <srs_utest_coroutine.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

using namespace srs_utest;

namespace {

class MockPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override {}
};

// A sink that records what the loop gives it and plays a client's input when asked.
class FakeSink : public ISrsLivePlaySink {
public:
    srs_error_t write_batch(std::vector<SrsMediaMessage>& msgs) override {
        batches.push_back((int)msgs.size());
        for (const SrsMediaMessage& m : msgs) {
            timestamps.push_back(m.timestamp);
            bytes += bytes_per_msg;
        }
        if (fail_write) {
            return srs_error_new(ERROR_SOCKET_WRITE, "write failed");
        }
        return srs_success;
    }
    srs_error_t on_stream_event(SrsLiveConsumerEvent ev, bool* end) override {
        events.push_back(ev);
        // Ends at an unpublish, as an HTTP player does.
        *end = end_at_unpublish && ev == SrsLiveConsumerEvent::Unpublish;
        return srs_success;
    }
    srs_error_t read_input(ISrsLivePlayControl* control, bool* closed) override {
        nb_reads++;
        if (pause_at_read == nb_reads) {
            control->on_pause(true);
        }
        *closed = close_at_read == nb_reads;
        return srs_success;
    }
    int64_t send_bytes() const override { return bytes; }
    void on_settings(const SrsLiveConsumerConfig&, bool reload) override { settings.push_back(reload); }
    bool draining() const override { return draining_; }

    std::vector<int> batches;
    std::vector<int64_t> timestamps;
    std::vector<SrsLiveConsumerEvent> events;
    std::vector<bool> settings;
    int64_t bytes = 0;
    int64_t bytes_per_msg = 100;
    int nb_reads = 0;
    int pause_at_read = -1;
    int close_at_read = -1;
    bool end_at_unpublish = true;
    bool fail_write = false;
    bool draining_ = false;
};

SrsLiveConsumerConfig player_config() {
    SrsLiveConsumerConfig c;
    c.jitter = SrsJitterAlgorithm::Off;
    // Short waits keep the tests quick; the loop wakes at least this often.
    c.mw_latency = 20 * SRS_UTIME_MILLISECONDS;
    c.mw_msgs = 1;
    return c;
}

struct Stream {
    std::shared_ptr<SrsLiveSource> source = std::make_shared<SrsLiveSource>("__defaultVhost__", "live", "s");
    MockPublisher pub;
    std::unique_ptr<SrsLiveConsumer> consumer;

    void open(const SrsLiveConsumerConfig& c = player_config()) {
        ASSERT_TRUE(source->on_publish(&pub) == srs_success);
        ASSERT_TRUE(source->create_consumer(c, &consumer) == srs_success);
    }
    // n video frames 40 ms apart from ts (a keyframe every 25).
    void feed(int n, int64_t ts = 0) {
        for (int i = 0; i < n; i++) {
            int64_t t = ts + i * 40;
            ASSERT_TRUE(source->on_video(i % 25 == 0 ? keyframe(t) : inter_frame(t)) == srs_success);
        }
    }
};

}  // namespace

TEST(AppPlayLoopTest, SendsEverythingInBatchesThenEndsAtTheEvent) {
    Stream s;
    s.open();
    s.feed(300);
    s.source->on_unpublish(&s.pub);

    FakeSink sink;
    SrsLivePlayOptions o;
    o.max_batch = 128;
    SrsLivePlayLoop loop(s.consumer.get(), &sink, o);
    srs_error_t err = loop.run();
    ASSERT_TRUE(err == srs_success) << srs_error_summary(err);
    EXPECT_EQ(SrsLivePlayEnd::Event, loop.end());
    EXPECT_EQ(300, loop.nb_sent());
    // Everything queued at a wake-up goes out in as few writes as the batch size allows.
    ASSERT_EQ(3u, sink.batches.size());
    EXPECT_EQ(128, sink.batches[0]);
    EXPECT_EQ(128, sink.batches[1]);
    EXPECT_EQ(44, sink.batches[2]);
    // In order, and the event after every message before it.
    ASSERT_EQ(300u, sink.timestamps.size());
    for (size_t i = 1; i < sink.timestamps.size(); i++) {
        EXPECT_LT(sink.timestamps[i - 1], sink.timestamps[i]);
    }
    ASSERT_EQ(1u, sink.events.size());
    EXPECT_EQ(SrsLiveConsumerEvent::Unpublish, sink.events[0]);
    ASSERT_EQ(1u, sink.settings.size());
    EXPECT_FALSE(sink.settings[0]);
}

TEST(AppPlayLoopTest, EventsGoToTheSinkWhichMayKeepPlaying) {
    Stream s;
    s.open();
    s.feed(10);
    s.source->on_unpublish(&s.pub);
    ASSERT_TRUE(s.source->on_publish(&s.pub) == srs_success);
    s.feed(5, 1000);

    FakeSink sink;
    // An RTMP player stays through a republish; here it closes at its third read.
    sink.end_at_unpublish = false;
    SrsLivePlayOptions o;
    o.read_interval = 0;
    sink.close_at_read = 3;
    SrsLivePlayLoop loop(s.consumer.get(), &sink, o);
    srs_error_t err = loop.run();
    EXPECT_EQ(ERROR_RTMP_STREAM_EOF, srs_error_code(err));
    srs_error_reset(err);
    ASSERT_EQ(2u, sink.events.size());
    EXPECT_EQ(SrsLiveConsumerEvent::Unpublish, sink.events[0]);
    EXPECT_EQ(SrsLiveConsumerEvent::Publish, sink.events[1]);
    EXPECT_EQ(15, loop.nb_sent());
}

TEST(AppPlayLoopTest, KickWakesTheWaitingPlayer) {
    Stream s;
    s.open();
    FakeSink sink;
    SrsLivePlayLoop loop(s.consumer.get(), &sink, SrsLivePlayOptions());
    SrsLiveConsumer* c = s.consumer.get();
    FnCoroutine kicker([c]() {
        srs_usleep(50 * SRS_UTIME_MILLISECONDS);
        c->expire("vhost removed by reload");
    });
    ASSERT_TRUE(kicker.start() == srs_success);
    srs_error_t err = loop.run();
    EXPECT_EQ(ERROR_STREAM_KICKED, srs_error_code(err));
    EXPECT_NE(std::string::npos, srs_error_summary(err).find("vhost removed by reload"));
    srs_error_reset(err);
    EXPECT_EQ(0, loop.nb_sent());
}

TEST(AppPlayLoopTest, IdleTimeoutEndsAPlayerWithNoData) {
    // No publisher: nothing comes.
    auto source = std::make_shared<SrsLiveSource>("__defaultVhost__", "live", "idle");
    std::unique_ptr<SrsLiveConsumer> consumer;
    ASSERT_TRUE(source->create_consumer(player_config(), &consumer) == srs_success);
    FakeSink sink;
    SrsLivePlayOptions o;
    o.idle_timeout = 100 * SRS_UTIME_MILLISECONDS;
    SrsLivePlayLoop loop(consumer.get(), &sink, o);
    srs_utime_t start = srs_get_system_time();
    srs_error_t err = loop.run();
    ASSERT_TRUE(err == srs_success) << srs_error_summary(err);
    EXPECT_EQ(SrsLivePlayEnd::Idle, loop.end());
    EXPECT_GE(srs_get_system_time() - start, 100 * SRS_UTIME_MILLISECONDS);
    EXPECT_TRUE(sink.batches.empty());
}

TEST(AppPlayLoopTest, PlayDurationEndsByTimestamps) {
    Stream s;
    s.open();
    // Four seconds of media queued; the player asked for two.
    s.feed(100);
    FakeSink sink;
    SrsLivePlayOptions o;
    o.max_batch = 10;
    o.duration = 2 * SRS_UTIME_SECONDS;
    SrsLivePlayLoop loop(s.consumer.get(), &sink, o);
    srs_error_t err = loop.run();
    EXPECT_EQ(ERROR_RTMP_DURATION_EXCEED, srs_error_code(err));
    srs_error_reset(err);
    // Stops at the batch that reached it: 2 s of 40 ms frames is 51 frames, in batches of 10.
    EXPECT_EQ(60, loop.nb_sent());
}

TEST(AppPlayLoopTest, WriteErrorEndsThePlay) {
    Stream s;
    s.open();
    s.feed(5);
    FakeSink sink;
    sink.fail_write = true;
    SrsLivePlayLoop loop(s.consumer.get(), &sink, SrsLivePlayOptions());
    srs_error_t err = loop.run();
    EXPECT_EQ(ERROR_SOCKET_WRITE, srs_error_code(err));
    srs_error_reset(err);
}

TEST(AppPlayLoopTest, PauseFromTheClientHoldsTheQueue) {
    Stream s;
    s.open();
    FakeSink sink;
    SrsLivePlayOptions o;
    o.read_interval = 0;
    // Paused at the first read, before anything is sent; closed at the fifth.
    sink.pause_at_read = 1;
    sink.close_at_read = 5;
    s.feed(10);
    SrsLivePlayLoop loop(s.consumer.get(), &sink, o);
    srs_error_t err = loop.run();
    EXPECT_EQ(ERROR_RTMP_STREAM_EOF, srs_error_code(err));
    srs_error_reset(err);
    EXPECT_TRUE(s.consumer->paused());
    EXPECT_EQ(0, loop.nb_sent());
    EXPECT_EQ(10, s.consumer->size());
}

TEST(AppPlayLoopTest, SlowClientRuleSizesTheSendBuffer) {
    int fds[2];
    ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
    Stream s;
    SrsLiveConsumerConfig c = player_config();
    c.mw_latency = 350 * SRS_UTIME_MILLISECONDS;
    s.open(c);
    // Eight seconds of 40 ms frames of 10 KB each: 250 KB a second of media.
    s.feed(200);
    s.source->on_unpublish(&s.pub);

    FakeSink sink;
    sink.bytes_per_msg = 10000;
    SrsLivePlayOptions o;
    // Batches of 320 ms of media: the sizer counts at most 500 ms per step.
    o.max_batch = 8;
    o.osfd = fds[0];
    SrsLivePlayLoop loop(s.consumer.get(), &sink, o);
    srs_error_t err = loop.run();
    ASSERT_TRUE(err == srs_success) << srs_error_summary(err);
    // Two merged writes (700 ms) of the stream: the kernel holds that, not megabytes of it.
    EXPECT_EQ(SrsSendBufferSizer::target(250000, 700 * SRS_UTIME_MILLISECONDS), srs_socket_get_sndbuf(fds[0]));
    close(fds[0]);
    close(fds[1]);
}

TEST(AppPlayLoopTest, ReloadedSettingsReachTheSink) {
    Stream s;
    s.open();
    FakeSink sink;
    SrsLivePlayLoop loop(s.consumer.get(), &sink, SrsLivePlayOptions());
    SrsLiveConsumer* consumer = s.consumer.get();
    FnCoroutine reloader([consumer]() {
        srs_usleep(30 * SRS_UTIME_MILLISECONDS);
        SrsLiveConsumerConfig c = player_config();
        c.realtime = true;
        consumer->update_config(c);
        srs_usleep(30 * SRS_UTIME_MILLISECONDS);
        consumer->expire("done");
    });
    ASSERT_TRUE(reloader.start() == srs_success);
    srs_error_t err = loop.run();
    EXPECT_EQ(ERROR_STREAM_KICKED, srs_error_code(err));
    srs_error_reset(err);
    ASSERT_EQ(2u, sink.settings.size());
    EXPECT_FALSE(sink.settings[0]);
    EXPECT_TRUE(sink.settings[1]);
}

TEST(AppPlayLoopTest, DrainingSinkEndsOnceTheQueueIsSent) {
    Stream s;
    s.open();
    s.feed(20);
    FakeSink sink;
    // A forwarder whose source unpublished: what is queued goes out, then the loop ends
    // without waiting for more.
    sink.end_at_unpublish = false;
    sink.draining_ = true;
    SrsLivePlayOptions o;
    o.max_batch = 8;
    SrsLivePlayLoop loop(s.consumer.get(), &sink, o);
    srs_utime_t start = srs_get_system_time();
    srs_error_t err = loop.run();
    ASSERT_TRUE(err == srs_success) << srs_error_summary(err);
    EXPECT_EQ(SrsLivePlayEnd::Drained, loop.end());
    EXPECT_EQ(20, loop.nb_sent());
    // No wait: well under a merge window on any machine.
    EXPECT_LT(srs_get_system_time() - start, 5 * SRS_UTIME_SECONDS);
}
