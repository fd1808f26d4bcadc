// hls_keys: TS and fMP4 segments AES-128 encrypted with the key the playlist names before them,
// a new key every hls_fragments_per_key segments and every publish, keys deleted with their
// last segment, RAM storage, hls_key_url / hls_key_file_path, and a restart that keeps the keys.
#include <gtest/gtest.h>
#include <srs_utest_aes.hpp>
#include <srs_utest_app_hls.hpp>
#include <srs_utest_temp_dir.hpp>

#include <srs_app_hls_muxer.hpp>
#include <srs_protocol_aes.hpp>

#include <string>

using namespace srs_utest;
using namespace srs_utest_hls;

namespace {

class TempDir : public srs_utest::SrsUtestTempDir {
public:
    TempDir() : SrsUtestTempDir("hls_keys") {}
};

SrsHlsConfig keys_config(const std::string& dir) {
    SrsHlsConfig c = test_config(dir);
    c.window = 60 * SRS_UTIME_SECONDS;
    c.keys = true;
    c.fragments_per_key = 2;
    return c;
}

// The segment as a player gets it: decrypted with the key its URI names and its sequence's IV.
std::string open_segment(const std::string& key, const SrsHlsSegment& seg, const std::string& sealed) {
    std::string plain;
    if (!aes128_cbc_decrypt(key, srs_aes_iv_of_sequence(seg.sequence), sealed, &plain)) {
        return "";
    }
    return plain;
}

size_t count(const std::string& s, const std::string& what) {
    size_t n = 0;
    for (size_t pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + 1)) {
        n++;
    }
    return n;
}

}  // namespace

TEST(AppHlsKeysTest, TsSegmentsEncryptedWithRotatingKeys) {
    TempDir dir, clear_dir;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, keys_config(dir.path())));
    ASSERT_OK(feed(&m, 0, 10100, 2000));
    ASSERT_EQ(5u, m.segments().size());
    // The same stream without keys: what each segment must open into, byte for byte.
    SrsHlsConfig clear_config = keys_config(clear_dir.path());
    clear_config.keys = false;
    SrsHlsMuxer clear("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&clear, clear_config));
    ASSERT_OK(feed(&clear, 0, 10100, 2000));

    // A key for segments 0-1, 2-3 and 4, named by its first segment, beside the playlist.
    const std::string& pl = m.playlist();
    EXPECT_NE(std::string::npos, pl.find("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-KEY:METHOD=AES-128,URI=\"s-0.key\"\n"));
    EXPECT_NE(std::string::npos, pl.find("s-1.ts\n#EXT-X-KEY:METHOD=AES-128,URI=\"s-2.key\"\n#EXTINF"));
    EXPECT_NE(std::string::npos, pl.find("s-3.ts\n#EXT-X-KEY:METHOD=AES-128,URI=\"s-4.key\"\n#EXTINF"));
    EXPECT_EQ(3u, count(pl, "#EXT-X-KEY"));
    EXPECT_EQ(pl, read_file(dir.path() + "/live/s.m3u8"));

    std::string keys[3];
    for (int i = 0; i < 3; i++) {
        keys[i] = read_file(dir.path() + "/live/s-" + std::to_string(2 * i) + ".key");
        EXPECT_EQ(16u, keys[i].size()) << i;
    }
    EXPECT_NE(keys[0], keys[1]);
    EXPECT_NE(keys[1], keys[2]);
    ASSERT_TRUE(m.key() != nullptr);
    EXPECT_EQ(keys[2], m.key()->bytes);
    for (const SrsHlsSegment& seg : m.segments()) {
        std::string sealed = read_file(dir.path() + "/" + seg.rel);
        EXPECT_EQ("live/s-" + std::to_string(seg.sequence / 2 * 2) + ".key", seg.key_rel);
        EXPECT_EQ(0u, sealed.size() % 16) << seg.sequence;
        EXPECT_EQ(seg.bytes, (int64_t)sealed.size());
        // Sealed: no TS packet to be seen; opened: whole TS packets.
        EXPECT_NE(0x47, (uint8_t)sealed[0]) << seg.sequence;
        std::string ts = open_segment(keys[seg.sequence / 2], seg, sealed);
        ASSERT_FALSE(ts.empty()) << seg.sequence;
        EXPECT_EQ(read_file(clear_dir.path() + "/" + seg.rel), ts) << seg.sequence;
        EXPECT_EQ(0u, ts.size() % 188) << seg.sequence;
        // Another segment's IV does not open it.
        SrsHlsSegment other = seg;
        other.sequence++;
        std::string wrong = open_segment(keys[seg.sequence / 2], other, sealed);
        EXPECT_TRUE(wrong.empty() || wrong.substr(0, 16) != ts.substr(0, 16));
    }
}

