#include <gtest/gtest.h>

#include <srs_app_consumer.hpp>
#include <srs_core_st.hpp>
#include <srs_utest_app_media.hpp>
#include <srs_utest_coroutine.hpp>

#include <functional>
#include <vector>

using namespace srs_utest;

namespace {

SrsLiveConsumerConfig off_config(srs_utime_t queue_length = 2 * SRS_UTIME_SECONDS) {
    SrsLiveConsumerConfig c;
    c.queue_length = queue_length;
    c.jitter = SrsJitterAlgorithm::Off;
    return c;
}

// Gives the consumer its first frame, so its waits merge writes from then on.
void started(SrsLiveConsumer* c) {
    c->enqueue(audio(-40));
    std::vector<SrsMediaMessage> out;
    c->wait(1, 0);
    c->dump_packets(1, &out);
}

// A second of 25 fps video (keyframe first) and 43 audio frames, from ts.
void feed_gop(SrsLiveConsumer& c, int64_t ts) {
    for (int i = 0; i < 25; i++) {
        c.enqueue(i == 0 ? keyframe(ts + i * 40) : inter_frame(ts + i * 40));
        c.enqueue(audio(ts + i * 40 + 5));
        if (i % 2 == 0) {
            c.enqueue(audio(ts + i * 40 + 25));
        }
    }
}

}  // namespace

TEST(AppConsumerTest, FanOutCopyIsHeaderOnly) {
    SrsLiveConsumer c(nullptr, off_config());
    SrsMediaMessage k = keyframe(100, 4096);
    c.enqueue(k);
    EXPECT_EQ(2, k.payload.use_count());
    std::vector<SrsMediaMessage> out;
    ASSERT_EQ(1, c.dump_packets(10, &out));
    EXPECT_EQ(k.payload.get(), out[0].payload.get());
    EXPECT_EQ(k.data(), out[0].data());
    // Moved out: the queue holds no reference any more.
    EXPECT_EQ(2, k.payload.use_count());
}

TEST(AppConsumerTest, OverflowDropsToKeyframeKeepingHeaders) {
    SrsLiveConsumer c(nullptr, off_config(2 * SRS_UTIME_SECONDS));
    c.enqueue(meta(0));
    c.enqueue(video_sh(0));
    c.enqueue(audio_sh(0));
    for (int s = 0; s < 10; s++) {
        feed_gop(c, s * 1000);
    }
    EXPECT_GT(c.nb_dropped(), 0);
    EXPECT_LE(c.duration_ms(), 2000);

    std::vector<SrsMediaMessage> out;
    c.dump_packets(100000, &out);
    ASSERT_GE(out.size(), 4u);
    // The player can still decode: metadata and headers first, then a keyframe.
    EXPECT_TRUE(out[0].is_script());
    EXPECT_TRUE(is_video_sh(out[1]));
    EXPECT_TRUE(is_audio_sh(out[2]));
    EXPECT_TRUE(is_keyframe(out[3]));
    // Headers are placed at the keyframe's time, so timestamps do not go backwards.
    EXPECT_EQ(out[3].timestamp, out[1].timestamp);
    for (size_t i = 4; i < out.size(); i++) {
        if (out[i].is_video()) {
            EXPECT_GE(out[i].timestamp, out[3].timestamp);
        }
    }
}

TEST(AppConsumerTest, NonReadingPlayerStaysBounded) {
    SrsLiveConsumer c(nullptr, off_config(2 * SRS_UTIME_SECONDS));
    c.enqueue(video_sh(0));
    for (int s = 0; s < 300; s++) {
        feed_gop(c, s * 1000);
    }
    // 300 s of media, 2 s queue: about 2-3 GOPs held, and the ring's memory is bounded.
    EXPECT_LE(c.duration_ms(), 2000);
    EXPECT_LE(c.size(), 3 * (25 + 38) + 3);
    EXPECT_LE(c.queue().capacity(), 512);
    EXPECT_GT(c.nb_dropped(), 250 * 60);
}

TEST(AppConsumerTest, FrozenTimestampsBoundedByCount) {
    SrsLiveConsumerConfig cfg = off_config();
    cfg.max_msgs = 100;
    SrsLiveConsumer c(nullptr, cfg);
    for (int i = 0; i < 5000; i++) {
        c.enqueue(i % 25 == 0 ? keyframe(0) : inter_frame(0));
    }
    EXPECT_LE(c.size(), 100);
    EXPECT_GT(c.nb_dropped(), 4800);
    EXPECT_LE(c.queue().capacity(), 256);
}

