// HLS with fMP4 segments (hls_use_fmp4): the playlist text (VERSION 7, EXT-X-MAP, .m4s), init
// segments on a codec change and a republish (DISCONTINUITY + a new MAP), decode times that
// run on across segments and republishes, RAM storage, cleanup of init segments, and the
// multivariant playlist.
#include <gtest/gtest.h>
#include <srs_utest_app_hls.hpp>
#include <srs_utest_mp4_boxes.hpp>
#include <srs_utest_temp_dir.hpp>

#include <srs_app_hls_fmp4.hpp>
#include <srs_app_hls_master.hpp>
#include <srs_app_hls_muxer.hpp>
#include <srs_app_hls_session.hpp>
#include <srs_kernel_flv_ex.hpp>

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <sstream>

using namespace srs_utest;
using namespace srs_utest_hls;

namespace {

class TempDir : public srs_utest::SrsUtestTempDir {
public:
    TempDir() : SrsUtestTempDir("hls_fmp4") {}
};

using srs_utest::file_exists;
using srs_utest::read_file;

// The type of each top-level box.
std::vector<std::string> box_types(const std::string& s) {
    std::vector<std::string> out;
    for (size_t pos = 0; pos + 8 <= s.size();) {
        uint64_t size = rb32(s, pos);
        out.push_back(s.substr(pos + 4, 4));
        if (size < 8) {
            break;
        }
        pos += size;
    }
    return out;
}

// The baseMediaDecodeTime (tfdt, ISO 14496-12 8.8.12) of each track of a segment.
std::map<uint32_t, uint64_t> tfdts(const std::string& segment) {
    std::map<uint32_t, uint64_t> out;
    for (int i = 0;; i++) {
        std::string traf = find_box(segment, {"moof", "traf"}, i);
        if (traf.empty()) {
            return out;
        }
        std::string tfhd = find_box(traf.substr(8), {"tfhd"});
        std::string tfdt = find_box(traf.substr(8), {"tfdt"});
        if (tfhd.size() < 16 || tfdt.size() < 16) {
            return out;
        }
        out[rb32(tfhd, 12)] = tfdt[8] == 1 ? rb64(tfdt, 12) : rb32(tfdt, 12);
    }
}

SrsHlsConfig fmp4_config(const std::string& dir) {
    SrsHlsConfig c = test_config(dir);
    c.use_fmp4 = true;
    c.window = 20 * SRS_UTIME_SECONDS;
    return c;
}

std::string seg_path(const std::string& dir, const SrsHlsSegment& seg) {
    return dir + "/" + seg.rel;
}

}  // namespace

TEST(AppHlsFmp4Test, PlaylistHasVersion7MapAndM4s) {
    TempDir dir;
    SrsHlsMuxer m("__defaultVhost__", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, fmp4_config(dir.path())));
    ASSERT_OK(feed(&m, 0, 6100, 1000));

    // The same cutting rules as TS: 2 s segments at keyframes.
    ASSERT_EQ(3u, m.segments().size());
    for (const SrsHlsSegment& seg : m.segments()) {
        EXPECT_EQ(2000, seg.duration_ms);
    }
    EXPECT_EQ(
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-MAP:URI=\"s/init-0.mp4\"\n"
        "#EXTINF:2.000,\ns-0.m4s\n#EXTINF:2.000,\ns-1.m4s\n#EXTINF:2.000,\ns-2.m4s\n",
        m.playlist());
    EXPECT_EQ(m.playlist(), read_file(dir.path() + "/live/s.m3u8"));
    EXPECT_EQ("live/s/init-0.mp4", m.init_rel());

    // The init segment: ftyp + moov with both tracks; each segment: styp, moof, mdat.
    std::string init = read_file(dir.path() + "/live/s/init-0.mp4");
    EXPECT_EQ((std::vector<std::string>{"ftyp", "moov"}), box_types(init));
    EXPECT_NE(std::string::npos, init.find("avcC"));
    EXPECT_NE(std::string::npos, init.find("mp4a"));
    for (const SrsHlsSegment& seg : m.segments()) {
        std::string body = read_file(seg_path(dir.path(), seg));
        EXPECT_EQ((std::vector<std::string>{"styp", "moof", "mdat"}), box_types(body)) << seg.rel;
        EXPECT_EQ(seg.bytes, (int64_t)body.size());
        // No temporary file stays: segments are written whole and renamed.
        EXPECT_FALSE(file_exists(seg_path(dir.path(), seg) + ".tmp"));
    }
    // The segment being written is in memory only.
    ASSERT_TRUE(m.current());
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-3.m4s"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-3.m4s.tmp"));

    ASSERT_OK(m.on_unpublish());
    ASSERT_EQ(4u, m.segments().size());
    EXPECT_TRUE(file_exists(dir.path() + "/live/s-3.m4s"));

    // The multivariant playlist: codecs and size from the sequence header, a real bit rate.
    std::string master = read_file(dir.path() + "/live/s-master.m3u8");
    EXPECT_EQ(m.master_playlist(), master);
    EXPECT_NE(std::string::npos, master.find(",CODECS=\"avc1.64001e,mp4a.40.2\",RESOLUTION=640x360\ns.m3u8\n"))
        << master;
    EXPECT_EQ(std::string::npos, master.find("BANDWIDTH=1,")) << master;
}

