#include <gtest/gtest.h>

#include <srs_kernel_m3u8.hpp>

TEST(KernelM3u8Test, LivePlaylist) {
    SrsM3u8Playlist pl;
    pl.segments.push_back({7, 10.0, "live/livestream-7.ts", false, "", ""});
    pl.segments.push_back({8, 10.0004, "live/livestream-8.ts", false, "", ""});
    pl.segments.push_back({9, 9.521, "live/livestream-9.ts", true, "", ""});
    EXPECT_EQ(
        "#EXTM3U\n"
        "#EXT-X-VERSION:3\n"
        "#EXT-X-TARGETDURATION:10\n"
        "#EXT-X-MEDIA-SEQUENCE:7\n"
        "#EXTINF:10.000,\n"
        "live/livestream-7.ts\n"
        "#EXTINF:10.000,\n"
        "live/livestream-8.ts\n"
        "#EXT-X-DISCONTINUITY\n"
        "#EXTINF:9.521,\n"
        "live/livestream-9.ts\n",
        srs_m3u8_encode(pl));
}

TEST(KernelM3u8Test, TargetDurationIsTheCeiling) {
    SrsM3u8Playlist pl;
    pl.segments.push_back({0, 10.001, "a.ts", false, "", ""});
    pl.segments.push_back({1, 3.2, "b.ts", false, "", ""});
    EXPECT_EQ(11, srs_m3u8_target_duration(pl));
    pl.min_target_duration = 12;
    EXPECT_EQ(12, srs_m3u8_target_duration(pl));
    pl.min_target_duration = 0;
    pl.segments.clear();
    EXPECT_EQ(1, srs_m3u8_target_duration(pl));
}

TEST(KernelM3u8Test, EndListAndDiscontinuitySequence) {
    SrsM3u8Playlist pl;
    pl.discontinuity_sequence = 2;
    pl.endlist = true;
    pl.segments.push_back({100, 2.5, "http://cdn/x-100.ts?token=1", false, "", ""});
    EXPECT_EQ(
        "#EXTM3U\n"
        "#EXT-X-VERSION:3\n"
        "#EXT-X-TARGETDURATION:3\n"
        "#EXT-X-MEDIA-SEQUENCE:100\n"
        "#EXT-X-DISCONTINUITY-SEQUENCE:2\n"
        "#EXTINF:2.500,\n"
        "http://cdn/x-100.ts?token=1\n"
        "#EXT-X-ENDLIST\n",
        srs_m3u8_encode(pl));

    SrsM3u8Playlist empty;
    empty.media_sequence = 5;
    EXPECT_EQ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:5\n", srs_m3u8_encode(empty));
}

// fMP4 (RFC 8216 4.3.2.5): EXT-X-MAP before the first segment, again only where it changes,
// after the EXT-X-DISCONTINUITY of that segment.
TEST(KernelM3u8Test, MapBeforeFirstSegmentAndWhereItChanges) {
    SrsM3u8Playlist pl;
    pl.version = 7;
    pl.segments.push_back({3, 2.0, "s-3.m4s", false, "s/init-0.mp4", ""});
    pl.segments.push_back({4, 2.0, "s-4.m4s", false, "s/init-0.mp4", ""});
    pl.segments.push_back({5, 1.5, "s-5.m4s", true, "s/init-5.mp4", ""});
    EXPECT_EQ(
        "#EXTM3U\n"
        "#EXT-X-VERSION:7\n"
        "#EXT-X-TARGETDURATION:2\n"
        "#EXT-X-MEDIA-SEQUENCE:3\n"
        "#EXT-X-MAP:URI=\"s/init-0.mp4\"\n"
        "#EXTINF:2.000,\n"
        "s-3.m4s\n"
        "#EXTINF:2.000,\n"
        "s-4.m4s\n"
        "#EXT-X-DISCONTINUITY\n"
        "#EXT-X-MAP:URI=\"s/init-5.mp4\"\n"
        "#EXTINF:1.500,\n"
        "s-5.m4s\n",
        srs_m3u8_encode(pl));
}

// hls_keys (RFC 8216 4.3.2.4): EXT-X-KEY before the first segment and where the key changes,
// METHOD=NONE before clear segments; no key is in force at an EXT-X-MAP (init segments are clear,
// and one is shared by segments of several keys).
TEST(KernelM3u8Test, KeyBeforeFirstSegmentAndWhereItChanges) {
    SrsM3u8Playlist pl;
    auto seg = [](int64_t seq, const std::string& key, bool disc = false, const std::string& map = "") {
        return SrsM3u8Segment{seq, 2.0, "s-" + std::to_string(seq) + ".ts", disc, map, key};
    };
    pl.segments = {seg(3, "s-0.key"), seg(4, "s-0.key"), seg(5, "s-5.key"), seg(6, "", true), seg(7, "s-7.key")};
    EXPECT_EQ(
        "#EXTM3U\n"
        "#EXT-X-VERSION:3\n"
        "#EXT-X-TARGETDURATION:2\n"
        "#EXT-X-MEDIA-SEQUENCE:3\n"
        "#EXT-X-KEY:METHOD=AES-128,URI=\"s-0.key\"\n"
        "#EXTINF:2.000,\ns-3.ts\n"
        "#EXTINF:2.000,\ns-4.ts\n"
        "#EXT-X-KEY:METHOD=AES-128,URI=\"s-5.key\"\n"
        "#EXTINF:2.000,\ns-5.ts\n"
        "#EXT-X-DISCONTINUITY\n"
        "#EXT-X-KEY:METHOD=NONE\n"
        "#EXTINF:2.000,\ns-6.ts\n"
        "#EXT-X-KEY:METHOD=AES-128,URI=\"s-7.key\"\n"
        "#EXTINF:2.000,\ns-7.ts\n",
        srs_m3u8_encode(pl));

    // fMP4: the MAP comes first; a new MAP under a key is preceded by METHOD=NONE and followed
    // by the key again.
    pl.version = 7;
    pl.segments = {seg(0, "k0", false, "init-0.mp4"), seg(1, "k0", true, "init-1.mp4"),
                   seg(2, "k2", false, "init-1.mp4")};
    EXPECT_EQ(
        "#EXTM3U\n"
        "#EXT-X-VERSION:7\n"
        "#EXT-X-TARGETDURATION:2\n"
        "#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-MAP:URI=\"init-0.mp4\"\n"
        "#EXT-X-KEY:METHOD=AES-128,URI=\"k0\"\n"
        "#EXTINF:2.000,\ns-0.ts\n"
        "#EXT-X-DISCONTINUITY\n"
        "#EXT-X-KEY:METHOD=NONE\n"
        "#EXT-X-MAP:URI=\"init-1.mp4\"\n"
        "#EXT-X-KEY:METHOD=AES-128,URI=\"k0\"\n"
        "#EXTINF:2.000,\ns-1.ts\n"
        "#EXT-X-KEY:METHOD=AES-128,URI=\"k2\"\n"
        "#EXTINF:2.000,\ns-2.ts\n",
        srs_m3u8_encode(pl));
}
