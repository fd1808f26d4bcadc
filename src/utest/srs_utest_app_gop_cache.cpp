#include <gtest/gtest.h>

#include <srs_app_gop_cache.hpp>
#include <srs_utest_app_media.hpp>

using namespace srs_utest;

TEST(AppGopCacheTest, ClearedAtEachKeyframe) {
    SrsGopCache g;
    g.cache(keyframe(0));
    g.cache(audio(10));
    g.cache(inter_frame(40));
    EXPECT_EQ(3, g.size());
    EXPECT_TRUE(g.starts_at_keyframe());

    g.cache(keyframe(2000));
    g.cache(inter_frame(2040));
    ASSERT_EQ(2, g.size());
    EXPECT_TRUE(is_keyframe(g.at(0)));
    EXPECT_EQ(2000, g.at(0).timestamp);
    EXPECT_EQ(2000, g.start_time());
}

TEST(AppGopCacheTest, StartsOnlyAtKeyframe) {
    SrsGopCache g;
    g.cache(inter_frame(0));
    g.cache(inter_frame(40));
    EXPECT_EQ(0, g.size());
    EXPECT_EQ(-1, g.start_time());
    g.cache(keyframe(80));
    ASSERT_EQ(1, g.size());
    EXPECT_TRUE(is_keyframe(g.at(0)));
}

TEST(AppGopCacheTest, SequenceHeadersAndScriptNotCached) {
    SrsGopCache g;
    g.cache(video_sh());
    g.cache(audio_sh());
    g.cache(meta());
    EXPECT_EQ(0, g.size());
    g.cache(keyframe(0));
    g.cache(video_sh(40));
    EXPECT_EQ(1, g.size());
}

TEST(AppGopCacheTest, SharesPayloads) {
    SrsGopCache g;
    SrsMediaMessage k = keyframe(0);
    g.cache(k);
    EXPECT_EQ(k.payload.get(), g.at(0).payload.get());
    EXPECT_EQ(2, k.payload.use_count());
}

TEST(AppGopCacheTest, MaxFramesDropsUntilNextKeyframe) {
    SrsGopCache g;
    g.set_max_frames(10);
    g.cache(keyframe(0));
    for (int i = 1; i < 10; i++) {
        g.cache(inter_frame(i * 40));
    }
    EXPECT_EQ(10, g.size());
    g.cache(inter_frame(400));
    // Too long: dropped, and frames until the next keyframe are not cached.
    EXPECT_EQ(0, g.size());
    EXPECT_EQ(1, g.nb_overflows());
    g.cache(inter_frame(440));
    EXPECT_EQ(0, g.size());
    g.cache(keyframe(480));
    EXPECT_EQ(1, g.size());
    EXPECT_TRUE(g.starts_at_keyframe());
}

TEST(AppGopCacheTest, AudioOnlyIsBounded) {
    SrsGopCache g;
    for (int i = 0; i < 1000; i++) {
        g.cache(audio(i * 23));
    }
    EXPECT_EQ(SRS_GOP_PURE_AUDIO_FRAMES, g.size());
    EXPECT_FALSE(g.starts_at_keyframe());
    // The newest frames are kept.
    EXPECT_EQ(999 * 23, g.at(g.size() - 1).timestamp);
}

TEST(AppGopCacheTest, VideoStopsSwitchesToAudioOnly) {
    SrsGopCache g;
    g.cache(keyframe(0));
    for (int i = 0; i < 500; i++) {
        g.cache(audio(i * 23));
    }
    EXPECT_FALSE(g.starts_at_keyframe());
    EXPECT_EQ(SRS_GOP_PURE_AUDIO_FRAMES, g.size());
    // Video comes back: a keyframe starts a GOP again.
    g.cache(keyframe(20000));
    EXPECT_TRUE(g.starts_at_keyframe());
    EXPECT_EQ(1, g.size());
}

TEST(AppGopCacheTest, DisabledCachesNothing) {
    SrsGopCache g;
    g.cache(keyframe(0));
    g.set_enabled(false);
    EXPECT_EQ(0, g.size());
    g.cache(keyframe(40));
    EXPECT_EQ(0, g.size());
    g.set_enabled(true);
    g.cache(keyframe(80));
    EXPECT_EQ(1, g.size());
}

TEST(AppGopCacheTest, AudioBeforeFirstKeyframeReplacedByGop) {
    SrsGopCache g;
    g.cache(audio(0));
    g.cache(audio(23));
    EXPECT_EQ(2, g.size());
    g.cache(keyframe(40));
    g.cache(audio(46));
    ASSERT_EQ(2, g.size());
    EXPECT_TRUE(is_keyframe(g.at(0)));
}