// Decode times continue across segments (each segment's tfdt is where the previous one ends)
// and across a republish whose timestamps restart at 0.
TEST(AppHlsFmp4Test, DecodeTimesContinueAcrossSegmentsAndRepublish) {
    TempDir dir;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    SrsHlsConfig c = fmp4_config(dir.path());
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 6100, 2000));
    ASSERT_OK(m.on_unpublish());
    size_t first = m.segments().size();
    ASSERT_EQ(4u, first);
    for (size_t i = 0; i < first; i++) {
        std::map<uint32_t, uint64_t> t = tfdts(read_file(seg_path(dir.path(), m.segments()[i])));
        // Video (track 1) at 90 kHz: exactly where the segment starts.
        ASSERT_TRUE(t.count(1)) << i;
        EXPECT_EQ((uint64_t)m.segments()[i].start_dts * 90, t[1]) << i;
        // Audio (track 2) at 44.1 kHz: within a frame of it.
        ASSERT_TRUE(t.count(2)) << i;
        double audio_ms = t[2] * 1000.0 / 44100;
        EXPECT_NEAR((double)m.segments()[i].start_dts, audio_ms, 24) << i;
    }
    const SrsHlsSegment& last = m.segments().back();
    uint64_t last_video = tfdts(read_file(seg_path(dir.path(), last)))[1];
    // The last segment ends one frame (40 ms) after its last frame at 6080.
    uint64_t video_end = last_video + (uint64_t)(6080 - last.start_dts + 40) * 90;

    // The encoder comes back with timestamps from 0: times go on after the old end.
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 4100, 2000));
    ASSERT_OK(m.on_unpublish());
    const SrsHlsSegment& next = m.segments()[first];
    EXPECT_TRUE(next.discontinuity);
    std::map<uint32_t, uint64_t> t = tfdts(read_file(seg_path(dir.path(), next)));
    EXPECT_GE(t[1], video_end);
    // After the latest end of any track (audio may end a little later), never far from it.
    EXPECT_LT(t[1], video_end + 50 * 90);
    // And inside the new publish, segment to segment as before.
    uint64_t second = tfdts(read_file(seg_path(dir.path(), m.segments()[first + 1])))[1];
    EXPECT_EQ(t[1] + 2000 * 90, second);

    // An encoder whose timestamps go on after a pause of 3 s (not a jump the muxer would take
    // for a new epoch by itself): the republish still continues right after the last segment.
    const SrsHlsSegment& end2 = m.segments().back();
    uint64_t end2_video = tfdts(read_file(seg_path(dir.path(), end2)))[1] + (uint64_t)(4080 - end2.start_dts + 40) * 90;
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 7000, 11100, 2000));
    ASSERT_OK(m.on_unpublish());
    const SrsHlsSegment* third = nullptr;
    for (const SrsHlsSegment& seg : m.segments()) {
        third = seg.start_dts == 7000 && seg.discontinuity ? &seg : third;
    }
    ASSERT_TRUE(third);
    uint64_t third_video = tfdts(read_file(seg_path(dir.path(), *third)))[1];
    EXPECT_GE(third_video, end2_video);
    EXPECT_LT(third_video, end2_video + 50 * 90);
}

