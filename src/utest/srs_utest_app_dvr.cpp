// DVR: path expansion, dvr_apply, segment cutting decisions, the reserved onMetaData and its
// patching at close (read back with the kernel FLV decoder), session and segment recordings,
// failures (unwritable path, mp4) and the on_dvr body.
#include <gtest/gtest.h>
#include <srs_utest_temp_dir.hpp>

#include <srs_app_dvr.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_protocol_amf0.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

// A temp dir per test.
class DvrTempDir : public srs_utest::SrsUtestTempDir {
public:
    DvrTempDir() : SrsUtestTempDir("dvr") {}
};

// The names in a folder, sorted.
std::vector<std::string> list_dir(const std::string& dir) {
    std::set<std::string> names;
    DIR* d = opendir(dir.c_str());
    if (d) {
        while (dirent* e = readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") {
                names.insert(n);
            }
        }
        closedir(d);
    }
    return std::vector<std::string>(names.begin(), names.end());
}

SrsMediaMessage msg_of(uint8_t type, int64_t ts, std::vector<uint8_t> bytes) {
    return SrsMediaMessage::create(type, ts, 1, (const char*)bytes.data(), (int)bytes.size());
}
// FLV video tags (E.4.3.1): AVC keyframe/inter frame, AVCPacketType 0 (sequence header) or 1.
SrsMediaMessage avc_sh() {
    return msg_of(SrsMsgVideo, 0, {0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1f, 0xff});
}
SrsMediaMessage avc_key(int64_t ts) {
    return msg_of(SrsMsgVideo, ts, {0x17, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x65});
}
SrsMediaMessage avc_inter(int64_t ts) {
    return msg_of(SrsMsgVideo, ts, {0x27, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x41});
}
// FLV audio tags (E.4.2.1): AAC, AACPacketType 0 (AudioSpecificConfig) or 1.
SrsMediaMessage aac_sh() {
    return msg_of(SrsMsgAudio, 0, {0xaf, 0x00, 0x12, 0x10});
}
SrsMediaMessage aac_raw(int64_t ts) {
    return msg_of(SrsMsgAudio, ts, {0xaf, 0x01, 0x21, 0x00});
}
// A publisher's onMetaData: "onMetaData" and an ECMA array with width and a bogus duration.
SrsMediaMessage publisher_meta() {
    auto name = SrsAmf0Any::str("onMetaData");
    auto arr = SrsAmf0Any::ecma_array();
    arr->set("duration", SrsAmf0Any::number(123));
    arr->set("width", SrsAmf0Any::number(1280));
    arr->set("encoder", SrsAmf0Any::str("Lavf"));
    std::string out(name->total_size() + arr->total_size(), '\0');
    SrsBuffer b(&out[0], (int)out.size());
    srs_error_t err = name->write(&b);
    EXPECT_TRUE(err == srs_success);
    srs_error_reset(err);
    err = arr->write(&b);
    EXPECT_TRUE(err == srs_success);
    srs_error_reset(err);
    return SrsMediaMessage::create(SrsMsgAMF0Data, 0, 1, out.data(), (int)out.size());
}

// What a recorded FLV holds.
struct FlvInfo {
    bool ok = false;
    std::vector<SrsMediaMessage> tags;
    double duration = -1;
    double filesize = -1;
    double width = -1;
    std::vector<std::string> meta_keys;
    std::vector<double> keyframe_positions;
    std::vector<double> keyframe_times;
    int64_t size = 0;
};

