// DASH: the MPD text byte for byte for a fixed input, its time and duration formats, the
// segmenter's names (one init segment per track and Period, media named by $Time$), segments cut
// before keyframes, the window and cleanup, a republish's new Period with decode times going on,
// dispose, and the UTCTiming time source.
#include <gtest/gtest.h>

#include <srs_app_client_lifecycle.hpp>
#include <srs_app_config.hpp>
#include <srs_app_dash.hpp>
#include <srs_app_dash_http.hpp>
#include <srs_app_dash_mpd.hpp>
#include <srs_app_dash_segmenter.hpp>
#include <srs_app_dash_store.hpp>

#include <srs_kernel_flv_ex.hpp>

#include "srs_utest_http_mock.hpp"
#include "srs_utest_kernel_records.hpp"
#include "srs_utest_mp4_boxes.hpp"
#include "srs_utest_temp_dir.hpp"

#include <string>

using namespace srs_utest;

namespace {

const std::string kAac("\xaf\x00\x12\x10", 4);  // AAC-LC 44.1 kHz stereo AudioSpecificConfig.

std::string aac_frame() {
    return std::string("\xaf\x01\x21\x10\x04", 5);
}

// 2026-12-07T08:00:00Z.
const srs_utime_t kWall = 1796630400LL * SRS_UTIME_SECONDS;

// Feeds `seconds` of 25 fps H.264 (a keyframe each second) and AAC (1024 samples at 44.1 kHz,
// 23 ms) from ms `from`, at system time `now0 + ms`.
void feed(SrsDashSegmenter* s, int64_t from, int seconds, srs_utime_t now0, int64_t ts_offset = 0) {
    int64_t audio_next = from;
    for (int64_t ms = from; ms < from + seconds * 1000; ms += 40) {
        while (audio_next <= ms) {
            std::string a = aac_frame();
            HTTP_EXPECT_OK(s->on_audio(audio_next + ts_offset, a.data(), (int)a.size(),
                                       now0 + audio_next * SRS_UTIME_MILLISECONDS));
            audio_next += 23;
        }
        bool key = ms % 1000 == 0;
        std::string v = flv_avc_frame(key, 0, key ? std::string("\x65\x88\x84\x00", 4) : std::string("\x41\x9a", 2));
        HTTP_EXPECT_OK(s->on_video(ms + ts_offset, v.data(), (int)v.size(), now0 + ms * SRS_UTIME_MILLISECONDS));
    }
}

void headers(SrsDashSegmenter* s, srs_utime_t now) {
    std::string v = flv_avc_sh();
    HTTP_EXPECT_OK(s->on_video(0, v.data(), (int)v.size(), now));
    HTTP_EXPECT_OK(s->on_audio(0, kAac.data(), (int)kAac.size(), now));
}

SrsDashConfig config(const std::string& dir) {
    SrsDashConfig c;
    c.enabled = true;
    c.fragment = 1 * SRS_UTIME_SECONDS;
    c.update_period = 1 * SRS_UTIME_SECONDS;
    c.timeshift = 3 * SRS_UTIME_SECONDS;
    c.path = dir;
    c.window_size = 3;
    return c;
}

}  // namespace

TEST(AppDashMpdTest, TimesAndDurations) {
    EXPECT_EQ("2026-12-07T08:00:00.000Z", srs_dash_iso8601(kWall));
    EXPECT_EQ("2026-12-07T08:00:01.250Z", srs_dash_iso8601(kWall + 1250 * SRS_UTIME_MILLISECONDS));
    EXPECT_EQ("PT30S", srs_dash_duration(30 * SRS_UTIME_SECONDS));
    EXPECT_EQ("PT1.5S", srs_dash_duration(1500 * SRS_UTIME_MILLISECONDS));
    EXPECT_EQ("PT0.04S", srs_dash_duration(40 * SRS_UTIME_MILLISECONDS));
    EXPECT_EQ("PT0S", srs_dash_duration(0));
    EXPECT_EQ("25", srs_dash_frame_rate(50, 180000, 90000));
    // FLV's millisecond timestamps: 29.97 fps is 33/34 ms frames.
    EXPECT_EQ("30000/1001", srs_dash_frame_rate(30000, 90090000, 90000));
    EXPECT_EQ("", srs_dash_frame_rate(0, 90000, 90000));
}