TEST(AppHlsKeysTest, KeysLeaveWithTheirLastSegment) {
    TempDir dir;
    SrsHlsConfig c = keys_config(dir.path());
    c.window = 4 * SRS_UTIME_SECONDS;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 16100, 2000));
    // Window 5, 6, 7 (and 4 expired but kept one more cut): keys 4 and 6 are used, 0 and 2 not.
    ASSERT_EQ(5, m.segments().front().sequence);
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-0.key"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-2.key"));
    EXPECT_TRUE(file_exists(dir.path() + "/live/s-4.key"));
    EXPECT_TRUE(file_exists(dir.path() + "/live/s-6.key"));
    // The window starts inside key 4's run: the playlist names it before its first segment.
    EXPECT_NE(std::string::npos,
              m.playlist().find("#EXT-X-MEDIA-SEQUENCE:5\n#EXT-X-KEY:METHOD=AES-128,URI=\"s-4.key\"\n"));

    // Dispose takes the keys too.
    ASSERT_OK(m.on_unpublish());
    m.dispose();
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-4.key"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-6.key"));
}

TEST(AppHlsKeysTest, RepublishMakesANewKeyAndOffWritesMethodNone) {
    TempDir dir;
    SrsHlsConfig c = keys_config(dir.path());
    c.fragments_per_key = 10;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(publish(&m, c, 4100, 2000));
    std::string first = m.key()->bytes;

    // The next publish does not reuse the key, however few segments it had.
    ASSERT_OK(publish(&m, c, 4100, 2000));
    EXPECT_NE(first, m.key()->bytes);
    EXPECT_EQ("live/s-3.key", m.key()->rel);
    EXPECT_NE(std::string::npos,
              m.playlist().find("#EXT-X-DISCONTINUITY\n#EXT-X-KEY:METHOD=AES-128,URI=\"s-3.key\"\n"));

    // hls_keys off: clear segments, announced as such after the encrypted ones.
    c.keys = false;
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 2100, 2000));
    EXPECT_EQ(nullptr, m.key());
    const SrsHlsSegment& clear = m.segments().back();
    EXPECT_TRUE(clear.key_uri.empty());
    EXPECT_EQ(0x47, (uint8_t)read_file(dir.path() + "/" + clear.rel)[0]);
    EXPECT_NE(std::string::npos, m.playlist().find("#EXT-X-DISCONTINUITY\n#EXT-X-KEY:METHOD=NONE\n#EXTINF"));
}