using srs_utest::read_file;
FlvInfo read_flv(const std::string& path) {
    FlvInfo info;
    SrsFileReader r;
    srs_error_t err = r.open(path);
    if (err != srs_success) {
        srs_error_reset(err);
        return info;
    }
    info.size = r.filesize();
    SrsFlvDecoder dec(&r);
    if ((err = dec.read_header()) != srs_success) {
        srs_error_reset(err);
        return info;
    }
    while (true) {
        SrsMediaMessage m;
        if ((err = dec.read_message(&m)) != srs_success) {
            bool eof = srs_error_code(err) == ERROR_SYSTEM_FILE_EOF;
            srs_error_reset(err);
            if (!eof) {
                return info;
            }
            break;
        }
        info.tags.push_back(m);
    }
    if (info.tags.empty() || !info.tags[0].is_script()) {
        return info;
    }
    SrsBuffer b(const_cast<char*>(info.tags[0].data()), info.tags[0].size());
    std::unique_ptr<SrsAmf0Any> name, body;
    if ((err = SrsAmf0Any::read_any(&b, &name)) != srs_success ||
        (err = SrsAmf0Any::read_any(&b, &body)) != srs_success || !body->is_property_bag()) {
        srs_error_reset(err);
        return info;
    }
    if (name->to_str() != "onMetaData") {
        return info;
    }
    const SrsAmf0PropertyBag* bag = body->to_properties();
    for (int i = 0; i < bag->count(); i++) {
        info.meta_keys.push_back(bag->key_at(i));
    }
    info.duration = bag->get_number("duration", -1);
    info.filesize = bag->get_number("filesize", -1);
    info.width = bag->get_number("width", -1);
    const SrsAmf0Any* k = bag->get_property("keyframes");
    if (k && k->is_object()) {
        const SrsAmf0Any* p = k->to_object()->get_property("filepositions");
        const SrsAmf0Any* t = k->to_object()->get_property("times");
        for (int i = 0; p && p->is_strict_array() && i < p->to_strict_array()->count(); i++) {
            info.keyframe_positions.push_back(p->to_strict_array()->at(i)->to_number());
        }
        for (int i = 0; t && t->is_strict_array() && i < t->to_strict_array()->count(); i++) {
            info.keyframe_times.push_back(t->to_strict_array()->at(i)->to_number());
        }
    }
    info.ok = true;
    return info;
}

SrsDvrConfig flv_config(const std::string& path, SrsDvrPlan plan) {
    SrsDvrConfig c;
    c.enabled = true;
    c.plan = plan;
    c.path = path;
    c.duration = 3 * SRS_UTIME_SECONDS;
    return c;
}

// Publishes seconds of 25 fps video (a keyframe every second) and ~43 fps AAC starting at
// base ms, with metadata and sequence headers first.
void publish(SrsDvrSourceHandler* h, int64_t base, int seconds) {
    srs_error_t err = h->on_publish();
    ASSERT_TRUE(err == srs_success);
    EXPECT_TRUE(h->on_meta_data(publisher_meta()) == srs_success);
    SrsMediaMessage v = avc_sh();
    v.timestamp = base;
    EXPECT_TRUE(h->on_video(v) == srs_success);
    SrsMediaMessage a = aac_sh();
    a.timestamp = base;
    EXPECT_TRUE(h->on_audio(a) == srs_success);
    int64_t audio_next = base;
    for (int64_t t = 0; t <= seconds * 1000; t += 40) {
        while (audio_next <= base + t) {
            EXPECT_TRUE(h->on_audio(aac_raw(audio_next)) == srs_success);
            audio_next += 23;
        }
        SrsMediaMessage f = (t % 1000 == 0) ? avc_key(base + t) : avc_inter(base + t);
        EXPECT_TRUE(h->on_video(f) == srs_success);
    }
}

}  // namespace

TEST(AppDvrTest, PathExpand) {
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = 2021 - 1900;
    tm.tm_mon = 1;
    tm.tm_mday = 3;
    tm.tm_hour = 4;
    tm.tm_min = 5;
    tm.tm_sec = 6;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    srs_utime_t wall = (srs_utime_t)t * SRS_UTIME_SECONDS + 789 * SRS_UTIME_MILLISECONDS;
    EXPECT_EQ("./objs/nginx/html/live/s." + std::to_string((int64_t)t * 1000 + 789) + ".flv",
              srs_dvr_path_expand("./objs/nginx/html/[app]/[stream].[timestamp].flv", "v.com", "live", "s", wall));
    EXPECT_EQ("/r/v.com/live/s/2021/02/03/04/05/06/789.flv",
              srs_dvr_path_expand("/r/[vhost]/[app]/[stream]/[2006]/[01]/[02]/[15]/[04]/[05]/[999].flv", "v.com",
                                  "live", "s", wall));
    // Unknown variables stay as they are.
    EXPECT_EQ("s-[nope].flv", srs_dvr_path_expand("[stream]-[nope].flv", "v", "a", "s", wall));
}