TEST(AppDashMpdTest, TextForAFixedInput) {
    SrsDashMpd m;
    m.availability_start = kWall;
    m.publish_time = kWall + 10 * SRS_UTIME_SECONDS;
    m.minimum_update_period = 2 * SRS_UTIME_SECONDS;
    m.time_shift_buffer_depth = 30 * SRS_UTIME_SECONDS;
    m.min_buffer_time = 2 * SRS_UTIME_SECONDS;
    m.suggested_presentation_delay = 6 * SRS_UTIME_SECONDS;
    m.period_id = "p1";
    m.period_start = 4500 * SRS_UTIME_MILLISECONDS;
    m.utc_timing = "/dash/time";
    SrsDashRepresentation v;
    v.id = "video";
    v.codecs = "avc1.64001f";
    v.bandwidth = 800000;
    v.width = 1280;
    v.height = 720;
    v.frame_rate = "25";
    v.timescale = 90000;
    v.presentation_time_offset = 405000;
    v.initialization = "s/video-init-1.mp4";
    v.media = "s/video-$Time$.m4s";
    v.timeline = {{405000, 180000}, {585000, 183600}};
    SrsDashRepresentation a;
    a.id = "audio";
    a.video = false;
    a.codecs = "mp4a.40.2";
    a.bandwidth = 128000;
    a.sample_rate = 48000;
    a.channels = 2;
    a.timescale = 48000;
    a.presentation_time_offset = 216000;
    a.initialization = "s/audio-init-1.mp4";
    a.media = "s/audio-$Time$.m4s";
    a.timeline = {{216000, 96256}};
    m.representations = {v, a};
    EXPECT_EQ(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\" "
        "type=\"dynamic\" availabilityStartTime=\"2026-12-07T08:00:00.000Z\" "
        "publishTime=\"2026-12-07T08:00:10.000Z\" minimumUpdatePeriod=\"PT2S\" timeShiftBufferDepth=\"PT30S\" "
        "minBufferTime=\"PT2S\" suggestedPresentationDelay=\"PT6S\">\n"
        "  <Period id=\"p1\" start=\"PT4.5S\">\n"
        "    <AdaptationSet contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\" "
        "startWithSAP=\"1\">\n"
        "      <Representation id=\"video\" codecs=\"avc1.64001f\" bandwidth=\"800000\" width=\"1280\" "
        "height=\"720\" frameRate=\"25\">\n"
        "        <SegmentTemplate timescale=\"90000\" presentationTimeOffset=\"405000\" "
        "initialization=\"s/video-init-1.mp4\" media=\"s/video-$Time$.m4s\">\n"
        "          <SegmentTimeline>\n"
        "            <S t=\"405000\" d=\"180000\"/>\n"
        "            <S t=\"585000\" d=\"183600\"/>\n"
        "          </SegmentTimeline>\n"
        "        </SegmentTemplate>\n"
        "      </Representation>\n"
        "    </AdaptationSet>\n"
        "    <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" segmentAlignment=\"true\" "
        "startWithSAP=\"1\">\n"
        "      <Representation id=\"audio\" codecs=\"mp4a.40.2\" bandwidth=\"128000\" audioSamplingRate=\"48000\">\n"
        "        <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" "
        "value=\"2\"/>\n"
        "        <SegmentTemplate timescale=\"48000\" presentationTimeOffset=\"216000\" "
        "initialization=\"s/audio-init-1.mp4\" media=\"s/audio-$Time$.m4s\">\n"
        "          <SegmentTimeline>\n"
        "            <S t=\"216000\" d=\"96256\"/>\n"
        "          </SegmentTimeline>\n"
        "        </SegmentTemplate>\n"
        "      </Representation>\n"
        "    </AdaptationSet>\n"
        "  </Period>\n"
        "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"/dash/time\"/>\n"
        "</MPD>\n",
        srs_dash_mpd_text(m));
}