// A republish and a codec change each start a new init segment, under a new name, preceded
// by EXT-X-DISCONTINUITY; the old one stays while a segment of the window refers to it.
TEST(AppHlsFmp4Test, RepublishAndCodecChangeGiveNewMapWithDiscontinuity) {
    TempDir dir;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    SrsHlsConfig c = fmp4_config(dir.path());
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 4100, 2000));
    ASSERT_OK(m.on_unpublish());
    ASSERT_EQ(3u, m.segments().size());

    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 2100, 2000));
    EXPECT_EQ("live/s/init-3.mp4", m.init_rel());
    // A new SPS (another level) mid-segment: the segment ends, a new init segment follows.
    std::string sps = avc_sps();
    sps[3] = 0x1f;
    ASSERT_OK(m.on_video(video_sh(sps)));
    ASSERT_OK(feed(&m, 2200, 4100, 2000));
    ASSERT_OK(m.on_unpublish());

    EXPECT_EQ(
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-MAP:URI=\"s/init-0.mp4\"\n"
        "#EXTINF:2.000,\ns-0.m4s\n#EXTINF:2.000,\ns-1.m4s\n#EXTINF:0.094,\ns-2.m4s\n"
        "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"s/init-3.mp4\"\n"
        "#EXTINF:2.000,\ns-3.m4s\n#EXTINF:0.093,\ns-4.m4s\n"
        "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"s/init-5.mp4\"\n"
        "#EXTINF:1.886,\ns-5.m4s\n",
        m.playlist());
    std::string init0 = read_file(dir.path() + "/live/s/init-0.mp4");
    std::string init5 = read_file(dir.path() + "/live/s/init-5.mp4");
    ASSERT_FALSE(init0.empty());
    ASSERT_FALSE(init5.empty());
    // The new init segment carries the new SPS.
    EXPECT_EQ(std::string::npos, init0.find(sps));
    EXPECT_NE(std::string::npos, init5.find(sps));
    EXPECT_TRUE(file_exists(dir.path() + "/live/s/init-3.mp4"));

    // The window moves on: an init segment goes when the last segment using it is deleted.
    c.window = 2 * SRS_UTIME_SECONDS;
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 10100, 2000));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s/init-0.mp4"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s/init-3.mp4"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-0.m4s"));
    EXPECT_TRUE(file_exists(dir.path() + "/" + m.init_rel()));
    EXPECT_EQ(std::string::npos, m.playlist().find("init-0")) << m.playlist();

    // Dispose removes every file, the init and multivariant ones too.
    ASSERT_OK(m.on_unpublish());
    m.dispose();
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-master.m3u8"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s.m3u8"));
    std::string left = read_file(dir.path() + "/live/s/" + "init-0.mp4");
    EXPECT_TRUE(left.empty());
}

// hls_init_file with [seq] keeps the name as given; RAM storage serves init and segments.
TEST(AppHlsFmp4Test, RamStorageAndTemplates) {
    TempDir dir;
    SrsHlsMemoryStore store;
    SrsHlsConfig c = fmp4_config(dir.path());
    c.storage = SrsHlsStorage::Ram;
    c.fmp4_file = "[app]/[stream]/seg-[seq].m4s";
    c.init_file = "[app]/[stream]/header-[seq].mp4";
    c.entry_prefix = "http://cdn/";
    SrsHlsMuxer m("v", "live", "s", &store, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 4100, 2000));
    EXPECT_FALSE(file_exists(dir.path() + "/live"));
    ASSERT_TRUE(store.get("/live/s/header-0.mp4") != nullptr);
    EXPECT_EQ((std::vector<std::string>{"ftyp", "moov"}), box_types(*store.get("/live/s/header-0.mp4")));
    ASSERT_TRUE(store.get("/live/s/seg-0.m4s") != nullptr);
    EXPECT_EQ((std::vector<std::string>{"styp", "moof", "mdat"}), box_types(*store.get("/live/s/seg-0.m4s")));
    EXPECT_NE(
        std::string::npos,
        m.playlist().find("#EXT-X-MAP:URI=\"http://cdn/s/header-0.mp4\"\n#EXTINF:2.000,\nhttp://cdn/s/seg-0.m4s\n"))
        << m.playlist();
    ASSERT_TRUE(store.get("/live/s.m3u8") != nullptr);
    ASSERT_TRUE(store.get("/live/s-master.m3u8") != nullptr);
    m.dispose();
    EXPECT_EQ(0u, store.size());
}