TEST(AppDvrTest, ApplyMatches) {
    EXPECT_TRUE(srs_dvr_apply_matches({"all"}, "live", "s"));
    EXPECT_TRUE(srs_dvr_apply_matches({"live/a", "live/s"}, "live", "s"));
    EXPECT_FALSE(srs_dvr_apply_matches({"live/a"}, "live", "s"));
    EXPECT_FALSE(srs_dvr_apply_matches({}, "live", "s"));
    EXPECT_FALSE(srs_dvr_apply_matches({"live"}, "live", "s"));
}

TEST(AppDvrTest, SegmentCutDecision) {
    srs_utime_t d = 4 * SRS_UTIME_SECONDS;
    // Not long enough: never.
    EXPECT_FALSE(srs_dvr_segment_should_cut(3999, d, true, true, avc_key(0)));
    EXPECT_FALSE(srs_dvr_segment_should_cut(3999, d, false, true, aac_raw(0)));
    // Long enough and waiting for a keyframe: only at a keyframe that is not a sequence header.
    EXPECT_TRUE(srs_dvr_segment_should_cut(4000, d, true, true, avc_key(0)));
    EXPECT_FALSE(srs_dvr_segment_should_cut(4500, d, true, true, avc_inter(0)));
    EXPECT_FALSE(srs_dvr_segment_should_cut(4500, d, true, true, aac_raw(0)));
    EXPECT_FALSE(srs_dvr_segment_should_cut(4500, d, true, true, avc_sh()));
    // Not waiting, or a pure audio stream: at any message.
    EXPECT_TRUE(srs_dvr_segment_should_cut(4000, d, false, true, avc_inter(0)));
    EXPECT_TRUE(srs_dvr_segment_should_cut(4000, d, true, false, aac_raw(0)));
}

TEST(AppDvrTest, MetadataFixedSizeWithKeyframes) {
    SrsMediaMessage meta = publisher_meta();
    std::string pub(meta.data(), meta.size());
    // At open: no keyframes, room for the capacity.
    std::string open = srs_dvr_flv_metadata(pub, 0, 0, {}, 0);
    int size = (int)open.size();
    EXPECT_GT(size, SRS_DVR_FLV_KEYFRAMES_CAPACITY * 18);

    // At close: the same size, with the numbers, the publisher's fields and the index.
    std::vector<SrsDvrFlvKeyframe> kf = {{100, 0}, {5000, 2000}, {9000, 4000}};
    std::string closed = srs_dvr_flv_metadata(pub, 4.5, 12345, kf, size);
    ASSERT_EQ(open.size(), closed.size());
    SrsMediaMessage m = SrsMediaMessage::create(SrsMsgAMF0Data, 0, 1, closed.data(), (int)closed.size());
    SrsBuffer b(const_cast<char*>(m.data()), m.size());
    std::unique_ptr<SrsAmf0Any> name, body;
    ASSERT_TRUE(SrsAmf0Any::read_any(&b, &name) == srs_success);
    ASSERT_TRUE(SrsAmf0Any::read_any(&b, &body) == srs_success);
    EXPECT_TRUE(b.empty());
    const SrsAmf0PropertyBag* bag = body->to_properties();
    EXPECT_EQ("duration", bag->key_at(0));
    EXPECT_EQ("filesize", bag->key_at(1));
    EXPECT_DOUBLE_EQ(4.5, bag->get_number("duration"));
    EXPECT_DOUBLE_EQ(12345, bag->get_number("filesize"));
    EXPECT_DOUBLE_EQ(1280, bag->get_number("width"));
    const SrsAmf0Any* k = bag->get_property("keyframes");
    ASSERT_TRUE(k && k->is_object());
    const SrsAmf0StrictArray* pos = k->to_object()->get_property("filepositions")->to_strict_array();
    const SrsAmf0StrictArray* times = k->to_object()->get_property("times")->to_strict_array();
    ASSERT_EQ(3, pos->count());
    ASSERT_EQ(3, times->count());
    EXPECT_DOUBLE_EQ(5000, pos->at(1)->to_number());
    EXPECT_DOUBLE_EQ(4.0, times->at(2)->to_number());

    // More keyframes than room: thinned evenly, the first and the last kept, same size.
    std::vector<SrsDvrFlvKeyframe> many;
    for (int i = 0; i < 5000; i++) {
        many.push_back({1000 + i * 100, i * 1000});
    }
    std::string thin = srs_dvr_flv_metadata(pub, 5000, 1, many, size);
    ASSERT_EQ(open.size(), thin.size());
    SrsBuffer tb(&thin[0], (int)thin.size());
    ASSERT_TRUE(SrsAmf0Any::read_any(&tb, &name) == srs_success);
    ASSERT_TRUE(SrsAmf0Any::read_any(&tb, &body) == srs_success);
    const SrsAmf0StrictArray* tp =
        body->to_properties()->get_property("keyframes")->to_object()->get_property("filepositions")->to_strict_array();
    EXPECT_GE(tp->count(), SRS_DVR_FLV_KEYFRAMES_CAPACITY - 1);
    EXPECT_LE(tp->count(), SRS_DVR_FLV_KEYFRAMES_CAPACITY);
    EXPECT_DOUBLE_EQ(1000, tp->at(0)->to_number());
    EXPECT_DOUBLE_EQ(1000 + 4999 * 100, tp->at(tp->count() - 1)->to_number());

    // No room even for the fixed fields: empty.
    EXPECT_EQ("", srs_dvr_flv_metadata(pub, 1, 1, kf, 40));
    // A garbage metadata is left out, not fatal.
    std::string plain = srs_dvr_flv_metadata("", 0, 0, {}, 0);
    EXPECT_EQ(plain, srs_dvr_flv_metadata(std::string("\x02\xff\xff", 3), 0, 0, {}, 0));
}