TEST(AppDashMpdTest, EscapesAttributes) {
    SrsDashMpd m;
    SrsDashRepresentation v;
    v.id = "video";
    v.media = "a&b/<x>\"-$Time$.m4s";
    m.representations = {v};
    std::string text = srs_dash_mpd_text(m);
    EXPECT_NE(std::string::npos, text.find("media=\"a&amp;b/&lt;x&gt;&quot;-$Time$.m4s\"")) << text;
}

TEST(AppDashSegmenterTest, NamesSegmentsByTimeWithAnInitPerTrack) {
    SrsUtestTempDir dir("dash_names");
    SrsDashSegmenter s("__defaultVhost__", "live", "s");
    s.set_wall_offset(kWall);
    HTTP_ASSERT_OK(s.on_publish(config(dir.path())));
    headers(&s, 0);
    feed(&s, 0, 3, 0);

    // Cut before the keyframes at 1 s and 2 s: two segments per track so far.
    const std::string d = dir.path() + "/live/s/";
    EXPECT_TRUE(file_exists(dir.path() + "/live/s.mpd"));
    EXPECT_TRUE(file_exists(d + "video-init-0.mp4"));
    EXPECT_TRUE(file_exists(d + "audio-init-0.mp4"));
    EXPECT_TRUE(file_exists(d + "video-0.m4s"));
    EXPECT_TRUE(file_exists(d + "video-90000.m4s"));
    EXPECT_FALSE(file_exists(d + "video-180000.m4s"));
    // Audio starts with the first frame after the first keyframe (23 ms: 1014 at 44.1 kHz).
    EXPECT_TRUE(file_exists(d + "audio-1014.m4s"));
    ASSERT_EQ(4u, s.segments().size());
    EXPECT_EQ("live/s/video-90000.m4s", s.segments()[2].rel);
    EXPECT_EQ(90000, s.segments()[2].d);
    // Nothing left at a temporary name.
    EXPECT_FALSE(file_exists(dir.path() + "/live/s.mpd.tmp"));

    // Each init segment has one track; each media segment styp + moof of its track + mdat.
    std::string vinit = read_file(d + "video-init-0.mp4");
    EXPECT_FALSE(find_box(vinit, {"moov", "trak"}).empty());
    EXPECT_TRUE(find_box(vinit, {"moov", "trak"}, 1).empty());
    EXPECT_NE(std::string::npos, vinit.find("avc1"));
    EXPECT_EQ(std::string::npos, vinit.find("mp4a"));
    std::string ainit = read_file(d + "audio-init-0.mp4");
    EXPECT_NE(std::string::npos, ainit.find("mp4a"));
    EXPECT_EQ(std::string::npos, ainit.find("avc1"));
    std::string seg = read_file(d + "video-90000.m4s");
    EXPECT_EQ("styp", seg.substr(4, 4));
    std::string tfdt = find_box(seg, {"moof", "traf", "tfdt"});
    ASSERT_FALSE(tfdt.empty());
    EXPECT_EQ(90000u, rb64(tfdt, 12));
    EXPECT_TRUE(find_box(seg, {"moof", "traf"}, 1).empty());
    EXPECT_FALSE(find_box(seg, {"mdat"}).empty());

    // The MPD lists both, with the codecs of the stream and the segments' times.
    const std::string& mpd = s.mpd();
    EXPECT_EQ(mpd, read_file(dir.path() + "/live/s.mpd"));
    EXPECT_NE(std::string::npos, mpd.find("codecs=\"avc1.42c00a\"")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("codecs=\"mp4a.40.2\"")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("width=\"64\" height=\"48\" frameRate=\"25\"")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("audioSamplingRate=\"44100\"")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("media=\"s/video-$Time$.m4s\"")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("initialization=\"s/video-init-0.mp4\"")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("<S t=\"0\" d=\"90000\"/>\n            <S t=\"90000\" d=\"90000\"/>")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("availabilityStartTime=\"2026-12-07T08:00:00.000Z\"")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("<Period id=\"p0\" start=\"PT0S\">")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("value=\"" SRS_DASH_UTC_TIMING_PATH "\"")) << mpd;
}

