// HLS muxer: segmenting rules, playlist text, window and cleanup, dispose, RAM storage,
// republish and codec changes, with synthetic tags and with real ffmpeg media.
#include <gtest/gtest.h>
#include <srs_utest_shell.hpp>
#include <srs_utest_temp_dir.hpp>

#include <srs_app_hls_muxer.hpp>
#include <srs_core_st.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_flv_ex.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_utest_app_hls.hpp>
#include <srs_utest_kernel_media.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

using namespace srs_utest;
using namespace srs_utest_hls;

namespace {

using srs_utest::has_tool;

std::string run(const std::string& cmd, int* status) {
    return srs_utest::run_command(cmd, status);
}

// A temp dir per test.
class TempDir : public srs_utest::SrsUtestTempDir {
public:
    TempDir() : SrsUtestTempDir("hls") {}
};

using srs_utest::file_exists;
using srs_utest::read_file;
// Every regular file below dir, relative, sorted.
std::set<std::string> list_files(const std::string& dir, const std::string& prefix = "") {
    std::set<std::string> out;
    DIR* d = opendir(dir.c_str());
    if (!d) {
        return out;
    }
    while (dirent* e = readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..") {
            continue;
        }
        std::string full = dir + "/" + name;
        struct stat st;
        if (::stat(full.c_str(), &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            for (const std::string& f : list_files(full, prefix + name + "/")) {
                out.insert(f);
            }
        } else {
            out.insert(prefix + name);
        }
    }
    closedir(d);
    return out;
}

std::vector<int64_t> durations(const SrsHlsMuxer& m) {
    std::vector<int64_t> out;
    for (const SrsHlsSegment& s : m.segments()) {
        out.push_back(s.duration_ms);
    }
    return out;
}

}  // namespace

TEST(AppHlsPathTest, ExpandVariables) {
    SrsPathTemplateValues v;
    v.vhost = "v.com";
    v.app = "live";
    v.stream = "s";
    v.seq = 42;
    // 2021-02-03 04:05:06.789 in local time.
    struct tm tm = {};
    tm.tm_year = 121;
    tm.tm_mon = 1;
    tm.tm_mday = 3;
    tm.tm_hour = 4;
    tm.tm_min = 5;
    tm.tm_sec = 6;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    v.wall = (srs_utime_t)t * SRS_UTIME_SECONDS + 789 * SRS_UTIME_MILLISECONDS;

    EXPECT_EQ("v.com/live/s-42.ts", srs_path_template_expand("[vhost]/[app]/[stream]-[seq].ts", v));
    EXPECT_EQ("2021/02/03/04/05/06/789", srs_path_template_expand("[2006]/[01]/[02]/[15]/[04]/[05]/[999]", v));
    EXPECT_EQ(std::to_string((int64_t)t * 1000 + 789), srs_path_template_expand("[timestamp]", v));
    // [duration] waits for the segment's end; unknown names stay as they are.
    EXPECT_EQ("s-[duration]-[nope]", srs_path_template_expand("[stream]-[duration]-[nope]", v));
    v.duration_ms = 2040;
    EXPECT_EQ("s-2040", srs_path_template_expand("[stream]-[duration]", v));
    // hls_ts_floor: [timestamp] counts fragments.
    v.ts_floor = true;
    v.floor_piece = 123;
    EXPECT_EQ("123", srs_path_template_expand("[timestamp]", v));
    // An unterminated bracket is kept.
    EXPECT_EQ("a[stream", srs_path_template_expand("a[stream", v));
    // Files named after a sequence (init segments, keys) get one even when the template has none.
    EXPECT_EQ("live/s/init-42.mp4", srs_path_template_expand_seq("[app]/[stream]/init.mp4", v));
    EXPECT_EQ("live/s-42.key", srs_path_template_expand_seq("[app]/[stream]-[seq].key", v));
    EXPECT_EQ("live.d/key-42", srs_path_template_expand_seq("[app].d/key", v));
}