TEST(AppDvrTest, FlvFilePatchedAndRenamed) {
    DvrTempDir dir;
    std::string path = dir.path() + "/a/b/s.flv";
    SrsDvrFlvFile f;
    SrsMediaMessage meta = publisher_meta();
    srs_error_t err = f.open(path, &meta);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(std::vector<std::string>{"s.flv.tmp"}, list_dir(dir.path() + "/a/b"));
    SrsMediaMessage sh = avc_sh();
    EXPECT_TRUE(f.write(sh) == srs_success);
    for (int64_t t = 0; t <= 2500; t += 100) {
        EXPECT_TRUE(f.write(t % 1000 == 0 ? avc_key(t) : avc_inter(t)) == srs_success);
    }
    EXPECT_EQ(2500, f.duration_ms());
    err = f.close();
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(std::vector<std::string>{"s.flv"}, list_dir(dir.path() + "/a/b"));

    FlvInfo info = read_flv(path);
    ASSERT_TRUE(info.ok);
    EXPECT_DOUBLE_EQ(2.5, info.duration);
    EXPECT_EQ((double)info.size, info.filesize);
    EXPECT_EQ(1280, info.width);
    ASSERT_GE(info.meta_keys.size(), 4u);
    EXPECT_EQ("duration", info.meta_keys[0]);
    EXPECT_EQ("filesize", info.meta_keys[1]);
    // The publisher's duration is replaced, not duplicated.
    EXPECT_EQ(1, (int)std::count(info.meta_keys.begin(), info.meta_keys.end(), "duration"));
    EXPECT_EQ(1 + 1 + 26, (int)info.tags.size());
    // The keyframe index: the tags of the keyframes at 0, 1 and 2 s.
    ASSERT_EQ(3u, f.keyframes().size());
    EXPECT_EQ(2000, f.keyframes()[2].timestamp);
    ASSERT_EQ(3u, info.keyframe_positions.size());
    EXPECT_EQ(1.0, info.keyframe_times[1]);
    std::string bytes = read_file(path);
    for (double p : info.keyframe_positions) {
        ASSERT_LT(p + 12, bytes.size());
        EXPECT_EQ(SrsMsgVideo, bytes[(size_t)p]);
        EXPECT_EQ(0x17, (uint8_t)bytes[(size_t)p + 11]);
    }
}