TEST(AppHlsKeysTest, RamStorageAndKeyUrlAndPath) {
    TempDir dir, keydir;
    SrsHlsMemoryStore store;
    SrsHlsConfig c = keys_config(dir.path());
    c.storage = SrsHlsStorage::Ram;
    SrsHlsMuxer m("v", "live", "s", &store, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 4100, 2000));
    ASSERT_EQ(2u, m.segments().size());
    std::shared_ptr<const std::string> key = store.get("/live/s-0.key");
    ASSERT_TRUE(key != nullptr);
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-0.key"));
    std::shared_ptr<const std::string> seg = store.get("/" + m.segments()[0].rel);
    ASSERT_TRUE(seg != nullptr);
    EXPECT_EQ(0x47, (uint8_t)open_segment(*key, m.segments()[0], *seg)[0]);
    ASSERT_OK(m.on_unpublish());
    m.dispose();
    EXPECT_EQ(nullptr, store.get("/live/s-0.key"));

    // Keys in a directory of their own (named after their first segment even without [seq]), named
    // below a URL (SRS: hls_key_url then the file).
    TempDir dir2;
    c = keys_config(dir2.path());
    c.key_file_path = keydir.path();
    c.key_file = "[vhost]/[stream].bin";
    c.key_url = "https://keys.example.com/k";
    SrsHlsMuxer d("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&d, c));
    ASSERT_OK(feed(&d, 0, 4100, 2000));
    EXPECT_TRUE(file_exists(keydir.path() + "/v/s-0.bin"));
    EXPECT_FALSE(file_exists(dir2.path() + "/v/s-0.bin"));
    EXPECT_NE(std::string::npos,
              d.playlist().find("#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example.com/k/v/s-0.bin\"\n"));
    ASSERT_OK(d.on_unpublish());
    d.dispose();
    EXPECT_FALSE(file_exists(keydir.path() + "/v/s-0.bin"));
}

TEST(AppHlsKeysTest, Fmp4SegmentsEncryptedInitSegmentsClear) {
    TempDir dir;
    SrsHlsConfig c = keys_config(dir.path());
    c.use_fmp4 = true;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 6100, 2000));
    ASSERT_EQ(3u, m.segments().size());
    // The MAP first, with no key in force; then the key of the segments.
    EXPECT_NE(std::string::npos, m.playlist().find("#EXT-X-MAP:URI=\"s/init-0.mp4\"\n"
                                                   "#EXT-X-KEY:METHOD=AES-128,URI=\"s-0.key\"\n#EXTINF"));
    EXPECT_EQ("ftyp", read_file(dir.path() + "/live/s/init-0.mp4").substr(4, 4));
    for (const SrsHlsSegment& seg : m.segments()) {
        std::string key = read_file(dir.path() + "/" + seg.key_rel);
        std::string sealed = read_file(dir.path() + "/" + seg.rel);
        EXPECT_NE("styp", sealed.substr(4, 4));
        // The whole first block: a wrong IV (CBC) would only show there.
        EXPECT_EQ(std::string("\0\0\0\x1cstypmsdh\0\0\0\0", 16), open_segment(key, seg, sealed).substr(0, 16))
            << seg.sequence;
    }
}

TEST(AppHlsKeysTest, RestartKeepsTheKeysOfRecoveredSegments) {
    TempDir dir;
    SrsHlsConfig c = keys_config(dir.path());
    c.window = 8 * SRS_UTIME_SECONDS;
    {
        SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
        ASSERT_OK(publish(&m, c, 6100, 2000));
    }
    // A new process: the recovered segments keep their keys in the playlist, and the keys
    // are deleted once their segments leave the window.
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_EQ(4u, m.segments().size());
    EXPECT_EQ("s-0.key", m.segments()[0].key_uri);
    EXPECT_EQ("live/s-0.key", m.segments()[0].key_rel);
    EXPECT_EQ("s-2.key", m.segments()[3].key_uri);
    ASSERT_OK(feed(&m, 0, 2100, 2000));
    EXPECT_NE(std::string::npos,
              m.playlist().find("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-KEY:METHOD=AES-128,URI=\"s-0.key\"\n"));
    EXPECT_NE(std::string::npos,
              m.playlist().find("#EXT-X-DISCONTINUITY\n#EXT-X-KEY:METHOD=AES-128,URI=\"s-4.key\"\n"));
    ASSERT_OK(feed(&m, 2000, 12100, 2000));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-0.key"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-2.key"));
    EXPECT_TRUE(file_exists(dir.path() + "/" + m.segments().front().key_rel));
}