TEST(AppHlsPathTest, FloorPieceFollowsTheClock) {
    // The first piece is one behind the clock, then one more per segment.
    EXPECT_EQ(99, srs_hls_floor_next_piece(0, 100));
    EXPECT_EQ(100, srs_hls_floor_next_piece(99, 100));
    EXPECT_EQ(105, srs_hls_floor_next_piece(104, 100));
    // Within 10 fragments of the clock either way it keeps counting; beyond, it is pulled back.
    EXPECT_EQ(110, srs_hls_floor_next_piece(109, 100));
    EXPECT_EQ(99, srs_hls_floor_next_piece(110, 100));
    EXPECT_EQ(90, srs_hls_floor_next_piece(89, 100));
    EXPECT_EQ(99, srs_hls_floor_next_piece(88, 100));
}

TEST(AppHlsPathTest, CleanAndRelative) {
    EXPECT_EQ("live/s.m3u8", srs_path_clean("./live//s.m3u8"));
    EXPECT_EQ("live/s.m3u8", srs_path_clean("/live/./x/../s.m3u8"));
    EXPECT_EQ("../x", srs_path_clean("../x"));
    EXPECT_EQ("s-1.ts", srs_path_relative_uri("live/s.m3u8", "live/s-1.ts"));
    EXPECT_EQ("s/1.ts", srs_path_relative_uri("live/s.m3u8", "live/s/1.ts"));
    EXPECT_EQ("../ts/s-1.ts", srs_path_relative_uri("live/s.m3u8", "ts/s-1.ts"));
    EXPECT_EQ("live/s-1.ts", srs_path_relative_uri("s.m3u8", "live/s-1.ts"));
    EXPECT_EQ("s-1.ts", srs_path_relative_uri("s.m3u8", "s-1.ts"));
}

TEST(AppHlsPathTest, ParseEnums) {
    EXPECT_EQ(SrsHlsOnError::Ignore, srs_hls_on_error_from("ignore"));
    EXPECT_EQ(SrsHlsOnError::Disconnect, srs_hls_on_error_from("disconnect"));
    EXPECT_EQ(SrsHlsOnError::Continue, srs_hls_on_error_from("continue"));
    EXPECT_EQ(SrsHlsOnError::Continue, srs_hls_on_error_from("x"));
    EXPECT_EQ(SrsHlsStorage::Ram, srs_hls_storage_from("ram"));
    EXPECT_EQ(SrsHlsStorage::Both, srs_hls_storage_from("both"));
    EXPECT_EQ(SrsHlsStorage::Disk, srs_hls_storage_from("disk"));
}

TEST(AppHlsMuxerTest, SegmentsOnKeyframesWithPlaylist) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    SrsHlsMuxer m("__defaultVhost__", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    // Keyframes every second; 2 s fragments.
    ASSERT_OK(feed(&m, 0, 7000, 1000));

    // Cut at 2000, 4000 and 6000; the fourth is still being written.
    EXPECT_EQ((std::vector<int64_t>{2000, 2000, 2000}), durations(m));
    ASSERT_TRUE(m.current() != nullptr);
    EXPECT_EQ(3, m.current()->sequence);
    EXPECT_EQ(6000, m.current()->start_dts);
    EXPECT_TRUE(file_exists(dir.path() + "/live/s-3.ts.tmp"));

    std::string pl = read_file(dir.path() + "/live/s.m3u8");
    EXPECT_EQ(pl, m.playlist());
    EXPECT_EQ(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXTINF:2.000,\ns-0.ts\n#EXTINF:2.000,\ns-1.ts\n#EXTINF:2.000,\ns-2.ts\n",
        pl);
    for (int i = 0; i < 3; i++) {
        std::string ts = read_file(dir.path() + "/live/s-" + std::to_string(i) + ".ts");
        ASSERT_GT(ts.size(), 188u);
        EXPECT_EQ(0u, ts.size() % 188);
        EXPECT_EQ(0x47, (uint8_t)ts[0]);
    }

    ASSERT_OK(m.on_unpublish());
    EXPECT_EQ((std::vector<int64_t>{2000, 2000, 2000, 992}), durations(m));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-3.ts.tmp"));
    EXPECT_TRUE(file_exists(dir.path() + "/live/s-3.ts"));
    // The playlists never leave a temporary file behind.
    EXPECT_EQ((std::set<std::string>{"live/s.m3u8", "live/s-master.m3u8", "live/s-0.ts", "live/s-1.ts", "live/s-2.ts",
                                     "live/s-3.ts"}),
              list_files(dir.path()));
    // The multivariant playlist beside it: the stream's codecs, size and bit rate.
    std::string master = read_file(dir.path() + "/live/s-master.m3u8");
    EXPECT_EQ(m.master_playlist(), master);
    EXPECT_EQ(0u, master.find("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=")) << master;
    EXPECT_NE(std::string::npos, master.find(",CODECS=\"avc1.64001e,mp4a.40.2\",RESOLUTION=640x360\ns.m3u8\n"))
        << master;
    EXPECT_EQ(4, m.stat().nb_segments);
}