TEST(AppConsumerTest, AudioOnlyOverflowBounded) {
    SrsLiveConsumer c(nullptr, off_config(1 * SRS_UTIME_SECONDS));
    c.enqueue(audio_sh(0));
    for (int i = 0; i < 10000; i++) {
        c.enqueue(audio(i * 23));
    }
    EXPECT_LE(c.duration_ms(), 1000);
    EXPECT_GT(c.nb_dropped(), 9000);
    std::vector<SrsMediaMessage> out;
    c.dump_packets(100000, &out);
    ASSERT_FALSE(out.empty());
    EXPECT_TRUE(is_audio_sh(out[0]));
}

TEST(AppConsumerTest, TimestampJumpDoesNotFlushQueue) {
    SrsLiveConsumer c(nullptr, off_config(2 * SRS_UTIME_SECONDS));
    c.enqueue(keyframe(0));
    c.enqueue(inter_frame(40));
    // An hour's jump (time_jitter off) counts as one step, not an hour of queue.
    c.enqueue(inter_frame(3600000));
    c.enqueue(inter_frame(0));
    EXPECT_EQ(4, c.size());
    EXPECT_EQ(0, c.nb_dropped());
}

TEST(AppConsumerTest, EventsInOrderWithMessages) {
    SrsLiveConsumer c(nullptr, off_config());
    c.enqueue(keyframe(0));
    c.enqueue(inter_frame(40));
    c.enqueue(inter_frame(80));
    c.on_unpublish();
    c.on_publish();
    c.enqueue(video_sh(0));
    c.enqueue(keyframe(0));

    std::vector<SrsMediaMessage> out;
    SrsLiveConsumerEvent ev;
    // The event waits until the messages before it were taken.
    EXPECT_FALSE(c.fetch_event(&ev));
    EXPECT_EQ(3, c.dump_packets(100, &out));
    EXPECT_EQ(0, c.dump_packets(100, &out));
    ASSERT_TRUE(c.fetch_event(&ev));
    EXPECT_EQ(SrsLiveConsumerEvent::Unpublish, ev);
    ASSERT_TRUE(c.fetch_event(&ev));
    EXPECT_EQ(SrsLiveConsumerEvent::Publish, ev);
    EXPECT_FALSE(c.fetch_event(&ev));
    EXPECT_EQ(2, c.dump_packets(100, &out));
    EXPECT_EQ(5u, out.size());
}

TEST(AppConsumerTest, EventCrossedByOverflowIsDueFirst) {
    SrsLiveConsumer c(nullptr, off_config(1 * SRS_UTIME_SECONDS));
    c.enqueue(video_sh(0));
    feed_gop(c, 0);
    c.on_unpublish();
    c.on_publish();
    for (int s = 1; s < 5; s++) {
        feed_gop(c, s * 1000);
    }
    SrsLiveConsumerEvent ev;
    ASSERT_TRUE(c.fetch_event(&ev));
    EXPECT_EQ(SrsLiveConsumerEvent::Unpublish, ev);
    ASSERT_TRUE(c.fetch_event(&ev));
    EXPECT_EQ(SrsLiveConsumerEvent::Publish, ev);
    std::vector<SrsMediaMessage> out;
    c.dump_packets(100000, &out);
    ASSERT_GE(out.size(), 2u);
    EXPECT_TRUE(is_video_sh(out[0]));
    EXPECT_TRUE(is_keyframe(out[1]));
}

TEST(AppConsumerTest, DumpReusesVectorWithoutAllocation) {
    SrsLiveConsumer c(nullptr, off_config(30 * SRS_UTIME_SECONDS));
    std::vector<SrsMediaMessage> out;
    out.reserve(128);
    const SrsMediaMessage* storage = out.data();
    for (int round = 0; round < 100; round++) {
        for (int i = 0; i < 64; i++) {
            c.enqueue(inter_frame(round * 64 * 40 + i * 40));
        }
        out.clear();
        EXPECT_EQ(64, c.dump_packets(128, &out));
    }
    EXPECT_EQ(storage, out.data());
    EXPECT_EQ(128u, out.capacity());
    // The ring reached its working size and stayed there.
    EXPECT_LE(c.queue().capacity(), 64);
}

TEST(AppConsumerTest, BurstMemoryGivenBackOnceDrained) {
    // The GOP-cache burst grows the ring; once the player caught up it goes back to the
    // steady size, and keeps what is queued when not drained.
    SrsLiveConsumer c(nullptr, off_config(30 * SRS_UTIME_SECONDS));
    for (int i = 0; i < 300; i++) {
        c.enqueue(inter_frame(i * 10));
    }
    EXPECT_GE(c.queue().capacity(), 300);
    std::vector<SrsMediaMessage> out;
    EXPECT_EQ(256, c.dump_packets(256, &out));
    EXPECT_GE(c.queue().capacity(), 300);
    EXPECT_EQ(44, c.size());
    out.clear();
    EXPECT_EQ(44, c.dump_packets(256, &out));
    EXPECT_EQ(64, c.queue().capacity());
    // Still a working queue.
    c.enqueue(inter_frame(5000));
    out.clear();
    EXPECT_EQ(1, c.dump_packets(256, &out));
    EXPECT_EQ(5000, out[0].timestamp);
}

