#include <gtest/gtest.h>

#include <srs_app_jitter.hpp>
#include <srs_utest_app_media.hpp>

#include <vector>

using namespace srs_utest;

namespace {

int64_t correct(SrsRtmpJitter& j, SrsMediaMessage m, SrsJitterAlgorithm a) {
    j.correct(&m, a);
    return m.timestamp;
}

}  // namespace

TEST(AppJitterTest, ParseNames) {
    EXPECT_EQ(SrsJitterAlgorithm::Full, srs_jitter_algorithm_parse("full"));
    EXPECT_EQ(SrsJitterAlgorithm::Zero, srs_jitter_algorithm_parse("zero"));
    EXPECT_EQ(SrsJitterAlgorithm::Off, srs_jitter_algorithm_parse("off"));
    EXPECT_EQ(SrsJitterAlgorithm::Off, srs_jitter_algorithm_parse("bogus"));
    EXPECT_STREQ("full", srs_jitter_algorithm_name(SrsJitterAlgorithm::Full));
    EXPECT_STREQ("zero", srs_jitter_algorithm_name(SrsJitterAlgorithm::Zero));
    EXPECT_STREQ("off", srs_jitter_algorithm_name(SrsJitterAlgorithm::Off));
}

TEST(AppJitterTest, FullStartsAtZeroAndKeepsDeltas) {
    SrsRtmpJitter j;
    auto a = SrsJitterAlgorithm::Full;
    EXPECT_EQ(0, correct(j, keyframe(5000), a));
    EXPECT_EQ(23, correct(j, audio(5023), a));
    // Interleaving: a small step back is kept, not "fixed".
    EXPECT_EQ(17, correct(j, audio(5017), a));
    EXPECT_EQ(40, correct(j, inter_frame(5040), a));
    EXPECT_EQ(80, correct(j, inter_frame(5080), a));
}

TEST(AppJitterTest, FullBridgesJumps) {
    SrsRtmpJitter j;
    auto a = SrsJitterAlgorithm::Full;
    EXPECT_EQ(0, correct(j, keyframe(1000), a));
    EXPECT_EQ(40, correct(j, inter_frame(1040), a));
    // Forward jump of an hour: continues one default frame later.
    EXPECT_EQ(50, correct(j, inter_frame(3601040), a));
    EXPECT_EQ(90, correct(j, inter_frame(3601080), a));
    // Backward jump (a wrap or an encoder reset).
    EXPECT_EQ(100, correct(j, inter_frame(0), a));
    EXPECT_EQ(140, correct(j, inter_frame(40), a));
    // Exactly the threshold is still a normal step.
    EXPECT_EQ(140 + SRS_JITTER_MAX_MS, correct(j, inter_frame(40 + SRS_JITTER_MAX_MS), a));
}

TEST(AppJitterTest, FullScriptDataAtZero) {
    SrsRtmpJitter j;
    auto a = SrsJitterAlgorithm::Full;
    EXPECT_EQ(0, correct(j, meta(12345), a));
    EXPECT_EQ(0, correct(j, keyframe(9000), a));
    EXPECT_EQ(40, correct(j, inter_frame(9040), a));
    // A metadata update mid-stream: still 0 (FFmpeg takes a later one for a subtitle).
    EXPECT_EQ(0, correct(j, meta(9050), a));
    // Script data does not move the clock.
    EXPECT_EQ(80, correct(j, inter_frame(9080), a));
}

TEST(AppJitterTest, ZeroScriptDataAtZero) {
    SrsRtmpJitter j;
    auto a = SrsJitterAlgorithm::Zero;
    EXPECT_EQ(0, correct(j, keyframe(7000), a));
    EXPECT_EQ(0, correct(j, meta(7040), a));
    EXPECT_EQ(80, correct(j, inter_frame(7080), a));
}