TEST(AppHlsMuxerTest, WindowAndCleanup) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    c.window = 4 * SRS_UTIME_SECONDS;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 14100, 2000));
    // Segments 0..6 closed; the window keeps the shortest tail longer than 4 s: 4, 5, 6.
    ASSERT_EQ(3u, m.segments().size());
    EXPECT_EQ(4, m.segments().front().sequence);
    EXPECT_NE(std::string::npos, m.playlist().find("#EXT-X-MEDIA-SEQUENCE:4\n"));
    EXPECT_EQ(std::string::npos, m.playlist().find("s-3.ts"));
    // Segment 3 left the window at the last cut and stays one more segment; 0..2 are gone.
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-0.ts"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-2.ts"));
    EXPECT_TRUE(file_exists(dir.path() + "/live/s-3.ts"));
    EXPECT_EQ(3, m.stat().nb_deleted);

    // hls_cleanup off keeps every file.
    TempDir dir2;
    c.path = dir2.path();
    c.cleanup = false;
    SrsHlsMuxer m2("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m2, c));
    ASSERT_OK(feed(&m2, 0, 14100, 2000));
    EXPECT_EQ(3u, m2.segments().size());
    EXPECT_TRUE(file_exists(dir2.path() + "/live/s-0.ts"));
    // Segments 0..6, the one being written and the playlists.
    EXPECT_EQ(10u, list_files(dir2.path()).size());
}

TEST(AppHlsMuxerTest, ForcedCutWithoutKeyframe) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    c.td_ratio = 1.5;
    c.window = 60 * SRS_UTIME_SECONDS;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c, true, false));
    // Keyframes every 5 s: cut at 3 s (2 * 1.5) without one, then at the keyframe at 5 s.
    ASSERT_OK(feed(&m, 0, 10040, 5000, true, false));
    EXPECT_EQ((std::vector<int64_t>{3000, 2000, 3000, 2000}), durations(m));
    // The target duration is ceil(fragment * td_ratio) and no EXTINF exceeds it.
    EXPECT_NE(std::string::npos, m.playlist().find("#EXT-X-TARGETDURATION:3\n"));
}

TEST(AppHlsMuxerTest, NoWaitKeyframe) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    c.wait_keyframe = false;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 9000, 5000));
    EXPECT_EQ((std::vector<int64_t>{2000, 2000, 2000, 2000}), durations(m));
}

TEST(AppHlsMuxerTest, PureAudioUsesAofRatio) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    c.fragment = 1 * SRS_UTIME_SECONDS;
    c.aof_ratio = 2.0;
    SrsHlsMuxer m("v", "live", "a", nullptr, nullptr);
    ASSERT_OK(start(&m, c, false, true));
    ASSERT_OK(feed(&m, 0, 6100, 0, false, true));
    // AAC every 23 ms: the first frame at or past 2 s cuts (2001, 4002, 6003).
    EXPECT_EQ((std::vector<int64_t>{2001, 2001, 2001}), durations(m));
    std::string ts = read_file(dir.path() + "/live/a-0.ts");
    EXPECT_GT(ts.size(), 188u * 10);
}

TEST(AppHlsMuxerTest, LeadingFramesBeforeKeyframeDropped) {
    TempDir dir;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, test_config(dir.path()), true, false));
    ASSERT_OK(m.on_video(video_frame(0, false)));
    ASSERT_OK(m.on_video(video_frame(40, false)));
    EXPECT_EQ(nullptr, m.current());
    ASSERT_OK(m.on_video(video_frame(80, true)));
    ASSERT_TRUE(m.current() != nullptr);
    EXPECT_EQ(80, m.current()->start_dts);
    EXPECT_EQ(2, m.stat().nb_dropped_frames);
}