TEST(AppDvrTest, FlvFileUnwritable) {
    DvrTempDir dir;
    std::string file = dir.path() + "/plain";
    FILE* fp = fopen(file.c_str(), "w");
    ASSERT_TRUE(fp != nullptr);
    fclose(fp);
    SrsDvrFlvFile f;
    srs_error_t err = f.open(file + "/live/s.flv", nullptr);
    ASSERT_TRUE(err != srs_success);
    EXPECT_NE(std::string::npos, srs_error_desc(err).find("plain"));
    srs_error_reset(err);
    EXPECT_FALSE(f.is_open());
}

TEST(AppDvrTest, SessionPlanOneFileFromZero) {
    DvrTempDir dir;
    SrsDvrServer server;
    server.set_fixed_config(flv_config(dir.path() + "/[app]/[stream].[timestamp].flv", SrsDvrPlan::Session));
    std::vector<SrsDvrFileEvent> files;
    server.set_on_file([&](const SrsDvrFileEvent& ev) { files.push_back(ev); });
    SrsDvrSourceHandler h(&server, "__defaultVhost__", "live", "s");
    publish(&h, 100000, 5);
    EXPECT_TRUE(h.active());
    h.on_unpublish();
    ASSERT_EQ(1u, files.size());
    std::vector<std::string> names = list_dir(dir.path() + "/live");
    ASSERT_EQ(1u, names.size());
    EXPECT_EQ(0u, names[0].find("s."));
    EXPECT_EQ(dir.path() + "/live/" + names[0], files[0].file);

    FlvInfo info = read_flv(files[0].file);
    ASSERT_TRUE(info.ok);
    EXPECT_NEAR(5.0, info.duration, 0.05);
    EXPECT_EQ((double)info.size, info.filesize);
    // Metadata, then the sequence headers, at 0 (time_jitter full).
    ASSERT_GE(info.tags.size(), 4u);
    EXPECT_TRUE(SrsFlvTag::is_video_sequence_header(info.tags[1].data(), info.tags[1].size()));
    EXPECT_TRUE(SrsFlvTag::is_audio_sequence_header(info.tags[2].data(), info.tags[2].size()));
    EXPECT_EQ(0, info.tags[1].timestamp);
    EXPECT_EQ(0, info.tags[3].timestamp);
    EXPECT_EQ(5000, info.tags.back().timestamp);
}

TEST(AppDvrTest, SegmentPlanCutsAtKeyframes) {
    DvrTempDir dir;
    SrsDvrServer server;
    srs_utime_t clock = 1000 * SRS_UTIME_SECONDS;
    server.set_clock([&]() { return clock += SRS_UTIME_SECONDS; });
    server.set_fixed_config(flv_config(dir.path() + "/[stream].[timestamp].flv", SrsDvrPlan::Segment));
    std::vector<SrsDvrFileEvent> files;
    server.set_on_file([&](const SrsDvrFileEvent& ev) { files.push_back(ev); });
    {
        SrsDvrSourceHandler h(&server, "__defaultVhost__", "live", "s");
        publish(&h, 5000, 10);
        // A publisher SIGKILLed never unpublishes cleanly here: the handler's end finishes.
    }
    // 3 s segments cut at the next keyframe (every second): 0-3, 3-6, 6-9, 9-10.
    ASSERT_EQ(4u, files.size());
    EXPECT_EQ(4u, list_dir(dir.path()).size());
    for (size_t i = 0; i < files.size(); i++) {
        FlvInfo info = read_flv(files[i].file);
        ASSERT_TRUE(info.ok) << files[i].file;
        EXPECT_EQ((double)info.size, info.filesize);
        EXPECT_NEAR(i == 3 ? 1.0 : 3.0, info.duration, 0.1) << files[i].file;
        // Each file decodes alone: metadata, sequence headers, then a keyframe at 0.
        ASSERT_GE(info.tags.size(), 4u);
        EXPECT_TRUE(SrsFlvTag::is_video_sequence_header(info.tags[1].data(), info.tags[1].size()));
        EXPECT_TRUE(SrsFlvTag::is_audio_sequence_header(info.tags[2].data(), info.tags[2].size()));
        if (i > 0) {
            EXPECT_TRUE(SrsFlvTag::is_video_keyframe(info.tags[3].data(), info.tags[3].size()));
        }
        EXPECT_EQ(0, info.tags[3].timestamp);
    }
}