// SRS's example config (30 s segments, a 150 s update period) must not leave SegmentTimeline
// players at the end of the timeline for minutes.
TEST(AppDashSegmenterTest, UpdatePeriodIsAtMostTheFragment) {
    SrsUtestTempDir dir("dash_update");
    SrsDashSegmenter s("__defaultVhost__", "live", "s");
    s.set_wall_offset(kWall);
    SrsDashConfig c = config(dir.path());
    c.update_period = 150 * SRS_UTIME_SECONDS;
    HTTP_ASSERT_OK(s.on_publish(c));
    headers(&s, 0);
    feed(&s, 0, 3, 0);
    EXPECT_NE(std::string::npos, s.mpd().find("minimumUpdatePeriod=\"PT1S\"")) << s.mpd();
}

TEST(AppDashSegmenterTest, AudioSegmentsFollowTheVideoCuts) {
    SrsUtestTempDir dir("dash_audio");
    SrsDashSegmenter s("__defaultVhost__", "live", "s");
    HTTP_ASSERT_OK(s.on_publish(config(dir.path())));
    headers(&s, 0);
    feed(&s, 0, 4, 0);
    // Audio is contiguous: each segment starts where the previous one ended.
    int64_t end = -1;
    int n = 0;
    for (const SrsDashSegment& seg : s.segments()) {
        if (seg.video) {
            continue;
        }
        if (end >= 0) {
            EXPECT_EQ(end, seg.t);
        }
        end = seg.t + seg.d;
        n++;
        // About a second each (the cut is at the first audio frame queued after the keyframe).
        EXPECT_NEAR(44100, seg.d, 2048);
    }
    EXPECT_EQ(3, n);
}