TEST(AppHlsMuxerTest, RepublishContinuesWithDiscontinuity) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    c.window = 20 * SRS_UTIME_SECONDS;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 4100, 1000));
    ASSERT_OK(m.on_unpublish());
    ASSERT_EQ(3u, m.segments().size());
    EXPECT_EQ(3, m.next_sequence());
    EXPECT_FALSE(m.publishing());

    // The encoder comes back with timestamps from 0.
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 4100, 1000));
    ASSERT_OK(m.on_unpublish());
    ASSERT_EQ(6u, m.segments().size());
    EXPECT_EQ(3, m.segments()[3].sequence);
    EXPECT_TRUE(m.segments()[3].discontinuity);
    EXPECT_FALSE(m.segments()[4].discontinuity);
    EXPECT_NE(std::string::npos,
              m.playlist().find("#EXTINF:0.094,\ns-2.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000,\ns-3.ts"))
        << m.playlist();
    EXPECT_EQ(std::string::npos, m.playlist().find("DISCONTINUITY-SEQUENCE"));

    // When the discontinuous segment leaves the window, the discontinuity sequence counts it
    // (RFC 8216 6.2.2).
    c.window = 2 * SRS_UTIME_SECONDS;
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 8100, 1000));
    EXPECT_NE(std::string::npos, m.playlist().find("#EXT-X-DISCONTINUITY-SEQUENCE:2\n")) << m.playlist();
}

TEST(AppHlsMuxerTest, CodecChangeCutsDiscontinuous) {
    TempDir dir;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, test_config(dir.path())));
    ASSERT_OK(feed(&m, 0, 1000, 1000));
    // The same sequence header again changes nothing.
    ASSERT_OK(m.on_video(video_sh()));
    EXPECT_EQ(0u, m.segments().size());
    // A new SPS (another level) mid-segment ends it.
    std::string sps = avc_sps();
    sps[3] = 0x1f;
    ASSERT_OK(m.on_video(video_sh(sps)));
    ASSERT_EQ(1u, m.segments().size());
    ASSERT_OK(feed(&m, 1000, 3100, 1000));
    ASSERT_EQ(2u, m.segments().size());
    EXPECT_TRUE(m.segments()[1].discontinuity);
    EXPECT_EQ(1, m.stat().nb_discontinuities);
}

TEST(AppHlsMuxerTest, TimestampJumpCutsDiscontinuous) {
    TempDir dir;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, test_config(dir.path()), true, false));
    ASSERT_OK(feed(&m, 0, 1000, 1000, true, false));
    ASSERT_OK(feed(&m, 100000, 101000, 1000, true, false));
    ASSERT_EQ(1u, m.segments().size());
    EXPECT_EQ(960, m.segments()[0].duration_ms);
    ASSERT_TRUE(m.current() != nullptr);
    EXPECT_TRUE(m.current()->discontinuity);
    EXPECT_EQ(100000, m.current()->start_dts);
}

TEST(AppHlsMuxerTest, DisposeRemovesEverything) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    c.window = 4 * SRS_UTIME_SECONDS;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 12100, 2000));
    ASSERT_OK(m.on_unpublish());
    EXPECT_FALSE(list_files(dir.path()).empty());
    EXPECT_TRUE(m.has_files());
    m.dispose();
    EXPECT_TRUE(list_files(dir.path()).empty());
    EXPECT_FALSE(m.has_files());
    EXPECT_EQ(7, m.next_sequence());

    // A new publish after dispose starts a new playlist, continuing the sequence.
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 2100, 2000));
    ASSERT_EQ(1u, m.segments().size());
    EXPECT_EQ(7, m.segments()[0].sequence);
    EXPECT_FALSE(m.segments()[0].discontinuity);
    EXPECT_NE(std::string::npos, m.playlist().find("#EXT-X-MEDIA-SEQUENCE:7\n"));
    // Dispose while publishing also drops the partial segment.
    m.dispose();
    EXPECT_TRUE(list_files(dir.path()).empty());
}