TEST(AppDvrTest, TimeJitterOffKeepsTimestamps) {
    DvrTempDir dir;
    SrsDvrServer server;
    SrsDvrConfig c = flv_config(dir.path() + "/s.flv", SrsDvrPlan::Session);
    c.jitter = SrsJitterAlgorithm::Off;
    server.set_fixed_config(c);
    std::vector<SrsDvrFileEvent> files;
    server.set_on_file([&](const SrsDvrFileEvent& ev) { files.push_back(ev); });
    SrsDvrSourceHandler h(&server, "v", "live", "s");
    publish(&h, 7000, 1);
    h.on_unpublish();
    ASSERT_EQ(1u, files.size());
    FlvInfo info = read_flv(files[0].file);
    ASSERT_TRUE(info.ok);
    EXPECT_EQ(8000, info.tags.back().timestamp);
    EXPECT_NEAR(1.0, info.duration, 0.05);
}

TEST(AppDvrTest, UnwritablePathStopsRecordingOnly) {
    DvrTempDir dir;
    std::string file = dir.path() + "/plain";
    FILE* fp = fopen(file.c_str(), "w");
    ASSERT_TRUE(fp != nullptr);
    fclose(fp);
    SrsDvrServer server;
    server.set_fixed_config(flv_config(file + "/[app]/[stream].flv", SrsDvrPlan::Session));
    SrsDvrSourceHandler h(&server, "v", "live", "s");
    // Every callback succeeds: the stream goes on.
    publish(&h, 0, 1);
    EXPECT_FALSE(h.active());
    h.on_unpublish();
    EXPECT_EQ(0, server.nb_files());
    EXPECT_EQ(std::vector<std::string>{"plain"}, list_dir(dir.path()));
}

TEST(AppDvrTest, Mp4SessionRecorded) {
    DvrTempDir dir;
    SrsDvrServer server;
    server.set_fixed_config(flv_config(dir.path() + "/s.mp4", SrsDvrPlan::Session));
    SrsDvrSourceHandler h(&server, "v", "live", "s");
    publish(&h, 0, 1);
    EXPECT_TRUE(h.active());
    ASSERT_TRUE(h.file() != nullptr);
    EXPECT_EQ(dir.path() + "/s.mp4.tmp", h.file()->tmp_path());
    h.on_unpublish();
    EXPECT_EQ(std::vector<std::string>{"s.mp4"}, list_dir(dir.path()));
    std::string bytes = read_file(dir.path() + "/s.mp4");
    EXPECT_EQ("ftyp", bytes.substr(4, 4));
    EXPECT_NE(std::string::npos, bytes.find("moov"));
    // The append plan records FLV only.
    server.set_fixed_config(flv_config(dir.path() + "/a.mp4", SrsDvrPlan::Append));
    publish(&h, 0, 1);
    EXPECT_FALSE(h.active());
    h.on_unpublish();
}

TEST(AppDvrTest, ApplyAndDisabled) {
    DvrTempDir dir;
    SrsDvrServer server;
    SrsDvrConfig c = flv_config(dir.path() + "/[stream].flv", SrsDvrPlan::Session);
    c.apply = {"live/other"};
    server.set_fixed_config(c);
    SrsDvrSourceHandler h(&server, "v", "live", "s");
    publish(&h, 0, 1);
    EXPECT_FALSE(h.active());
    h.on_unpublish();
    c.apply = {"all"};
    c.enabled = false;
    server.set_fixed_config(c);
    publish(&h, 0, 1);
    EXPECT_FALSE(h.active());
    h.on_unpublish();
    // The next publish reads the section again (a reload applies there).
    c.enabled = true;
    server.set_fixed_config(c);
    publish(&h, 0, 1);
    EXPECT_TRUE(h.active());
    h.on_unpublish();
    EXPECT_EQ(std::vector<std::string>{"s.flv"}, list_dir(dir.path()));
}