TEST(AppDashSegmenterTest, WindowAndCleanup) {
    SrsUtestTempDir dir("dash_window");
    SrsDashSegmenter s("__defaultVhost__", "live", "s");
    SrsDashConfig c = config(dir.path());
    c.window_size = 3;
    c.timeshift = 2 * SRS_UTIME_SECONDS;
    HTTP_ASSERT_OK(s.on_publish(c));
    headers(&s, 0);
    feed(&s, 0, 12, 0);
    // 11 video segments were cut; the window lists 3, the ones older than the 2 s time shift
    // buffer are gone from the disk.
    int video = 0;
    for (const SrsDashSegment& seg : s.segments()) {
        video += seg.video;
        EXPECT_TRUE(file_exists(dir.path() + "/" + seg.rel)) << seg.rel;
    }
    EXPECT_EQ(3, video);
    EXPECT_FALSE(file_exists(dir.path() + "/live/s/video-0.m4s"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s/video-630000.m4s"));
    EXPECT_TRUE(file_exists(dir.path() + "/live/s/video-900000.m4s"));
    const std::string& mpd = s.mpd();
    EXPECT_EQ(std::string::npos, mpd.find("<S t=\"630000\"")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("<S t=\"720000\" d=\"90000\"/>")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("<S t=\"900000\" d=\"90000\"/>")) << mpd;
    size_t entries = 0;
    for (size_t at = mpd.find("<S t="); at != std::string::npos; at = mpd.find("<S t=", at + 1)) {
        entries++;
    }
    EXPECT_EQ(6u, entries) << mpd;

    // Cleanup off: the MPD still lists 3, the files stay.
    SrsUtestTempDir dir2("dash_keep");
    SrsDashSegmenter k("__defaultVhost__", "live", "s");
    c.path = dir2.path();
    c.cleanup = false;
    HTTP_ASSERT_OK(k.on_publish(c));
    headers(&k, 0);
    feed(&k, 0, 12, 0);
    EXPECT_TRUE(file_exists(dir2.path() + "/live/s/video-0.m4s"));
    EXPECT_EQ(std::string::npos, k.mpd().find("<S t=\"0\"")) << k.mpd();
}

TEST(AppDashSegmenterTest, RepublishStartsANewPeriodWithContinuousTimes) {
    SrsUtestTempDir dir("dash_republish");
    SrsDashSegmenter s("__defaultVhost__", "live", "s");
    s.set_wall_offset(kWall);
    HTTP_ASSERT_OK(s.on_publish(config(dir.path())));
    headers(&s, 0);
    feed(&s, 0, 3, 0);
    // The unpublish makes the held-back samples the last segment: 0..3 s.
    HTTP_ASSERT_OK(s.on_unpublish(3 * SRS_UTIME_SECONDS));
    ASSERT_FALSE(s.segments().empty());
    int64_t last_end = 0;
    for (const SrsDashSegment& seg : s.segments()) {
        if (seg.video) {
            last_end = seg.t + seg.d;
        }
    }
    EXPECT_EQ(3 * 90000, last_end);

    // The publisher comes back 10 s later with its timestamps from 0 again.
    srs_utime_t back = 13 * SRS_UTIME_SECONDS;
    HTTP_ASSERT_OK(s.on_publish(config(dir.path())));
    headers(&s, back);
    feed(&s, 0, 3, back);
    EXPECT_EQ(1, s.period());
    // The new Period's first segment continues the decode times, with new init segments.
    const SrsDashSegment* first = nullptr;
    for (const SrsDashSegment& seg : s.segments()) {
        if (seg.video && seg.period == 1 && !first) {
            first = &seg;
        }
    }
    ASSERT_TRUE(first != nullptr);
    EXPECT_EQ(last_end, first->t);
    EXPECT_TRUE(file_exists(dir.path() + "/live/s/video-init-1.mp4"));
    std::string tfdt = find_box(read_file(dir.path() + "/" + first->rel), {"moof", "traf", "tfdt"});
    EXPECT_EQ((uint64_t)last_end, rb64(tfdt, 12));
    // The MPD has the new Period alone, starting when it started on the wall clock, its
    // presentationTimeOffset the decode time it starts at.
    const std::string& mpd = s.mpd();
    EXPECT_NE(std::string::npos, mpd.find("<Period id=\"p1\" start=\"PT13S\">")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("presentationTimeOffset=\"270000\"")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("initialization=\"s/video-init-1.mp4\"")) << mpd;
    EXPECT_EQ(std::string::npos, mpd.find("p0")) << mpd;
    EXPECT_NE(std::string::npos, mpd.find("<S t=\"270000\" d=\"90000\"/>")) << mpd;
}

TEST(AppDashSegmenterTest, CodecChangeStartsANewPeriod) {
    SrsUtestTempDir dir("dash_codec");
    SrsDashSegmenter s("__defaultVhost__", "live", "s");
    HTTP_ASSERT_OK(s.on_publish(config(dir.path())));
    headers(&s, 0);
    feed(&s, 0, 2, 0);
    // Another audio configuration (AAC-LC 48 kHz mono) in the middle of the stream.
    std::string other("\xaf\x00\x11\x88", 4);
    HTTP_ASSERT_OK(s.on_audio(2000, other.data(), (int)other.size(), 2 * SRS_UTIME_SECONDS));
    feed(&s, 2000, 3, 0);
    EXPECT_EQ(1, s.period());
    EXPECT_TRUE(file_exists(dir.path() + "/live/s/audio-init-1.mp4"));
    EXPECT_NE(std::string::npos, s.mpd().find("audioSamplingRate=\"48000\"")) << s.mpd();
}

TEST(AppDashSegmenterTest, DisposeDeletesEverything) {
    SrsUtestTempDir dir("dash_dispose");
    SrsDashServer server;
    server.set_fixed_config(config(dir.path()));
    SrsDashSourceHandler h(&server, "__defaultVhost__", "live", "s");
    HTTP_ASSERT_OK(h.on_publish());
    ASSERT_TRUE(h.active());
    SrsDashSegmenter* s = server.find("__defaultVhost__/live/s");
    ASSERT_TRUE(s != nullptr);
    headers(s, 0);
    feed(s, 0, 3, 0);
    EXPECT_TRUE(file_exists(dir.path() + "/live/s.mpd"));
    h.on_unpublish();
    // Not before dash_dispose (120 s by default).
    EXPECT_EQ(0, server.sweep(srs_update_system_time() + 10 * SRS_UTIME_SECONDS));
    EXPECT_TRUE(file_exists(dir.path() + "/live/s.mpd"));
    EXPECT_EQ(1, server.sweep(srs_update_system_time() + 121 * SRS_UTIME_SECONDS));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s.mpd"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s/video-init-0.mp4"));
    EXPECT_FALSE(file_exists(dir.path() + "/live/s"));
    EXPECT_EQ(0, server.size());
}