TEST(AppHlsMuxerTest, RamStorageWritesNoFile) {
    TempDir dir;
    SrsHlsMemoryStore store;
    SrsHlsConfig c = test_config(dir.path());
    c.storage = SrsHlsStorage::Ram;
    c.window = 4 * SRS_UTIME_SECONDS;
    SrsHlsMuxer m("v", "live", "s", &store, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 12100, 2000));
    EXPECT_TRUE(list_files(dir.path()).empty());

    std::shared_ptr<const std::string> pl = store.get("/live/s.m3u8");
    ASSERT_TRUE(pl != nullptr);
    EXPECT_EQ(m.playlist(), *pl);
    EXPECT_EQ("/live/s.m3u8", m.m3u8_url_path());
    // The window (3, 4, 5) and segment 2 in its grace period are served; older ones are gone.
    for (int i = 2; i <= 5; i++) {
        std::shared_ptr<const std::string> ts = store.get("/live/s-" + std::to_string(i) + ".ts");
        ASSERT_TRUE(ts != nullptr) << i;
        EXPECT_EQ(0u, ts->size() % 188);
        EXPECT_EQ(0x47, (uint8_t)(*ts)[0]);
    }
    EXPECT_EQ(nullptr, store.get("/live/s-1.ts"));
    ASSERT_TRUE(store.get("/live/s-master.m3u8") != nullptr);
    EXPECT_EQ(m.master_playlist(), *store.get("/live/s-master.m3u8"));
    EXPECT_EQ(6u, store.size());

    // A response in flight keeps its segment after the store dropped it.
    std::shared_ptr<const std::string> held = store.get("/live/s-2.ts");
    ASSERT_OK(m.on_unpublish());
    m.dispose();
    EXPECT_EQ(0u, store.size());
    EXPECT_EQ(0, store.bytes());
    EXPECT_GT(held->size(), 0u);
    EXPECT_TRUE(list_files(dir.path()).empty());
}

TEST(AppHlsMuxerTest, BothStorages) {
    TempDir dir;
    SrsHlsMemoryStore store;
    SrsHlsConfig c = test_config(dir.path());
    c.storage = SrsHlsStorage::Both;
    SrsHlsMuxer m("v", "live", "s", &store, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 4100, 2000));
    ASSERT_EQ(2u, m.segments().size());
    EXPECT_EQ(read_file(dir.path() + "/live/s-0.ts"), *store.get("/live/s-0.ts"));
    EXPECT_EQ(read_file(dir.path() + "/live/s.m3u8"), *store.get("/live/s.m3u8"));
    // Dropping RAM keeps the disk.
    m.dispose_memory();
    EXPECT_EQ(0u, store.size());
    EXPECT_TRUE(file_exists(dir.path() + "/live/s-0.ts"));

    // RAM storage needs a store.
    SrsHlsMuxer bad("v", "live", "x", nullptr, nullptr);
    srs_error_t err = bad.on_publish(c);
    EXPECT_EQ(ERROR_HLS_WRITE_FAILED, srs_error_code(err));
}

TEST(AppHlsMuxerTest, EntryPrefixAndTemplates) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    c.m3u8_file = "[vhost]/[app]/[stream].m3u8";
    c.ts_file = "[vhost]/[app]/[stream]/[seq]-[duration].ts";
    SrsHlsMuxer m("v.com", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 2100, 2000));
    ASSERT_EQ(1u, m.segments().size());
    EXPECT_EQ("s/0-2000.ts", m.segments()[0].uri);
    EXPECT_TRUE(file_exists(dir.path() + "/v.com/live/s/0-2000.ts"));
    EXPECT_TRUE(file_exists(dir.path() + "/v.com/live/s.m3u8"));

    // A prefix without a trailing slash gets the path from the root, as SRS writes it.
    TempDir dir2;
    c.path = dir2.path();
    c.m3u8_file = "[app]/[stream].m3u8";
    c.ts_file = "[app]/[stream]-[seq].ts";
    c.entry_prefix = "http://cdn.example.com";
    SrsHlsMuxer m2("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m2, c));
    ASSERT_OK(feed(&m2, 0, 2100, 2000));
    EXPECT_EQ("http://cdn.example.com/live/s-0.ts", m2.segments()[0].uri);
    // With a trailing slash, the URI relative to the playlist.
    TempDir dir3;
    c.path = dir3.path();
    c.entry_prefix = "http://cdn.example.com/hls/";
    SrsHlsMuxer m3("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m3, c));
    ASSERT_OK(feed(&m3, 0, 2100, 2000));
    EXPECT_EQ("http://cdn.example.com/hls/s-0.ts", m3.segments()[0].uri);

    // Templates that escape hls_path are refused.
    c.m3u8_file = "../[stream].m3u8";
    SrsHlsMuxer bad("v", "live", "s", nullptr, nullptr);
    EXPECT_EQ(ERROR_HLS_WRITE_FAILED, srs_error_code(bad.on_publish(c)));
}

TEST(AppHlsMuxerTest, CodecFilters) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    c.acodec = "an";
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 2100, 2000));
    ASSERT_OK(m.on_unpublish());
    // Video only: the PMT lists one stream (H.264 on PID 0x100, nothing on 0x101).
    std::string ts = read_file(dir.path() + "/live/s-0.ts");
    bool audio_pid = false;
    for (size_t i = 0; i + 188 <= ts.size(); i += 188) {
        int pid = (((uint8_t)ts[i + 1] & 0x1f) << 8) | (uint8_t)ts[i + 2];
        audio_pid |= pid == 0x101;
    }
    EXPECT_FALSE(audio_pid);

    // vn keeps only audio, segmented as pure audio.
    TempDir dir2;
    c.path = dir2.path();
    c.acodec = "aac";
    c.vcodec = "vn";
    SrsHlsMuxer m2("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m2, c));
    ASSERT_OK(feed(&m2, 0, 4100, 1000));
    ASSERT_EQ(1u, m2.segments().size());
    EXPECT_GE(m2.segments()[0].duration_ms, 4000 - 23);
}