TEST(AppDvrTest, OnDvrBody) {
    SrsHookRequest r;
    r.vhost = "__defaultVhost__";
    r.app = "live";
    r.stream = "s";
    r.cwd = "/srs";
    r.file = "./objs/nginx/html/live/s.1.flv";
    nlohmann::json j = nlohmann::json::parse(srs_hook_body(SrsHookEvent::Dvr, r));
    EXPECT_EQ("on_dvr", j["action"]);
    EXPECT_EQ("/srs", j["cwd"]);
    EXPECT_EQ("./objs/nginx/html/live/s.1.flv", j["file"]);
    EXPECT_EQ("s", j["stream"]);
    EXPECT_TRUE(j.contains("stream_url"));
    EXPECT_FALSE(srs_hook_event_enforced(SrsHookEvent::Dvr));
    // Other events carry no cwd/file.
    nlohmann::json p = nlohmann::json::parse(srs_hook_body(SrsHookEvent::Publish, r));
    EXPECT_FALSE(p.contains("file"));
}

TEST(AppDvrTest, AppendPlanContinuesOneFile) {
    DvrTempDir dir;
    std::string path = dir.path() + "/live/s.flv";
    std::vector<SrsDvrFileEvent> files;
    {
        SrsDvrServer server;
        server.set_fixed_config(flv_config(dir.path() + "/[app]/[stream].flv", SrsDvrPlan::Append));
        server.set_on_file([&](const SrsDvrFileEvent& ev) { files.push_back(ev); });
        SrsDvrSourceHandler h(&server, "v", "live", "s");
        publish(&h, 100000, 2);
        // Written in place: no temporary name.
        ASSERT_TRUE(h.file() != nullptr);
        EXPECT_EQ(path, h.file()->tmp_path());
        h.on_unpublish();
        publish(&h, 500, 3);
        h.on_unpublish();
    }
    ASSERT_EQ(2u, files.size());
    EXPECT_EQ(path, files[1].file);
    EXPECT_EQ(std::vector<std::string>{"s.flv"}, list_dir(dir.path() + "/live"));
    FlvInfo info = read_flv(path);
    ASSERT_TRUE(info.ok);
    // One metadata; the second part's sequence headers and media follow the first's.
    int scripts = 0;
    int64_t last = -1;
    for (const SrsMediaMessage& m : info.tags) {
        scripts += m.is_script();
        if (m.is_av()) {
            EXPECT_GE(m.timestamp, last);
            last = std::max(last, m.timestamp);
        }
    }
    EXPECT_EQ(1, scripts);
    EXPECT_EQ(2000 + 40 + 3000, last);
    EXPECT_NEAR(5.04, info.duration, 0.01);
    EXPECT_EQ((double)info.size, info.filesize);
    // Keyframes of both parts (every second: 3 + 4).
    ASSERT_EQ(7u, info.keyframe_times.size());
    EXPECT_DOUBLE_EQ(2.04, info.keyframe_times[3]);

    // A new server (restart) appends after the file's last tag, cutting a torn tail.
    {
        FILE* fp = fopen(path.c_str(), "ab");
        ASSERT_TRUE(fp != nullptr);
        fwrite("\x09\x00\x10\x00", 1, 4, fp);
        fclose(fp);
        SrsDvrServer server;
        server.set_fixed_config(flv_config(dir.path() + "/[app]/[stream].flv", SrsDvrPlan::Append));
        SrsDvrSourceHandler h(&server, "v", "live", "s");
        publish(&h, 0, 1);
        h.on_unpublish();
    }
    FlvInfo again = read_flv(path);
    ASSERT_TRUE(again.ok);
    EXPECT_EQ(5040 + 40 + 1000, again.tags.back().timestamp);
    EXPECT_EQ(9u, again.keyframe_times.size());
    EXPECT_NEAR(6.08, again.duration, 0.01);
    EXPECT_EQ((double)again.size, again.filesize);
}