TEST(AppDashSegmenterTest, RejectsAnMpdOutsideThePath) {
    SrsUtestTempDir dir("dash_bad");
    SrsDashSegmenter s("__defaultVhost__", "live", "s");
    SrsDashConfig c = config(dir.path());
    c.mpd_file = "../[stream].mpd";
    srs_error_t err = s.on_publish(c);
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);
    c.mpd_file = "[app]/[stream].m3u8";
    err = s.on_publish(c);
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);
}

TEST(AppDashSegmenterTest, GarbageDoesNotCrash) {
    SrsUtestTempDir dir("dash_garbage");
    SrsDashSegmenter s("__defaultVhost__", "live", "s");
    HTTP_ASSERT_OK(s.on_publish(config(dir.path())));
    std::string junk("\x17\x00\xff\xff", 4);
    for (int i = 0; i < 100; i++) {
        srs_error_t err = s.on_video(i * 40, junk.data(), (int)junk.size(), 0);
        srs_error_reset(err);
        err = s.on_audio(i * 23, junk.data(), 1 + i % 4, 0);
        srs_error_reset(err);
    }
    EXPECT_TRUE(s.segments().empty());
    HTTP_EXPECT_OK(s.on_unpublish(0));
}

TEST(AppDashHttpTest, UtcTimingAnswersIsoTime) {
    SrsDashUtcTimingHandler h([]() { return kWall + 1250 * SRS_UTIME_MILLISECONDS; });
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("GET /dash/time HTTP/1.1\r\nHost: x\r\n\r\n"));
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, m.msg.get());
    HTTP_ASSERT_OK(h.serve_http(&w, m.msg.get()));
    MockHttpResponse r(out.out);
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("2026-12-07T08:00:01.250Z", r.body);
    EXPECT_TRUE(r.has("Cache-Control: no-cache, no-store")) << r.head;

    MockHttpRequest post;
    HTTP_ASSERT_OK(post.parse("POST /dash/time HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
    MockHttpIo out2;
    SrsHttpResponseWriter w2(&out2, post.msg.get());
    HTTP_ASSERT_OK(h.serve_http(&w2, post.msg.get()));
    EXPECT_EQ(405, MockHttpResponse(out2.out).status);
}

TEST(AppDashServerTest, ReloadRestartsOrStopsPublishingStreams) {
    SrsUtestTempDir dir("dash_reload");
    SrsDashServer server;
    SrsDashConfig c = config(dir.path());
    server.set_fixed_config(c);
    SrsDashSourceHandler h(&server, "__defaultVhost__", "live", "s");
    SrsDashSourceHandler other(&server, "other", "live", "s");
    HTTP_ASSERT_OK(h.on_publish());
    SrsDashSegmenter* s = server.find("__defaultVhost__/live/s");
    ASSERT_TRUE(s != nullptr);
    headers(s, 0);
    feed(s, 0, 3, 0);
    EXPECT_EQ(0, s->period());

    // Only the publishing streams of the vhost restart, in a new Period.
    EXPECT_EQ(1, server.reload_vhost("__defaultVhost__"));
    EXPECT_TRUE(h.active());
    feed(s, 3000, 3, 0);
    EXPECT_EQ(1, s->period());
    EXPECT_NE(std::string::npos, s->mpd().find("<Period id=\"p1\"")) << s->mpd();

    // dash off: it stops, the files stay until dash_dispose.
    c.enabled = false;
    server.set_fixed_config(c);
    EXPECT_EQ(1, server.reload_vhost("__defaultVhost__"));
    EXPECT_FALSE(h.active());
    EXPECT_TRUE(file_exists(dir.path() + "/live/s.mpd"));
}

// Every codec the fMP4 muxer carries gets its RFC 6381 codecs in the MPD; audio alone is cut by
// duration.
TEST(AppDashSegmenterTest, CodecsOfEveryTrackKind) {
    struct Case {
        const char* name;
        bool video;
        std::string header;
        std::string frame;
        int64_t frame_ms;
        const char* codecs;
    };
    std::string av1_key = std::string("\x12\x00", 2) + std::string("\x32\x03\x10\x20\x30", 5);
    std::vector<Case> cases = {
        {"mp3", false, "", std::string("\x2f\xff\xfb\x90\x00", 5) + std::string(100, '\x11'), 26, "mp4a.6B"},
        {"ac-3", false, "",
         SrsExTagWriter::audio(1, SrsExAudioFourCCAC3) + std::string("\x0b\x77\x48\x0d\x0c\x40\x2f\x84", 8) +
             std::string(184, '\x55'),
         32, "ac-3"},
        {"opus", false, SrsExTagWriter::audio(0, SrsExAudioFourCCOpus) + kOpusHeadStereo,
         SrsExTagWriter::audio(1, SrsExAudioFourCCOpus) + std::string(10, 'o'), 20, "opus"},
        {"av1", true, SrsExTagWriter::video(1, 0, SrsExVideoFourCCAV1, 0) + kAv1cSvt,
         SrsExTagWriter::video(1, 1, SrsExVideoFourCCAV1, 0) + av1_key, 1000, "av01.0."},
        {"vp9", true, SrsExTagWriter::video(1, 0, SrsExVideoFourCCVP9, 0) + kVpccProfile0,
         SrsExTagWriter::video(1, 1, SrsExVideoFourCCVP9, 0) + kVp9Key320x240, 1000, "vp09.00."},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        SrsUtestTempDir dir("dash_codecs");
        SrsDashSegmenter s("__defaultVhost__", "live", "s");
        HTTP_ASSERT_OK(s.on_publish(config(dir.path())));
        auto write = [&](int64_t ts, const std::string& b) {
            srs_utime_t now = ts * SRS_UTIME_MILLISECONDS;
            return c.video ? s.on_video(ts, b.data(), (int)b.size(), now)
                           : s.on_audio(ts, b.data(), (int)b.size(), now);
        };
        if (!c.header.empty()) {
            HTTP_ASSERT_OK(write(0, c.header));
        }
        for (int64_t ts = 0; ts < 3500; ts += c.frame_ms) {
            HTTP_ASSERT_OK(write(ts, c.frame));
        }
        const std::string& mpd = s.mpd();
        ASSERT_FALSE(mpd.empty());
        EXPECT_NE(std::string::npos, mpd.find(std::string("codecs=\"") + c.codecs)) << mpd;
        EXPECT_EQ(std::string::npos, mpd.find(c.video ? "contentType=\"audio\"" : "contentType=\"video\"")) << mpd;
        EXPECT_GE(s.segments().size(), 2u);
        if (std::string(c.name) == "vp9") {
            EXPECT_NE(std::string::npos, mpd.find("width=\"320\" height=\"240\"")) << mpd;
        }
    }
}

TEST(AppDashSegmenterTest, RamStorageServesFromMemoryOnly) {
    SrsUtestTempDir dir("dash_ram");
    SrsDashMemoryStore store;
    SrsDashSegmenter s("__defaultVhost__", "live", "s", &store);
    SrsDashConfig c = config(dir.path());
    c.storage = SrsDashStorage::Ram;
    HTTP_ASSERT_OK(s.on_publish(c));
    headers(&s, 0);
    feed(&s, 0, 12, 0);
    // Nothing on disk; the MPD, the init segments and the window's segments in memory.
    EXPECT_FALSE(file_exists(dir.path() + "/live/s.mpd"));
    EXPECT_FALSE(file_exists(dir.path() + "/live"));
    ASSERT_TRUE(store.get("/live/s.mpd") != nullptr);
    EXPECT_EQ(s.mpd(), *store.get("/live/s.mpd"));
    EXPECT_TRUE(store.get("/live/s/video-init-0.mp4") != nullptr);
    EXPECT_TRUE(store.get("/live/s/video-900000.m4s") != nullptr);
    // Cleaned up like the disk: the first segment is gone.
    EXPECT_TRUE(store.get("/live/s/video-0.m4s") == nullptr);
    EXPECT_EQ(s.segments().size() + 3, store.size());

    // The HTTP server finds them through the mux's hijacker.
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("GET /live/s.mpd HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::shared_ptr<ISrsHttpHandler> h;
    HTTP_ASSERT_OK(store.hijack(m.msg.get(), &h));
    ASSERT_TRUE(h != nullptr);
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, m.msg.get());
    HTTP_ASSERT_OK(h->serve_http(&w, m.msg.get()));
    MockHttpResponse r(out.out);
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Content-Type: application/dash+xml")) << r.head;
    EXPECT_TRUE(r.has("Cache-Control: no-cache")) << r.head;
    EXPECT_EQ(s.mpd(), r.body);
    MockHttpRequest other;
    HTTP_ASSERT_OK(other.parse("GET /live/other.mpd HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::shared_ptr<ISrsHttpHandler> none;
    HTTP_ASSERT_OK(store.hijack(other.msg.get(), &none));
    EXPECT_TRUE(none == nullptr);

    // Players get their vhost's security and refer checks, as DASH files on disk do.
    std::shared_ptr<SrsConfig> conf;
    HTTP_ASSERT_OK(
        SrsConfig::load_string("vhost __defaultVhost__ { security { enabled on; allow play 10.0.0.0/8; } }\n", &conf));
    SrsClientLifecycle lifecycle([conf] { return conf; }, nullptr);
    store.set_lifecycle(&lifecycle);
    for (const char* peer : {"127.0.0.1", "10.1.2.3"}) {
        m.msg->set_peer(peer, 40000);
        HTTP_ASSERT_OK(store.hijack(m.msg.get(), &h));
        MockHttpIo io;
        SrsHttpResponseWriter rw(&io, m.msg.get());
        HTTP_ASSERT_OK(h->serve_http(&rw, m.msg.get()));
        EXPECT_EQ(std::string(peer) == "127.0.0.1" ? 403 : 200, MockHttpResponse(io.out).status) << peer;
    }

    s.dispose();
    EXPECT_EQ(0u, store.size());
    EXPECT_EQ(0, store.bytes());
}

TEST(AppDashServerTest, RamIsFreedWhenDisposeKeepsTheDisk) {
    SrsUtestTempDir dir("dash_ram_dispose");
    SrsDashServer server;
    SrsDashConfig c = config(dir.path());
    c.storage = SrsDashStorage::Both;
    c.dispose = 0;
    server.set_fixed_config(c);
    SrsDashSourceHandler h(&server, "__defaultVhost__", "live", "s");
    HTTP_ASSERT_OK(h.on_publish());
    SrsDashSegmenter* s = server.find("__defaultVhost__/live/s");
    ASSERT_TRUE(s != nullptr);
    headers(s, 0);
    feed(s, 0, 3, 0);
    h.on_unpublish();
    EXPECT_GT(server.store()->size(), 0u);
    EXPECT_EQ(0, server.sweep(srs_update_system_time() + 121 * SRS_UTIME_SECONDS));
    EXPECT_EQ(0u, server.store()->size());
    EXPECT_TRUE(file_exists(dir.path() + "/live/s.mpd"));
}