// fMP4 carries what TS cannot: AV1 goes in, with its codec string in the multivariant playlist.
TEST(AppHlsFmp4Test, Av1GoesInWithItsCodecString) {
    TempDir dir;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    SrsHlsConfig c = fmp4_config(dir.path());
    c.vcodec = "av1";
    ASSERT_OK(m.on_publish(c));
    // An enhanced RTMP AV1 sequence start: libsvtav1 320x180 av1C.
    const uint8_t av1c[] = {0x81, 0x00, 0x0c, 0x00, 0x0a, 0x0b, 0x00, 0x00, 0x00,
                            0x04, 0x3c, 0xfe, 0xcc, 0x02, 0xf8, 0x00, 0x40};
    ASSERT_OK(m.on_video(make_msg(SrsMsgVideo, 0,
                                  SrsExTagWriter::video(1, SrsExVideoPacketSequenceStart, SrsExVideoFourCCAV1, 0) +
                                      std::string((const char*)av1c, sizeof(av1c)))));
    for (int64_t ts = 0; ts < 4100; ts += 40) {
        // One OBU_FRAME (type 6, with a size) of 100 bytes.
        std::string tu =
            SrsExTagWriter::video(ts % 2000 == 0 ? 1 : 2, SrsExVideoPacketCodedFrames, SrsExVideoFourCCAV1, 0) +
            std::string("\x32\x64", 2) + std::string(100, 'v');
        ASSERT_OK(m.on_video(make_msg(SrsMsgVideo, ts, tu)));
    }
    ASSERT_OK(m.on_unpublish());
    ASSERT_EQ(3u, m.segments().size());
    std::string init = read_file(dir.path() + "/" + m.init_rel());
    EXPECT_NE(std::string::npos, init.find("av01"));
    EXPECT_NE(std::string::npos, init.find("av1C"));
    EXPECT_NE(std::string::npos, m.master_playlist().find("CODECS=\"av01.0.00M.08\"")) << m.master_playlist();
    EXPECT_NE(std::string::npos, m.master_playlist().find("RESOLUTION=320x180")) << m.master_playlist();
}

TEST(AppHlsMasterTest, MultivariantText) {
    SrsHlsVariant v;
    v.bandwidth = 1234567;
    v.average_bandwidth = 1000000;
    v.codecs = "hvc1.1.6.L93.B0,mp4a.40.2";
    v.width = 1280;
    v.height = 720;
    v.uri = "s.m3u8";
    std::string text = srs_hls_multivariant_playlist(v);
    EXPECT_EQ(
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1234567,AVERAGE-BANDWIDTH=1000000,"
        "CODECS=\"hvc1.1.6.L93.B0,mp4a.40.2\",RESOLUTION=1280x720\ns.m3u8\n",
        text);
    EXPECT_TRUE(srs_hls_is_multivariant(text));
    EXPECT_EQ("BANDWIDTH=1234567,AVERAGE-BANDWIDTH=1000000,CODECS=\"hvc1.1.6.L93.B0,mp4a.40.2\",RESOLUTION=1280x720",
              srs_hls_stream_inf_of(text));
    // Nothing known yet: BANDWIDTH is required, 1; no CODECS, no RESOLUTION (audio only).
    SrsHlsVariant none;
    none.uri = "a.m3u8";
    EXPECT_EQ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,AVERAGE-BANDWIDTH=1\na.m3u8\n",
              srs_hls_multivariant_playlist(none));
    EXPECT_FALSE(srs_hls_is_multivariant("#EXTM3U\n#EXTINF:2.000,\na.ts\n"));
    EXPECT_EQ("", srs_hls_stream_inf_of("#EXTM3U\n"));

    EXPECT_EQ("live/s-master.m3u8", srs_hls_master_rel("live/s.m3u8"));
    EXPECT_EQ("/live/s-master.m3u8", srs_hls_master_rel("/live/s.m3u8"));
    EXPECT_EQ("live/s.txt-master.m3u8", srs_hls_master_rel("live/s.txt"));
}

