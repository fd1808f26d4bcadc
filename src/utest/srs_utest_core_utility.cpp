#include <gtest/gtest.h>

#include <srs_core_time.hpp>
#include <srs_core_utility.hpp>

TEST(CoreUtilityTest, Strings) {
    EXPECT_EQ("a b", srs_string_trim("  a b \r\n"));
    EXPECT_EQ("", srs_string_trim("   "));
    EXPECT_TRUE(srs_string_starts_with("rtmp://x", "rtmp://"));
    EXPECT_FALSE(srs_string_starts_with("rt", "rtmp"));
    EXPECT_TRUE(srs_string_ends_with("a.m3u8", ".m3u8"));
    EXPECT_FALSE(srs_string_ends_with("a", ".m3u8"));
    EXPECT_EQ("x-y-z", srs_string_replace("x.y.z", ".", "-"));
    EXPECT_EQ("abc", srs_string_replace("abc", "", "-"));
    std::vector<std::string> parts = srs_string_split("a,,b", ",");
    ASSERT_EQ(3u, parts.size());
    EXPECT_EQ("", parts[1]);
    EXPECT_EQ("a,,b", srs_string_join(parts, ","));
    EXPECT_EQ("abc", srs_string_lower("AbC"));
    EXPECT_EQ("n=3 s=x", srs_fmt("n=%d s=%s", 3, "x"));
    EXPECT_EQ(std::string(600, 'a'), srs_fmt("%s", std::string(600, 'a').c_str()));
}

TEST(CoreUtilityTest, ParseInt) {
    int64_t v = 0;
    EXPECT_TRUE(srs_parse_int64("1935", &v));
    EXPECT_EQ(1935, v);
    EXPECT_TRUE(srs_parse_int64("-5", &v));
    EXPECT_EQ(-5, v);
    EXPECT_FALSE(srs_parse_int64("", &v));
    EXPECT_FALSE(srs_parse_int64("12a", &v));
    EXPECT_FALSE(srs_parse_int64("99999999999999999999", &v));
}

TEST(CoreUtilityTest, HexDumpAndRandom) {
    EXPECT_EQ("01 ff", srs_hex_dump("\x01\xff", 2));
    EXPECT_EQ("01 ...", srs_hex_dump("\x01\xff", 2, 1));
    std::string r = srs_random_str(12);
    EXPECT_EQ(12u, r.size());
    for (char c : r) {
        EXPECT_TRUE(isdigit(c) || islower(c));
    }
}

TEST(CoreTimeTest, MonotonicAndCached) {
    srs_utime_t a = srs_update_system_time();
    EXPECT_EQ(a, srs_get_system_time());
    srs_utime_t b = srs_update_system_time();
    EXPECT_GE(b, a);
    EXPECT_GT(srs_get_wall_time(), 1600000000LL * SRS_UTIME_SECONDS);
    EXPECT_LE(srs_get_system_startup_time(), b);
}