// Until its first frame a player's wait returns as soon as anything is queued (its start is
// never merged); once started, the merged write applies.
TEST(AppConsumerTest, FirstFrameIsNotMerged) {
    SrsLiveConsumer c(nullptr, off_config());
    c.enqueue(video_sh(0));
    srs_utime_t start = srs_update_system_time();
    c.wait(8, 2 * SRS_UTIME_SECONDS);
    EXPECT_LT(srs_update_system_time() - start, 500 * SRS_UTIME_MILLISECONDS);
    std::vector<SrsMediaMessage> out;
    EXPECT_EQ(1, c.dump_packets(256, &out));

    // A sequence header is not a frame: the player is still starting, its first frame goes at once.
    c.enqueue(keyframe(0));
    start = srs_update_system_time();
    c.wait(8, 2 * SRS_UTIME_SECONDS);
    EXPECT_LT(srs_update_system_time() - start, 500 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(1, c.dump_packets(256, &out));

    // Started: one frame waits for the merge window.
    c.enqueue(inter_frame(40));
    start = srs_update_system_time();
    c.wait(8, 100 * SRS_UTIME_MILLISECONDS);
    EXPECT_GE(srs_update_system_time() - start, 90 * SRS_UTIME_MILLISECONDS);
}

TEST(AppConsumerTest, WaitReturnsAtOnceWhenEnough) {
    SrsLiveConsumer c(nullptr, off_config(30 * SRS_UTIME_SECONDS));
    // 6 s of media queued: more than the 8 messages and the 5 s the wait asks for.
    for (int i = 0; i < 151; i++) {
        c.enqueue(inter_frame(i * 40));
    }
    srs_utime_t start = srs_update_system_time();
    // A wait that went to its timeout would take 5 s; a loaded machine returns well under 2 s.
    c.wait(8, 5 * SRS_UTIME_SECONDS);
    EXPECT_LT(srs_update_system_time() - start, 2 * SRS_UTIME_SECONDS);
}

TEST(AppConsumerTest, WaitTimesOutWhenStarved) {
    SrsLiveConsumer c(nullptr, off_config());
    started(&c);
    c.enqueue(inter_frame(0));
    srs_utime_t start = srs_update_system_time();
    c.wait(8, 60 * SRS_UTIME_MILLISECONDS);
    srs_utime_t elapsed = srs_update_system_time() - start;
    EXPECT_GE(elapsed, 50 * SRS_UTIME_MILLISECONDS);
    // Late wake-ups on a loaded machine, not a wait without end.
    EXPECT_LT(elapsed, 3 * SRS_UTIME_SECONDS);
}

TEST(AppConsumerTest, MergedWaitWakesOnMsgsAndDuration) {
    SrsLiveConsumer c(nullptr, off_config());
    started(&c);
    int produced = 0;
    FnCoroutine producer([&]() {
        for (int i = 0; i < 20; i++) {
            srs_usleep(2 * SRS_UTIME_MILLISECONDS);
            c.enqueue(inter_frame(i * 40));
            produced++;
        }
    });
    ASSERT_TRUE(producer.start() == srs_success);
    srs_utime_t start = srs_update_system_time();
    // 5 messages and 160 ms of media: the 5th message (ts 160) wakes us.
    c.wait(5, 160 * SRS_UTIME_MILLISECONDS);
    EXPECT_LT(srs_update_system_time() - start, 100 * SRS_UTIME_MILLISECONDS);
    EXPECT_GE(c.size(), 5);
    EXPECT_LT(produced, 20);
    srs_usleep(60 * SRS_UTIME_MILLISECONDS);
}

TEST(AppConsumerTest, RealtimeWakesOnEveryMessage) {
    SrsLiveConsumerConfig cfg = off_config();
    cfg.realtime = true;
    SrsLiveConsumer c(nullptr, cfg);
    FnCoroutine producer([&]() {
        srs_usleep(20 * SRS_UTIME_MILLISECONDS);
        c.enqueue(inter_frame(0));
    });
    ASSERT_TRUE(producer.start() == srs_success);
    srs_utime_t start = srs_update_system_time();
    c.wait(8, 2 * SRS_UTIME_SECONDS);
    srs_utime_t elapsed = srs_update_system_time() - start;
    EXPECT_EQ(1, c.size());
    EXPECT_GE(elapsed, 10 * SRS_UTIME_MILLISECONDS);
    EXPECT_LT(elapsed, 500 * SRS_UTIME_MILLISECONDS);
}

TEST(AppConsumerTest, EventWakesWaiter) {
    SrsLiveConsumer c(nullptr, off_config());
    FnCoroutine producer([&]() {
        srs_usleep(10 * SRS_UTIME_MILLISECONDS);
        c.on_unpublish();
    });
    ASSERT_TRUE(producer.start() == srs_success);
    srs_utime_t start = srs_update_system_time();
    c.wait(8, 2 * SRS_UTIME_SECONDS);
    EXPECT_LT(srs_update_system_time() - start, 500 * SRS_UTIME_MILLISECONDS);
    SrsLiveConsumerEvent ev;
    ASSERT_TRUE(c.fetch_event(&ev));
    EXPECT_EQ(SrsLiveConsumerEvent::Unpublish, ev);
}

TEST(AppConsumerTest, PauseResumesAtLastKeyframe) {
    SrsLiveConsumer c(nullptr, off_config(30 * SRS_UTIME_SECONDS));
    c.enqueue(video_sh(0));
    c.on_play_client_pause(true);
    EXPECT_TRUE(c.paused());
    for (int s = 0; s < 5; s++) {
        feed_gop(c, s * 1000);
    }
    std::vector<SrsMediaMessage> out;
    EXPECT_EQ(0, c.dump_packets(1000, &out));

    c.on_play_client_pause(false);
    c.dump_packets(1000, &out);
    ASSERT_GE(out.size(), 2u);
    EXPECT_TRUE(is_video_sh(out[0]));
    EXPECT_TRUE(is_keyframe(out[1]));
    EXPECT_EQ(4000, out[1].timestamp);
}

TEST(AppConsumerTest, ReceiveVideoFilterWaitsForKeyframe) {
    SrsLiveConsumer c(nullptr, off_config());
    c.set_receive_video(false);
    c.enqueue(keyframe(0));
    c.enqueue(audio(5));
    EXPECT_EQ(1, c.size());
    c.set_receive_video(true);
    c.enqueue(inter_frame(40));
    EXPECT_EQ(1, c.size());
    c.enqueue(video_sh(80));
    EXPECT_EQ(2, c.size());
    c.enqueue(keyframe(80));
    c.enqueue(inter_frame(120));
    EXPECT_EQ(4, c.size());

    c.set_receive_audio(false);
    c.enqueue(audio(130));
    EXPECT_EQ(4, c.size());
}

TEST(AppConsumerTest, JitterPerConsumerAndAtc) {
    SrsLiveConsumerConfig full;
    SrsLiveConsumer a(nullptr, full);
    SrsLiveConsumerConfig atc;
    atc.atc = true;
    SrsLiveConsumer b(nullptr, atc);
    for (SrsLiveConsumer* c : {&a, &b}) {
        c->enqueue(keyframe(90000));
        c->enqueue(inter_frame(90040));
    }
    std::vector<SrsMediaMessage> out;
    a.dump_packets(10, &out);
    b.dump_packets(10, &out);
    ASSERT_EQ(4u, out.size());
    EXPECT_EQ(0, out[0].timestamp);
    EXPECT_EQ(40, out[1].timestamp);
    EXPECT_EQ(90000, out[2].timestamp);
    EXPECT_EQ(90040, out[3].timestamp);
}

TEST(AppRingTest, GrowsWrapsAndShrinks) {
    SrsRing<int> r(4);
    EXPECT_EQ(4, r.capacity());
    for (int i = 0; i < 3; i++) {
        r.push_back(i);
    }
    EXPECT_EQ(0, r.pop_front());
    r.push_back(3);
    r.push_back(4);
    // Wrapped around within capacity.
    EXPECT_EQ(4, r.capacity());
    r.push_front(100);
    r.push_back(5);
    EXPECT_EQ(8, r.capacity());
    ASSERT_EQ(6, r.size());
    int want[] = {100, 1, 2, 3, 4, 5};
    for (int i = 0; i < 6; i++) {
        EXPECT_EQ(want[i], r.at(i));
    }
    r.drop_front(5);
    r.shrink_to(2);
    EXPECT_EQ(2, r.capacity());
    EXPECT_EQ(5, r.front());
    r.clear();
    EXPECT_TRUE(r.empty());
    r.shrink_to(0);
    EXPECT_EQ(0, r.capacity());
    r.push_back(7);
    EXPECT_EQ(7, r.front());
    EXPECT_EQ(16, r.capacity());

    SrsRing<int> lazy(0);
    EXPECT_EQ(0, lazy.capacity());
    lazy.push_front(1);
    lazy.push_back(2);
    EXPECT_EQ(1, lazy.front());
    EXPECT_EQ(2, lazy.back());
}