TEST(AppHlsMasterTest, PeakAndAverageBandwidth) {
    EXPECT_EQ(0, srs_hls_peak_bandwidth({}, 3));
    EXPECT_EQ(0, srs_hls_average_bandwidth({}));
    // 2 s segments of 250 KB and 500 KB (1 and 2 Mbps), target 3 s: a run lasts 1.5 to 4.5 s,
    // so single segments and pairs count: the peak is 2 Mbps.
    std::vector<SrsHlsSegmentSize> v = {{250000, 2000}, {500000, 2000}, {250000, 2000}};
    EXPECT_EQ(2000000, srs_hls_peak_bandwidth(v, 3));
    EXPECT_EQ(1333333, srs_hls_average_bandwidth(v));
    // A tiny segment (a cut on a codec change) does not make a peak on its own.
    v.push_back({100000, 100});
    EXPECT_EQ(2000000, srs_hls_peak_bandwidth(v, 3));
    // Nothing lasts half a target duration: the largest single segment's rate.
    EXPECT_EQ(8000000, srs_hls_peak_bandwidth({{100000, 100}}, 3));
}

// With hls_ctx, a new player's variant playlist carries the attributes of the stream's
// multivariant playlist, and the init segment's URI carries the session too.
TEST(AppHlsMasterTest, SessionVariantAndMapRewrite) {
    EXPECT_EQ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=5,CODECS=\"av01.0.04M.08\"\n/live/s.m3u8?hls_ctx=c\n",
              srs_hls_ctx_variant_playlist("/live/s.m3u8?hls_ctx=c", "BANDWIDTH=5,CODECS=\"av01.0.04M.08\""));
    EXPECT_EQ(
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI=\"s/init-0.mp4?hls_ctx=X\"\n#EXTINF:2.000,\ns-0.m4s?hls_ctx=X\n"
        "#EXT-X-MAP:URI=\"http://cdn/i.mp4?t=1&hls_ctx=X\"\n",
        srs_hls_ctx_rewrite_playlist("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI=\"s/init-0.mp4\"\n#EXTINF:2.000,\n"
                                     "s-0.m4s\n#EXT-X-MAP:URI=\"http://cdn/i.mp4?t=1\"\n",
                                     "X"));
}

// hls_recover: a new process continues a playlist of fMP4 segments with their EXT-X-MAP, adds
// a new init segment after a discontinuity, and cleans the old one up with its segments.
TEST(AppHlsFmp4Test, RecoverKeepsMaps) {
    TempDir dir;
    SrsHlsConfig c = fmp4_config(dir.path());
    {
        SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
        ASSERT_OK(start(&m, c));
        ASSERT_OK(feed(&m, 0, 4100, 2000));
        ASSERT_OK(m.on_unpublish());
        ASSERT_EQ(3u, m.segments().size());
    }
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_EQ(3u, m.segments().size());
    EXPECT_EQ("live/s/init-0.mp4", m.segments()[0].init_rel);
    EXPECT_EQ("s/init-0.mp4", m.segments()[2].init_uri);
    ASSERT_OK(feed(&m, 0, 2100, 2000));
    ASSERT_EQ(4u, m.segments().size());
    EXPECT_NE(std::string::npos, m.playlist().find("#EXT-X-MAP:URI=\"s/init-0.mp4\"\n#EXTINF:2.000,\ns-0.m4s\n"))
        << m.playlist();
    EXPECT_NE(
        std::string::npos,
        m.playlist().find("s-2.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"s/init-3.mp4\"\n#EXTINF:2.000,\ns-3.m4s"))
        << m.playlist();
    // The window moves past the recovered segments: their init segment goes with them.
    c.window = 2 * SRS_UTIME_SECONDS;
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 8100, 2000));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s/init-0.mp4")) << m.playlist();
    EXPECT_FALSE(file_exists(dir.path() + "/live/s-0.m4s"));

    // A TS playlist on disk is not continued by fMP4 (nor the other way): only the sequence.
    TempDir dir2;
    SrsHlsConfig ts = test_config(dir2.path());
    {
        SrsHlsMuxer a("v", "live", "s", nullptr, nullptr);
        ASSERT_OK(start(&a, ts));
        ASSERT_OK(feed(&a, 0, 4100, 2000));
        ASSERT_OK(a.on_unpublish());
    }
    SrsHlsMuxer b("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&b, fmp4_config(dir2.path())));
    EXPECT_EQ(3, b.next_sequence());
    EXPECT_TRUE(b.segments().empty());
}