TEST(AppDvrTest, AppendRefusesNonFlv) {
    DvrTempDir dir;
    std::string path = dir.path() + "/s.flv";
    FILE* fp = fopen(path.c_str(), "w");
    ASSERT_TRUE(fp != nullptr);
    fputs("not an flv file at all", fp);
    fclose(fp);
    SrsDvrServer server;
    server.set_fixed_config(flv_config(path, SrsDvrPlan::Append));
    SrsDvrSourceHandler h(&server, "v", "live", "s");
    publish(&h, 0, 1);
    EXPECT_FALSE(h.active());
    h.on_unpublish();
    // Never overwritten.
    EXPECT_EQ("not an flv file at all", read_file(path));

    SrsDvrFlvScan scan;
    srs_error_t err = srs_dvr_flv_scan(path, &scan);
    EXPECT_EQ(ERROR_DVR_CANNOT_APPEND, srs_error_code(err));
    srs_error_reset(err);
}

TEST(AppDvrTest, ControlStartStop) {
    DvrTempDir dir;
    SrsDvrServer server;
    SrsDvrConfig c = flv_config(dir.path() + "/[stream].[timestamp].flv", SrsDvrPlan::Session);
    c.apply = {"live/other"};
    server.set_fixed_config(c);
    std::vector<SrsDvrFileEvent> files;
    server.set_on_file([&](const SrsDvrFileEvent& ev) { files.push_back(ev); });
    srs_error_t err = server.control("v", "live", "s", true);
    EXPECT_EQ(ERROR_SOURCE_NOT_FOUND, srs_error_code(err));
    srs_error_reset(err);

    SrsDvrSourceHandler h(&server, "v", "live", "s");
    err = server.control("v", "live", "s", true);
    EXPECT_EQ(ERROR_SOURCE_NOT_PUBLISHING, srs_error_code(err));
    srs_error_reset(err);

    // Not in dvr_apply: not recording until started.
    publish(&h, 0, 2);
    EXPECT_FALSE(h.active());
    EXPECT_TRUE(server.recordings().empty());
    err = server.control("v", "live", "s", true);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_TRUE(h.active());
    // Mid-stream: waits for a keyframe (at 3 s) before the file opens.
    EXPECT_TRUE(h.on_video(avc_inter(2040)) == srs_success);
    EXPECT_TRUE(h.on_audio(aac_raw(2050)) == srs_success);
    EXPECT_TRUE(h.file() == nullptr);
    EXPECT_TRUE(h.on_video(avc_key(3000)) == srs_success);
    ASSERT_TRUE(h.file() != nullptr);
    for (int64_t t = 3040; t <= 4000; t += 40) {
        EXPECT_TRUE(h.on_video(avc_inter(t)) == srs_success);
    }
    std::vector<SrsDvrStatus> rec = server.recordings();
    ASSERT_EQ(1u, rec.size());
    EXPECT_TRUE(rec[0].by_api);
    EXPECT_EQ("session", rec[0].plan);
    EXPECT_EQ(1000, rec[0].duration_ms);
    EXPECT_GT(rec[0].bytes, 0);

    err = server.control("v", "live", "s", false);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_FALSE(h.active());
    ASSERT_EQ(1u, files.size());
    FlvInfo info = read_flv(files[0].file);
    ASSERT_TRUE(info.ok);
    // Sequence headers, then the keyframe first.
    ASSERT_GE(info.tags.size(), 4u);
    EXPECT_TRUE(SrsFlvTag::is_video_sequence_header(info.tags[1].data(), info.tags[1].size()));
    EXPECT_TRUE(SrsFlvTag::is_video_keyframe(info.tags[3].data(), info.tags[3].size()));
    EXPECT_NEAR(1.0, info.duration, 0.01);
    EXPECT_TRUE(server.recordings().empty());
    h.on_unpublish();

    // The section off: start is refused.
    c.enabled = false;
    server.set_fixed_config(c);
    publish(&h, 0, 1);
    err = server.control("v", "live", "s", true);
    EXPECT_EQ(ERROR_DVR_DISABLED, srs_error_code(err));
    srs_error_reset(err);
    h.on_unpublish();
}