TEST(AppHlsMuxerTest, WriteErrors) {
    TempDir dir;
    // hls_path is a file: the segment cannot be created.
    std::string file = dir.path() + "/file";
    ASSERT_TRUE(std::ofstream(file).good());
    SrsHlsConfig c = test_config(file);
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    srs_error_t err = m.on_video(video_frame(0, true));
    EXPECT_EQ(ERROR_SYSTEM_CREATE_DIR, srs_error_code(err));
    EXPECT_EQ(nullptr, m.current());
    // Media before a publish is ignored.
    SrsHlsMuxer idle("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(idle.on_video(video_frame(0, true)));
    EXPECT_EQ(nullptr, idle.current());
}

TEST(AppHlsMuxerTest, RecoverSequenceFromDisk) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    c.window = 60 * SRS_UTIME_SECONDS;
    {
        SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
        ASSERT_OK(start(&m, c));
        ASSERT_OK(feed(&m, 0, 6100, 2000));
        ASSERT_OK(m.on_unpublish());
        EXPECT_EQ(4, m.next_sequence());
    }
    // A new process finds the playlist: the sequence and the window go on.
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    EXPECT_EQ(4, m.next_sequence());
    ASSERT_EQ(4u, m.segments().size());
    ASSERT_OK(feed(&m, 0, 2100, 2000));
    ASSERT_EQ(5u, m.segments().size());
    EXPECT_EQ(4, m.segments()[4].sequence);
    EXPECT_TRUE(m.segments()[4].discontinuity);

    // hls_recover off starts over.
    TempDir dir2;
    c.path = dir2.path();
    {
        SrsHlsMuxer a("v", "live", "s", nullptr, nullptr);
        ASSERT_OK(start(&a, c));
        ASSERT_OK(feed(&a, 0, 4100, 2000));
        ASSERT_OK(a.on_unpublish());
    }
    c.recover = false;
    SrsHlsMuxer b("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&b, c));
    EXPECT_EQ(0, b.next_sequence());
}

TEST(AppHlsMuxerTest, HooksSeeEachSegment) {
    TempDir dir;
    RecordingHooks hooks;
    SrsHlsConfig c = test_config(dir.path());
    c.nb_notify = 32;
    SrsHlsMuxer m("v", "live", "s", nullptr, &hooks);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 4100, 2000));
    ASSERT_EQ(2u, hooks.events.size());
    const SrsHlsSegmentEvent& ev = hooks.events[1];
    EXPECT_EQ("live", ev.app);
    EXPECT_EQ("s", ev.stream);
    EXPECT_EQ(1, ev.sequence);
    EXPECT_DOUBLE_EQ(2.0, ev.duration);
    EXPECT_EQ(dir.path() + "/live/s-1.ts", ev.file);
    EXPECT_EQ("/live/s-1.ts", ev.url_path);
    EXPECT_EQ("s-1.ts", ev.uri);
    EXPECT_EQ("/live/s.m3u8", ev.m3u8_url_path);
    EXPECT_EQ(32, ev.nb_notify);
}