// Pure audio: segments cut at hls_fragment * hls_aof_ratio, an init segment with the audio
// track only, and a multivariant playlist without RESOLUTION.
TEST(AppHlsFmp4Test, PureAudio) {
    TempDir dir;
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, fmp4_config(dir.path()), false, true));
    ASSERT_OK(feed(&m, 0, 9000, 0, false, true));
    ASSERT_EQ(2u, m.segments().size());
    for (const SrsHlsSegment& seg : m.segments()) {
        EXPECT_GE(seg.duration_ms, 4000);
        EXPECT_LT(seg.duration_ms, 4100);
        std::map<uint32_t, uint64_t> t = tfdts(read_file(seg_path(dir.path(), seg)));
        EXPECT_EQ(1u, t.size());
    }
    std::string init = read_file(dir.path() + "/" + m.init_rel());
    EXPECT_EQ(std::string::npos, init.find("avc1"));
    EXPECT_NE(std::string::npos, init.find("mp4a"));
    EXPECT_NE(std::string::npos, m.master_playlist().find(",CODECS=\"mp4a.40.2\"\ns.m3u8\n")) << m.master_playlist();
}

// on_hls / on_hls_notify see each fMP4 segment, once it is whole on disk.
TEST(AppHlsFmp4Test, HooksSeeEachSegment) {
    TempDir dir;
    RecordingHooks hooks;
    SrsHlsMuxer m("v", "live", "s", nullptr, &hooks);
    ASSERT_OK(start(&m, fmp4_config(dir.path())));
    ASSERT_OK(feed(&m, 0, 4100, 2000));
    ASSERT_EQ(2u, hooks.events.size());
    const SrsHlsSegmentEvent& ev = hooks.events[1];
    EXPECT_EQ(1, ev.sequence);
    EXPECT_DOUBLE_EQ(2.0, ev.duration);
    EXPECT_EQ(dir.path() + "/live/s-1.m4s", ev.file);
    EXPECT_EQ("/live/s-1.m4s", ev.url_path);
    EXPECT_EQ("s-1.m4s", ev.uri);
    EXPECT_EQ("/live/s.m3u8", ev.m3u8_url_path);
    EXPECT_EQ((std::vector<std::string>{"styp", "moof", "mdat"}), box_types(read_file(ev.file)));
}

// An init segment that cannot be written (here its directory is a file) after a codec change
// fails its segment, and the next segment writes one again: no segment ever refers to an init
// segment that was not written, nor to the old one with the new codec.
TEST(AppHlsFmp4Test, InitWriteFailureRetries) {
    TempDir dir;
    SrsHlsConfig c = fmp4_config(dir.path());
    c.init_file = "[app]/[stream]-[seq]/init.mp4";
    SrsHlsMuxer m("v", "live", "s", nullptr, nullptr);
    ASSERT_OK(start(&m, c));
    ASSERT_OK(feed(&m, 0, 4100, 2000));
    ASSERT_EQ(2u, m.segments().size());
    EXPECT_EQ("live/s-0/init.mp4", m.init_rel());
    // A new SPS at 4100 ends segment 2; segment 3's init segment cannot be written.
    { std::ofstream(dir.path() + "/live/s-3") << "not a directory"; }
    std::string sps = avc_sps();
    sps[3] = 0x1f;
    ASSERT_OK(m.on_video(video_sh(sps)));
    ASSERT_EQ(3u, m.segments().size());
    srs_error_t err = feed(&m, 4200, 6300, 2000);
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);
    EXPECT_EQ(3u, m.segments().size());
    ASSERT_EQ(0, ::unlink((dir.path() + "/live/s-3").c_str()));
    ASSERT_OK(feed(&m, 6200, 10100, 2000));
    ASSERT_GT(m.segments().size(), 3u);
    for (size_t i = 0; i < m.segments().size(); i++) {
        const SrsHlsSegment& seg = m.segments()[i];
        std::string init = read_file(dir.path() + "/" + seg.init_rel);
        ASSERT_FALSE(init.empty()) << seg.init_rel;
        // Segments after the change refer to an init segment with the new SPS.
        EXPECT_EQ(i >= 3, init.find(sps) != std::string::npos) << i << " " << seg.init_rel;
    }
}