TEST(AppJitterTest, FullRepublishIsMonotonic) {
    SrsRtmpJitter j;
    auto a = SrsJitterAlgorithm::Full;
    EXPECT_EQ(0, correct(j, keyframe(0), a));
    EXPECT_EQ(100, correct(j, inter_frame(100), a));
    EXPECT_EQ(200, correct(j, inter_frame(200), a));
    // The new publisher restarts at 0: a step back of 200 ms, under the jump threshold,
    // but a restart after a republish.
    j.on_republish();
    EXPECT_EQ(210, correct(j, video_sh(0), a));
    EXPECT_EQ(210, correct(j, keyframe(0), a));
    EXPECT_EQ(250, correct(j, inter_frame(40), a));

    // A publisher whose clock continues forward keeps its deltas.
    j.on_republish();
    EXPECT_EQ(290, correct(j, inter_frame(80), a));
}

TEST(AppJitterTest, ZeroStartsAtZeroKeepsJumps) {
    SrsRtmpJitter j;
    auto a = SrsJitterAlgorithm::Zero;
    EXPECT_EQ(0, correct(j, keyframe(7000), a));
    EXPECT_EQ(40, correct(j, inter_frame(7040), a));
    // Zero does not fix jumps.
    EXPECT_EQ(10040, correct(j, inter_frame(17040), a));
    // But continues after a republish.
    j.on_republish();
    EXPECT_EQ(10050, correct(j, keyframe(0), a));
    EXPECT_EQ(10090, correct(j, inter_frame(40), a));
}

TEST(AppJitterTest, OffPassesThrough) {
    SrsRtmpJitter j;
    auto a = SrsJitterAlgorithm::Off;
    EXPECT_EQ(7000, correct(j, keyframe(7000), a));
    EXPECT_EQ(3, correct(j, inter_frame(3), a));
    EXPECT_EQ(99, correct(j, meta(99), a));
}

TEST(AppJitterTest, NeverNegative) {
    SrsRtmpJitter j;
    auto a = SrsJitterAlgorithm::Full;
    EXPECT_EQ(0, correct(j, inter_frame(100), a));
    // Audio slightly earlier than the first video.
    EXPECT_EQ(0, correct(j, audio(80), a));
}

TEST(AppMixQueueTest, InterleavesByTimestamp) {
    SrsMixQueue q;
    SrsMediaMessage out;
    q.push(inter_frame(40));
    q.push(inter_frame(80));
    // Only video so far: held, waiting for audio.
    EXPECT_FALSE(q.pop(&out));
    q.push(audio(20));
    q.push(audio(60));

    std::vector<int64_t> got;
    while (q.pop(&out)) {
        got.push_back(out.timestamp);
    }
    // Released while both kinds are present; the last video waits for later audio.
    ASSERT_GE(got.size(), 3u);
    EXPECT_EQ(20, got[0]);
    EXPECT_EQ(40, got[1]);
    EXPECT_EQ(60, got[2]);
    for (size_t i = 1; i < got.size(); i++) {
        EXPECT_LE(got[i - 1], got[i]);
    }
}

TEST(AppMixQueueTest, PureAudioReleasedAfterGuessCount) {
    SrsMixQueue q;
    SrsMediaMessage out;
    for (int i = 0; i < 9; i++) {
        q.push(audio(i * 23));
        EXPECT_FALSE(q.pop(&out));
    }
    q.push(audio(9 * 23));
    ASSERT_TRUE(q.pop(&out));
    EXPECT_EQ(0, out.timestamp);
}

TEST(AppMixQueueTest, PureVideoReleasedAndBounded) {
    SrsMixQueue q;
    SrsMediaMessage out;
    for (int i = 0; i < 10; i++) {
        q.push(inter_frame(i * 40));
    }
    ASSERT_TRUE(q.pop(&out));
    EXPECT_EQ(0, out.timestamp);
    q.clear();
    EXPECT_EQ(0, q.size());

    // Script data alone never fills the queue without bound.
    for (int i = 0; i < 600; i++) {
        q.push(meta(i));
    }
    int n = 0;
    while (q.pop(&out)) {
        n++;
    }
    EXPECT_GT(n, 0);
    EXPECT_LE(q.size(), 512);
}