// Real media: ffmpeg encodes H.264 + AAC into FLV, our FLV decoder reads it, the HLS muxer cuts
// it, ffprobe checks every segment and ffmpeg plays the playlist.
TEST(AppHlsMuxerTest, RealMediaPlaysWithFfmpeg) {
    if (!has_tool("ffmpeg") || !has_tool("ffprobe")) {
        GTEST_SKIP() << "ffmpeg/ffprobe not installed";
    }
    TempDir dir;
    std::string flv = dir.path() + "/in.flv";
    int status = 0;
    std::string out =
        run("ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=frequency=440 -t 7 "
            "-c:v libx264 -preset ultrafast -g 25 -c:a aac -f flv '" +
                flv + "' 2>&1",
            &status);
    ASSERT_EQ(0, status) << out;

    SrsHlsConfig c = test_config(dir.path() + "/hls");
    c.window = 60 * SRS_UTIME_SECONDS;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(m.on_publish(c));
    SrsFileReader fr;
    ASSERT_OK(fr.open(flv));
    SrsFlvDecoder dec(&fr);
    ASSERT_OK(dec.read_header());
    while (true) {
        SrsMediaMessage msg;
        srs_error_t err = dec.read_message(&msg);
        if (srs_error_code(err) == ERROR_SYSTEM_FILE_EOF) {
            break;
        }
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        if (msg.is_video()) {
            ASSERT_OK(m.on_video(msg));
        } else if (msg.is_audio()) {
            ASSERT_OK(m.on_audio(msg));
        }
    }
    ASSERT_OK(m.on_unpublish());

    // Keyframes every second, 2 s fragments: 0-2, 2-4, 4-6, 6-7.
    ASSERT_EQ(4u, m.segments().size()) << m.playlist();
    for (size_t i = 0; i < 3; i++) {
        EXPECT_NEAR(2000, m.segments()[i].duration_ms, 30) << i;
    }
    for (const SrsHlsSegment& seg : m.segments()) {
        std::string ts = dir.path() + "/hls/" + seg.rel;
        out = run("ffprobe -v error -show_entries stream=codec_name -of default=noprint_wrappers=1 '" + ts + "' 2>&1",
                  &status);
        ASSERT_EQ(0, status) << out;
        EXPECT_NE(std::string::npos, out.find("codec_name=h264")) << seg.rel << ": " << out;
        EXPECT_NE(std::string::npos, out.find("codec_name=aac")) << seg.rel << ": " << out;
        EXPECT_EQ(std::string::npos, out.find("rror")) << out;
        // Each segment starts with a keyframe: the first decoded video frame is an I frame.
        out =
            run("ffprobe -v error -select_streams v -show_entries frame=pict_type -read_intervals %+#1 "
                "-of csv=p=0 '" +
                    ts + "' 2>&1",
                &status);
        EXPECT_EQ("I", srs_string_trim(out, " \t\r\n,")) << seg.rel;
    }
    // A live playlist has no end: ffmpeg would poll it. A copy with EXT-X-ENDLIST plays as VOD.
    std::string vod = dir.path() + "/hls/live/vod.m3u8";
    ASSERT_TRUE((std::ofstream(vod) << m.playlist() << "#EXT-X-ENDLIST\n").good());
    out = run("ffprobe -v error -show_entries format=duration -of csv=p=0 '" + vod + "' 2>&1", &status);
    ASSERT_EQ(0, status) << out;
    EXPECT_NEAR(7.0, atof(out.c_str()), 0.3) << out;
    out = run("ffmpeg -v error -i '" + vod + "' -c copy -f null - 2>&1", &status);
    EXPECT_EQ(0, status);
    EXPECT_EQ("", out);
}

namespace {

// The PIDs of the TS packets of a segment.
std::set<int> ts_pids(const std::string& ts) {
    std::set<int> pids;
    for (size_t i = 0; i + 188 <= ts.size(); i += 188) {
        pids.insert((((uint8_t)ts[i + 1] & 0x1f) << 8) | (uint8_t)ts[i + 2]);
    }
    return pids;
}

}  // namespace

// Enhanced RTMP codecs MPEG-TS cannot carry are left out; the segments go on with the rest.
TEST(AppHlsMuxerTest, EnhancedCodecsTsCannotCarryAreLeftOut) {
    TempDir dir;
    SrsHlsConfig c = test_config(dir.path());
    SrsHlsMuxer m("__defaultVhost__", "live", "av1", nullptr, nullptr);
    ASSERT_OK(m.on_publish(c));
    // libsvtav1 320x180 av1C.
    const uint8_t av1c[] = {0x81, 0x00, 0x0c, 0x00, 0x0a, 0x0b, 0x00, 0x00, 0x00,
                            0x04, 0x3c, 0xfe, 0xcc, 0x02, 0xf8, 0x00, 0x40};
    ASSERT_OK(m.on_video(make_msg(SrsMsgVideo, 0,
                                  SrsExTagWriter::video(1, SrsExVideoPacketSequenceStart, SrsExVideoFourCCAV1, 0) +
                                      std::string((const char*)av1c, sizeof(av1c)))));
    ASSERT_OK(m.on_audio(audio_sh()));
    int64_t a = 0;
    for (int64_t v = 0; v < 5000; v += 40) {
        std::string tu =
            SrsExTagWriter::video(v % 1000 == 0 ? 1 : 2, SrsExVideoPacketCodedFrames, SrsExVideoFourCCAV1, 0) +
            std::string(200, 'v');
        ASSERT_OK(m.on_video(make_msg(SrsMsgVideo, v, tu)));
        for (; a <= v; a += 23) {
            ASSERT_OK(m.on_audio(audio_frame(a)));
        }
    }
    // Cut on the AV1 keyframes; each segment has PAT, PMT and the AAC track only.
    EXPECT_EQ((std::vector<int64_t>{2000, 2000}), durations(m));
    for (int i = 0; i < 2; i++) {
        std::string ts = read_file(dir.path() + "/live/av1-" + std::to_string(i) + ".ts");
        EXPECT_EQ((std::set<int>{0, 0x1001, 0x101}), ts_pids(ts));
    }
    ASSERT_OK(m.on_unpublish());

    // HEVC + Opus: the HEVC track is carried, Opus left out.
    SrsHlsMuxer h("__defaultVhost__", "live", "hevc", nullptr, nullptr);
    ASSERT_OK(h.on_publish(c));
    ASSERT_OK(h.on_video(make_msg(SrsMsgVideo, 0,
                                  SrsExTagWriter::video(1, SrsExVideoPacketSequenceStart, SrsExVideoFourCCHEVC, 0) +
                                      make_hvcc(hevc_vps(), hevc_sps(), hevc_pps()))));
    const uint8_t dops[] = {0x00, 0x02, 0x01, 0x38, 0x00, 0x00, 0xbb, 0x80, 0x00, 0x00, 0x00};
    ASSERT_OK(h.on_audio(make_msg(SrsMsgAudio, 0,
                                  SrsExTagWriter::audio(SrsExAudioPacketSequenceStart, SrsExAudioFourCCOpus) +
                                      std::string((const char*)dops, sizeof(dops)))));
    std::string idr("\x26\x01\xaf\x00", 4), trail("\x02\x01\xd0\x00", 4);
    for (int64_t v = 0; v < 3000; v += 40) {
        bool key = v % 1000 == 0;
        ASSERT_OK(h.on_video(
            make_msg(SrsMsgVideo, v,
                     SrsExTagWriter::video(key ? 1 : 2, SrsExVideoPacketCodedFrames, SrsExVideoFourCCHEVC, 0) +
                         avcc_nalus({key ? idr : trail}))));
        ASSERT_OK(h.on_audio(
            make_msg(SrsMsgAudio, v + 5,
                     SrsExTagWriter::audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCOpus) + std::string(60, 'o'))));
    }
    EXPECT_EQ((std::vector<int64_t>{2000}), durations(h));
    std::string ts = read_file(dir.path() + "/live/hevc-0.ts");
    EXPECT_EQ((std::set<int>{0, 0x1001, 0x100}), ts_pids(ts));
    ASSERT_OK(h.on_unpublish());
}
