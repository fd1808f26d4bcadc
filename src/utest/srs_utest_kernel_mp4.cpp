// MP4 muxer: each box's bytes and fields (ftyp, mdat, stts, ctts, stss, stsc, stsz,
// stco/co64, esds, avc1, hvc1, av01/av1C, vp09/vpcC, Opus/dOps, mp4a for MP3), the muxer end to
// end in memory (the sample table points at the samples' bytes) for legacy and enhanced RTMP
// tags, the co64 switch past 4 GiB (faked offsets), and dropped input.
#include <gtest/gtest.h>

#include <srs_kernel_codec_config.hpp>
#include <srs_kernel_flv_ex.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_mp4.hpp>
#include <srs_utest_kernel_records.hpp>
#include <srs_utest_mp4_boxes.hpp>

#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

using srs_utest::find_box;
using srs_utest::rb32;
using srs_utest::rb64;
using srs_utest::split_annexb;

// Collects writes at their offsets, sparse (a skipped gigabyte costs nothing).
class MemSeekWriter : public ISrsSeekWriter {
public:
    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override {
        std::string& w = writes_[pos_];
        if (w.size() < size) {
            w.resize(size);
        }
        memcpy(&w[0], buf, size);
        pos_ += size;
        if (nwrite) {
            *nwrite = size;
        }
        return srs_success;
    }
    srs_error_t writev(const iovec* iov, int n, ssize_t* nwrite) override {
        std::string all;
        for (int i = 0; i < n; i++) {
            all.append((const char*)iov[i].iov_base, iov[i].iov_len);
        }
        return write(all.data(), all.size(), nwrite);
    }
    srs_error_t seek(int64_t offset) override {
        pos_ = offset;
        return srs_success;
    }
    // The file, when it has no holes.
    std::string flat() const {
        std::string out;
        for (const auto& kv : writes_) {
            if (out.size() < kv.first + kv.second.size()) {
                out.resize(kv.first + kv.second.size());
            }
            memcpy(&out[kv.first], kv.second.data(), kv.second.size());
        }
        return out;
    }
    const std::map<uint64_t, std::string>& writes() const { return writes_; }

private:
    uint64_t pos_ = 0;
    std::map<uint64_t, std::string> writes_;
};

const std::string kSps = srs_utest::small_avc_sps();
const std::string kPps = srs_utest::small_avc_pps();
using srs_utest::flv_avc_frame;
using srs_utest::flv_avc_sh;
using srs_utest::small_avcc;
// AAC-LC 44.1 kHz stereo AudioSpecificConfig and FLV audio tag bodies (E.4.2.1).
const std::string kAsc("\x12\x10", 2);
std::string flv_aac_sh() {
    return std::string("\xaf\x00", 2) + kAsc;
}
std::string flv_aac_raw(const std::string& frame) {
    return std::string("\xaf\x01", 2) + frame;
}

SrsMp4Track video_track(std::vector<std::pair<int64_t, int32_t>> dts_cts, std::vector<bool> keys) {
    SrsMp4Track t;
    t.kind = SrsMp4TrackKind::Video;
    uint64_t off = 48;
    for (size_t i = 0; i < dts_cts.size(); i++) {
        SrsMp4Sample s;
        s.offset = off;
        s.size = 100;
        s.dts = dts_cts[i].first;
        s.cts = dts_cts[i].second;
        s.keyframe = i < keys.size() && keys[i];
        t.add_sample(s, i > 0);
        off += 100;
    }
    return t;
}

}  // namespace

TEST(KernelMp4Test, FtypAndMdatHeader) {
    std::string f = srs_mp4_ftyp();
    ASSERT_EQ((size_t)SRS_MP4_FTYP_SIZE, f.size());
    EXPECT_EQ(32u, rb32(f, 0));
    EXPECT_EQ("ftypisom", f.substr(4, 8));
    EXPECT_EQ(512u, rb32(f, 12));
    EXPECT_EQ("isomiso2avc1mp41", f.substr(16));

    std::string m = srs_mp4_mdat_header(0x123456789ULL);
    ASSERT_EQ((size_t)SRS_MP4_MDAT_HEADER_SIZE, m.size());
    EXPECT_EQ(1u, rb32(m, 0));
    EXPECT_EQ("mdat", m.substr(4, 4));
    EXPECT_EQ(0x123456789ULL, rb64(m, 8));
}

TEST(KernelMp4Test, MvhdTkhdMdhdHdlr) {
    std::string mvhd = srs_mp4_mvhd(6000, 3);
    ASSERT_EQ(108u, mvhd.size());
    EXPECT_EQ("mvhd", mvhd.substr(4, 4));
    EXPECT_EQ(1000u, rb32(mvhd, 20));
    EXPECT_EQ(6000u, rb32(mvhd, 24));
    EXPECT_EQ(0x00010000u, rb32(mvhd, 28));
    EXPECT_EQ(3u, rb32(mvhd, 104));

    SrsMp4Track t = video_track({{0, 0}, {40, 0}}, {true});
    t.width = 640;
    t.height = 360;
    std::string tkhd = srs_mp4_tkhd(t, 80);
    ASSERT_EQ(92u, tkhd.size());
    EXPECT_EQ(3u, rb32(tkhd, 8) & 0xffffff);  // enabled | in movie
    EXPECT_EQ(1u, rb32(tkhd, 20));            // track_ID
    EXPECT_EQ(80u, rb32(tkhd, 28));
    EXPECT_EQ(640u << 16, rb32(tkhd, 84));
    EXPECT_EQ(360u << 16, rb32(tkhd, 88));

    std::string mdhd = srs_mp4_mdhd(t);
    ASSERT_EQ(32u, mdhd.size());
    EXPECT_EQ(1000u, rb32(mdhd, 20));
    EXPECT_EQ(80u, rb32(mdhd, 24));  // 40 + the last sample's 40
    EXPECT_EQ(0x55c40000u, rb32(mdhd, 28));

    std::string hdlr = srs_mp4_hdlr(t);
    EXPECT_EQ("vide", hdlr.substr(16, 4));
    t.kind = SrsMp4TrackKind::Audio;
    EXPECT_EQ("soun", srs_mp4_hdlr(t).substr(16, 4));
}

TEST(KernelMp4Test, SttsRunLength) {
    SrsMp4Track t = video_track({{0, 0}, {40, 0}, {80, 0}, {120, 0}, {170, 0}}, {});
    std::string b = srs_mp4_stts(t);
    EXPECT_EQ("stts", b.substr(4, 4));
    ASSERT_EQ(2u, rb32(b, 12));
    EXPECT_EQ(3u, rb32(b, 16));
    EXPECT_EQ(40u, rb32(b, 20));
    // The last sample lasts as long as the one before it.
    EXPECT_EQ(2u, rb32(b, 24));
    EXPECT_EQ(50u, rb32(b, 28));
    EXPECT_EQ(220u, t.duration());
}

TEST(KernelMp4Test, CttsOnlyWithOffsets) {
    EXPECT_EQ("", srs_mp4_ctts(video_track({{0, 0}, {40, 0}}, {})));

    std::string b = srs_mp4_ctts(video_track({{0, 80}, {40, 80}, {80, 0}}, {}));
    EXPECT_EQ("ctts", b.substr(4, 4));
    EXPECT_EQ(0u, (uint8_t)b[8]);  // version 0
    ASSERT_EQ(2u, rb32(b, 12));
    EXPECT_EQ(2u, rb32(b, 16));
    EXPECT_EQ(80u, rb32(b, 20));
    EXPECT_EQ(1u, rb32(b, 24));
    EXPECT_EQ(0u, rb32(b, 28));

    // A negative offset needs version 1 (signed).
    std::string n = srs_mp4_ctts(video_track({{0, 40}, {40, -40}}, {}));
    EXPECT_EQ(1u, (uint8_t)n[8]);
    EXPECT_EQ((uint32_t)-40, rb32(n, 28));
}

TEST(KernelMp4Test, StssKeyframes) {
    SrsMp4Track t = video_track({{0, 0}, {40, 0}, {80, 0}, {120, 0}}, {true, false, false, true});
    std::string b = srs_mp4_stss(t);
    EXPECT_EQ("stss", b.substr(4, 4));
    ASSERT_EQ(2u, rb32(b, 12));
    EXPECT_EQ(1u, rb32(b, 16));
    EXPECT_EQ(4u, rb32(b, 20));
    // Audio samples are all sync samples: no stss.
    t.kind = SrsMp4TrackKind::Audio;
    EXPECT_EQ("", srs_mp4_stss(t));
}

TEST(KernelMp4Test, ChunksStscStszStco) {
    SrsMp4Track t;
    auto add = [&](uint64_t off, uint32_t size, bool contiguous) {
        SrsMp4Sample s;
        s.offset = off;
        s.size = size;
        t.add_sample(s, contiguous);
    };
    // Chunks of 2, 2, 1 samples.
    add(100, 10, false);
    add(110, 20, true);
    add(500, 30, false);
    add(530, 40, true);
    add(900, 50, false);
    ASSERT_EQ(3u, t.chunks.size());

    std::string stsc = srs_mp4_stsc(t);
    ASSERT_EQ(2u, rb32(stsc, 12));
    EXPECT_EQ(1u, rb32(stsc, 16));
    EXPECT_EQ(2u, rb32(stsc, 20));
    EXPECT_EQ(1u, rb32(stsc, 24));
    EXPECT_EQ(3u, rb32(stsc, 28));
    EXPECT_EQ(1u, rb32(stsc, 32));

    std::string stsz = srs_mp4_stsz(t);
    EXPECT_EQ(0u, rb32(stsz, 12));
    ASSERT_EQ(5u, rb32(stsz, 16));
    EXPECT_EQ(10u, rb32(stsz, 20));
    EXPECT_EQ(50u, rb32(stsz, 36));

    std::string stco = srs_mp4_stco(t);
    EXPECT_EQ("stco", stco.substr(4, 4));
    ASSERT_EQ(3u, rb32(stco, 12));
    EXPECT_EQ(100u, rb32(stco, 16));
    EXPECT_EQ(500u, rb32(stco, 20));
    EXPECT_EQ(900u, rb32(stco, 24));
}

TEST(KernelMp4Test, Co64PastFourGiB) {
    SrsMp4Track t;
    SrsMp4Sample s;
    s.offset = 100;
    s.size = 10;
    t.add_sample(s, false);
    s.offset = SRS_MP4_STCO_MAX;  // still fits
    t.add_sample(s, false);
    EXPECT_EQ("stco", srs_mp4_stco(t).substr(4, 4));
    s.offset = 5ULL << 30;
    t.add_sample(s, false);
    std::string b = srs_mp4_stco(t);
    EXPECT_EQ("co64", b.substr(4, 4));
    ASSERT_EQ(3u, rb32(b, 12));
    EXPECT_EQ(100u, rb64(b, 16));
    EXPECT_EQ(SRS_MP4_STCO_MAX, rb64(b, 24));
    EXPECT_EQ(5ULL << 30, rb64(b, 32));
    EXPECT_EQ(16u + 3 * 8, b.size());
}

TEST(KernelMp4Test, EsdsAndSampleEntries) {
    SrsMp4Track a;
    a.kind = SrsMp4TrackKind::Audio;
    a.id = 2;
    a.asc = kAsc;
    a.sample_rate = 44100;
    a.channels = 2;
    std::string esds = srs_mp4_esds(a);
    EXPECT_EQ("esds", esds.substr(4, 4));
    // ES_Descriptor: tag 3, size, ES_ID 2, flags 0; DecoderConfigDescriptor: tag 4, size,
    // 0x40 (14496-3 audio), 0x15 (audio stream), ..., DecoderSpecificInfo: tag 5, 2, the ASC;
    // SLConfigDescriptor: tag 6, 1, 2.
    EXPECT_EQ(0x03, esds[12]);
    EXPECT_EQ((int)esds.size() - 14, esds[13]);
    EXPECT_EQ(2u, ((uint8_t)esds[14] << 8) | (uint8_t)esds[15]);
    EXPECT_EQ(0x04, esds[17]);
    EXPECT_EQ(0x40, esds[19]);
    EXPECT_EQ(0x15, esds[20]);
    EXPECT_EQ(std::string("\x05\x02\x12\x10\x06\x01\x02", 7), esds.substr(esds.size() - 7));

    std::string stsd = srs_mp4_stsd(a);
    EXPECT_EQ("mp4a", stsd.substr(20, 4));
    EXPECT_EQ(2u, ((uint8_t)stsd[40] << 8) | (uint8_t)stsd[41]);  // channelcount
    EXPECT_EQ(44100u << 16, rb32(stsd, 48));
    EXPECT_NE(std::string::npos, stsd.find("esds"));

    SrsMp4Track v;
    v.avcc = small_avcc();
    v.width = 64;
    v.height = 48;
    std::string vs = srs_mp4_stsd(v);
    EXPECT_EQ("avc1", vs.substr(20, 4));
    EXPECT_EQ(64u, ((uint8_t)vs[48] << 8) | (uint8_t)vs[49]);
    EXPECT_EQ(48u, ((uint8_t)vs[50] << 8) | (uint8_t)vs[51]);
    size_t at = vs.find("avcC");
    ASSERT_NE(std::string::npos, at);
    EXPECT_EQ(small_avcc(), vs.substr(at + 4, small_avcc().size()));
    EXPECT_EQ(8 + small_avcc().size(), rb32(vs, at - 4));
}

TEST(KernelMp4Test, EditListForLateTrack) {
    EXPECT_EQ("", srs_mp4_edts(video_track({{0, 0}, {40, 0}}, {})));
    std::string e = srs_mp4_edts(video_track({{100, 0}, {140, 0}}, {}));
    std::string elst = find_box(e, {"edts", "elst"});
    ASSERT_FALSE(elst.empty());
    ASSERT_EQ(2u, rb32(elst, 12));
    EXPECT_EQ(100u, rb32(elst, 16));
    EXPECT_EQ(0xffffffffu, rb32(elst, 20));
    EXPECT_EQ(80u, rb32(elst, 28));
    EXPECT_EQ(0u, rb32(elst, 32));
}

TEST(KernelMp4Test, MuxerEndToEnd) {
    MemSeekWriter w;
    SrsMp4Muxer m(&w);
    ASSERT_TRUE(m.open() == srs_success);
    std::string sh = flv_avc_sh();
    ASSERT_TRUE(m.write_video(0, sh.data(), sh.size()) == srs_success);
    std::string ash = flv_aac_sh();
    ASSERT_TRUE(m.write_audio(0, ash.data(), ash.size()) == srs_success);
    std::vector<std::string> nalus;
    for (int i = 0; i < 5; i++) {
        std::string a = flv_aac_raw(std::string(7 + i, (char)('a' + i)));
        ASSERT_TRUE(m.write_audio(i * 23, a.data(), a.size()) == srs_success);
        std::string nalu = std::string(1, i == 0 ? '\x65' : '\x41') + std::string(20 + i, (char)i);
        nalus.push_back(nalu);
        std::string v = flv_avc_frame(i == 0 || i == 3, i == 2 ? 40 : 0, nalu);
        ASSERT_TRUE(m.write_video(i * 40, v.data(), v.size()) == srs_success);
    }
    ASSERT_TRUE(m.close() == srs_success);
    std::string f = w.flat();
    EXPECT_EQ(m.position(), f.size());

    EXPECT_EQ(srs_mp4_ftyp(), f.substr(0, 32));
    EXPECT_EQ("mdat", f.substr(36, 4));
    uint64_t mdat_size = rb64(f, 40);
    EXPECT_EQ("moov", f.substr(32 + mdat_size + 4, 4));
    EXPECT_EQ(f.size(), 32 + mdat_size + rb32(f, 32 + mdat_size));

    std::string mvhd = find_box(f, {"moov", "mvhd"});
    ASSERT_FALSE(mvhd.empty());
    EXPECT_EQ(200u, rb32(mvhd, 24));  // 4 * 40 + 40
    std::string vtrak = find_box(f, {"moov", "trak"}, 0);
    std::string atrak = find_box(f, {"moov", "trak"}, 1);
    ASSERT_FALSE(vtrak.empty());
    ASSERT_FALSE(atrak.empty());
    EXPECT_EQ("vide", find_box(vtrak, {"trak", "mdia", "hdlr"}).substr(16, 4));
    EXPECT_EQ("soun", find_box(atrak, {"trak", "mdia", "hdlr"}).substr(16, 4));
    std::string tkhd = find_box(vtrak, {"trak", "tkhd"});
    EXPECT_EQ(64u << 16, rb32(tkhd, 84));

    // Video: ctts (one offset), stss (frames 1 and 4), and each sample's bytes at its offset:
    // the NALU with a 4-byte length.
    std::string vstbl = find_box(vtrak, {"trak", "mdia", "minf", "stbl"});
    ASSERT_FALSE(vstbl.empty());
    EXPECT_FALSE(find_box(vstbl, {"stbl", "ctts"}).empty());
    std::string stss = find_box(vstbl, {"stbl", "stss"});
    ASSERT_EQ(2u, rb32(stss, 12));
    EXPECT_EQ(4u, rb32(stss, 20));
    std::string stsz = find_box(vstbl, {"stbl", "stsz"});
    std::string stco = find_box(vstbl, {"stbl", "stco"});
    std::string stsc = find_box(vstbl, {"stbl", "stsc"});
    ASSERT_EQ(5u, rb32(stsz, 16));
    // Audio and video alternate: each chunk is one sample.
    ASSERT_EQ(5u, rb32(stco, 12));
    ASSERT_EQ(1u, rb32(stsc, 12));
    EXPECT_EQ(1u, rb32(stsc, 20));
    for (int i = 0; i < 5; i++) {
        uint32_t size = rb32(stsz, 20 + 4 * i);
        uint32_t off = rb32(stco, 16 + 4 * i);
        ASSERT_EQ(4 + nalus[i].size(), size);
        EXPECT_EQ(nalus[i].size(), rb32(f, off));
        EXPECT_EQ(nalus[i], f.substr(off + 4, nalus[i].size()));
    }
    // Audio: raw frames, no stss.
    std::string astbl = find_box(atrak, {"trak", "mdia", "minf", "stbl"});
    EXPECT_TRUE(find_box(astbl, {"stbl", "stss"}).empty());
    std::string astco = find_box(astbl, {"stbl", "stco"});
    std::string astsz = find_box(astbl, {"stbl", "stsz"});
    EXPECT_EQ(9u, rb32(astsz, 20 + 4 * 2));
    EXPECT_EQ(std::string(9, 'c'), f.substr(rb32(astco, 16 + 4 * 2), 9));
    EXPECT_FALSE(find_box(atrak, {"trak", "mdia", "minf", "smhd"}).empty());
    EXPECT_FALSE(find_box(vtrak, {"trak", "mdia", "minf", "dinf", "dref"}).empty());
}

TEST(KernelMp4Test, MuxerLargeFileUsesCo64) {
    MemSeekWriter w;
    SrsMp4Muxer m(&w);
    ASSERT_TRUE(m.open() == srs_success);
    std::string ash = flv_aac_sh();
    ASSERT_TRUE(m.write_audio(0, ash.data(), ash.size()) == srs_success);
    std::string a = flv_aac_raw("xyz");
    ASSERT_TRUE(m.write_audio(0, a.data(), a.size()) == srs_success);
    // 5 GiB of samples, not written.
    m.skip_for_test(5ULL << 30);
    ASSERT_TRUE(m.write_audio(23, a.data(), a.size()) == srs_success);
    ASSERT_TRUE(m.close() == srs_success);
    // The mdat header was patched with the 64-bit size, the moov written at the end.
    const std::string& head = w.writes().at(32);
    EXPECT_EQ(16u, head.size());
    uint64_t mdat_size = rb64(head, 8);
    EXPECT_EQ(16 + 3 + (5ULL << 30) + 3, mdat_size);
    const std::string& moov = w.writes().rbegin()->second;
    EXPECT_EQ(32 + mdat_size, w.writes().rbegin()->first);
    std::string co64 = find_box(moov, {"moov", "trak", "mdia", "minf", "stbl", "co64"});
    ASSERT_FALSE(co64.empty());
    ASSERT_EQ(2u, rb32(co64, 12));
    EXPECT_EQ(48u, rb64(co64, 16));
    EXPECT_EQ(48 + 3 + (5ULL << 30), rb64(co64, 24));
    EXPECT_TRUE(find_box(moov, {"moov", "trak", "mdia", "minf", "stbl", "stco"}).empty());
}

TEST(KernelMp4Test, MuxerAnnexBAndDroppedInput) {
    MemSeekWriter w;
    SrsMp4Muxer m(&w);
    ASSERT_TRUE(m.open() == srs_success);
    // Frames before any sequence header, garbage and Speex (SoundFormat 11) are dropped, not errors.
    std::string early = flv_avc_frame(true, 0, "\x65\x01");
    EXPECT_TRUE(m.write_video(0, early.data(), early.size()) == srs_success);
    EXPECT_TRUE(m.write_video(0, "\x17", 1) == srs_success);
    EXPECT_TRUE(m.write_audio(0, "\xb6\x01\x02\x03\x04", 5) == srs_success);
    std::string sh = flv_avc_sh();
    ASSERT_TRUE(m.write_video(0, sh.data(), sh.size()) == srs_success);
    // Annex B payload: two NALUs with start codes become length-prefixed.
    std::string annexb = std::string("\x17\x01\x00\x00\x00", 5) + std::string("\x00\x00\x00\x01\x65\xaa\xbb", 7) +
                         std::string("\x00\x00\x01\x06\xcc", 5);
    ASSERT_TRUE(m.write_video(40, annexb.data(), annexb.size()) == srs_success);
    ASSERT_TRUE(m.close() == srs_success);
    EXPECT_EQ(1u, m.video().samples.size());
    EXPECT_TRUE(m.audio().samples.empty());
    std::string f = w.flat();
    const SrsMp4Sample& s = m.video().samples[0];
    EXPECT_EQ(std::string("\x00\x00\x00\x03\x65\xaa\xbb\x00\x00\x00\x02\x06\xcc", 13), f.substr(s.offset, s.size));
    // Only the video track is in the moov.
    EXPECT_TRUE(find_box(f.substr(32 + rb64(f, 40)), {"moov", "trak"}, 1).empty());
}

TEST(KernelMp4Test, MuxerHevc) {
    // An HEVCDecoderConfigurationRecord with VPS, SPS and PPS of a 64x48 x265 stream.
    const std::string hvcc(
        "\x01\x01\x60\x00\x00\x00\x90\x00\x00\x00\x00\x00\x1e\xf0\x00\xfc\xfd\xf8\xf8\x00\x00\x0f\x03\x20\x00\x01\x00"
        "\x18\x40\x01\x0c\x01\xff\xff\x01\x60\x00\x00\x03\x00\x90\x00\x00\x03\x00\x00\x03\x00\x1e\x95\x98\x09\x21\x00"
        "\x01\x00\x29\x42\x01\x01\x01\x60\x00\x00\x03\x00\x90\x00\x00\x03\x00\x00\x03\x00\x1e\xa0\x20\x83\x16\x59\x59"
        "\xae\x4c\xaf\x01\x68\x08\x00\x00\x03\x00\x08\x00\x00\x03\x00\xc8\x40\x22\x00\x01\x00\x06\x44\x01\xc1\x73\xd0"
        "\x89",
        109);
    MemSeekWriter w;
    SrsMp4Muxer m(&w);
    ASSERT_TRUE(m.open() == srs_success);
    // FLV codec id 12 (the legacy HEVC extension), sequence header then an IDR_W_RADL (type 19).
    std::string sh = std::string("\x1c\x00\x00\x00\x00", 5) + hvcc;
    ASSERT_TRUE(m.write_video(0, sh.data(), sh.size()) == srs_success);
    std::string idr("\x1c\x01\x00\x00\x00\x00\x00\x00\x04\x26\x01\xaf\x00", 13);
    ASSERT_TRUE(m.write_video(0, idr.data(), idr.size()) == srs_success);
    std::string trail("\x2c\x01\x00\x00\x00\x00\x00\x00\x03\x02\x01\xd0", 12);
    ASSERT_TRUE(m.write_video(40, trail.data(), trail.size()) == srs_success);
    ASSERT_TRUE(m.close() == srs_success);
    ASSERT_EQ(2u, m.video().samples.size());
    EXPECT_TRUE(m.video().samples[0].keyframe);
    EXPECT_FALSE(m.video().samples[1].keyframe);
    std::string f = w.flat();
    std::string stsd = find_box(f.substr(32 + rb64(f, 40)), {"moov", "trak", "mdia", "minf", "stbl", "stsd"});
    ASSERT_FALSE(stsd.empty());
    EXPECT_EQ("hvc1", stsd.substr(20, 4));
    EXPECT_EQ(64u, ((uint8_t)stsd[48] << 8) | (uint8_t)stsd[49]);
    EXPECT_EQ(48u, ((uint8_t)stsd[50] << 8) | (uint8_t)stsd[51]);
    size_t at = stsd.find("hvcC");
    ASSERT_NE(std::string::npos, at);
    EXPECT_EQ(hvcc, stsd.substr(at + 4, hvcc.size()));
    EXPECT_EQ(std::string("\x00\x00\x00\x04\x26\x01\xaf\x00", 8), f.substr(m.video().samples[0].offset, 8));
}

namespace {

using srs_utest::bytes;

// The start of the first frame of libvpx-vp9 (FFmpeg 5.1, -deadline realtime) at 320x240: a key
// frame, profile 0; frame_width_minus_1 319 and frame_height_minus_1 239 follow the sync code.
const std::string kVp9Key320x240 = bytes({0x82, 0x49, 0x83, 0x42, 0x00, 0x13, 0xf0, 0x0e, 0xf6, 0x06, 0x38, 0x24});

// The offset of a box's body inside a sample entry string, after its 8-byte header.
std::string box_body(const std::string& data, const char* type) {
    size_t at = data.find(type);
    if (at == std::string::npos || at < 4) {
        return "";
    }
    return data.substr(at + 4, rb32(data, at - 4) - 8);
}

uint16_t rb16(const std::string& s, size_t at) {
    return (uint16_t)(((uint8_t)s[at] << 8) | (uint8_t)s[at + 1]);
}

// The moov's sample description of the track of that handler, from a whole file.
std::string file_stsd(const std::string& f, int trak) {
    return find_box(f.substr(32 + rb64(f, 40)), {"moov", "trak"}, trak);
}

}  // namespace

TEST(KernelMp4Test, Av1SampleEntry) {
    // AV1-ISOBMFF 2.2: av01 is a VisualSampleEntry with the av1C (2.3) body as sent.
    SrsMp4Track v;
    v.vcodec = SrsVideoCodecIdAV1;
    v.config = srs_utest::kAv1cSvt;
    v.width = 320;
    v.height = 180;
    std::string stsd = srs_mp4_stsd(v);
    EXPECT_EQ("stsd", stsd.substr(4, 4));
    EXPECT_EQ(1u, rb32(stsd, 12));
    // The entry: size, "av01", 6 reserved, data_reference_index 1, 16 pre_defined/reserved,
    // width, height at 32/34 of the entry.
    EXPECT_EQ("av01", stsd.substr(20, 4));
    EXPECT_EQ(rb32(stsd, 0) - 16, rb32(stsd, 16));
    EXPECT_EQ(1u, rb16(stsd, 30));
    EXPECT_EQ(320u, rb16(stsd, 48));
    EXPECT_EQ(180u, rb16(stsd, 50));
    EXPECT_EQ(0x18u, rb16(stsd, 16 + 82));
    // The configuration box right after the 86-byte VisualSampleEntry.
    EXPECT_EQ(8 + srs_utest::kAv1cSvt.size(), rb32(stsd, 16 + 86));
    EXPECT_EQ("av1C", stsd.substr(16 + 90, 4));
    EXPECT_EQ(srs_utest::kAv1cSvt, stsd.substr(16 + 94));
}

TEST(KernelMp4Test, Vp9SampleEntry) {
    // VP-ISOBMFF 2.1/2.2: vp09 with the vpcC FullBox (version 1) whose body carries version and flags.
    SrsMp4Track v;
    v.vcodec = SrsVideoCodecIdVP9;
    v.config = srs_utest::kVpccProfile0;
    v.width = 320;
    v.height = 240;
    std::string stsd = srs_mp4_stsd(v);
    EXPECT_EQ("vp09", stsd.substr(20, 4));
    EXPECT_EQ(320u, rb16(stsd, 48));
    EXPECT_EQ(240u, rb16(stsd, 50));
    EXPECT_EQ("vpcC", stsd.substr(16 + 90, 4));
    std::string body = box_body(stsd, "vpcC");
    EXPECT_EQ(srs_utest::kVpccProfile0, body);
    EXPECT_EQ(1, body[0]);  // version 1
    EXPECT_EQ(rb32(stsd, 0), stsd.size());
}

TEST(KernelMp4Test, HevcSampleEntryByCodecOrFlag) {
    // vcodec HEVC and the older hevc flag give the same hvc1 entry.
    SrsMp4Track a;
    a.vcodec = SrsVideoCodecIdHEVC;
    a.avcc = srs_utest::kHvccMain;
    SrsMp4Track b;
    b.hevc = true;
    b.avcc = srs_utest::kHvccMain;
    EXPECT_EQ(srs_mp4_stsd(a), srs_mp4_stsd(b));
    EXPECT_EQ("hvc1", srs_mp4_stsd(a).substr(20, 4));
    EXPECT_EQ(srs_utest::kHvccMain, box_body(srs_mp4_stsd(a), "hvcC"));
}

TEST(KernelMp4Test, OpusSampleEntryAndDops) {
    // Opus-ISOBMFF 4.3.2: dOps from an OpusHead (RFC 7845, little-endian) is the big-endian box
    // FFmpeg writes: the records are from the same libopus files.
    SrsOpusConfigRecord rec;
    ASSERT_TRUE(srs_opus_parse_config(srs_utest::kOpusHeadStereo.data(), (int)srs_utest::kOpusHeadStereo.size(),
                                      &rec) == srs_success);
    EXPECT_EQ(srs_utest::kDopsStereo, srs_mp4_opus_dops(rec));
    ASSERT_TRUE(srs_opus_parse_config(srs_utest::kOpusHead51.data(), (int)srs_utest::kOpusHead51.size(), &rec) ==
                srs_success);
    EXPECT_EQ(srs_utest::kDops51, srs_mp4_opus_dops(rec));
    ASSERT_TRUE(srs_opus_parse_config(srs_utest::kDopsMono.data(), (int)srs_utest::kDopsMono.size(), &rec) ==
                srs_success);
    EXPECT_EQ(srs_utest::kDopsMono, srs_mp4_opus_dops(rec));

    SrsMp4Track a;
    a.kind = SrsMp4TrackKind::Audio;
    a.acodec = SrsAudioCodecIdOpus;
    a.config = srs_utest::kDops51;
    a.channels = 6;
    // A rate other than 48000 in the track does not reach the entry: Opus decodes at 48 kHz.
    a.sample_rate = 44100;
    std::string stsd = srs_mp4_stsd(a);
    EXPECT_EQ("Opus", stsd.substr(20, 4));
    EXPECT_EQ(1u, rb16(stsd, 30));
    EXPECT_EQ(6u, rb16(stsd, 40));   // channelcount
    EXPECT_EQ(16u, rb16(stsd, 42));  // samplesize
    EXPECT_EQ(48000u << 16, rb32(stsd, 48));
    EXPECT_EQ("dOps", stsd.substr(16 + 40, 4));
    EXPECT_EQ(srs_utest::kDops51, box_body(stsd, "dOps"));
    EXPECT_EQ(std::string::npos, stsd.find("esds"));
}

TEST(KernelMp4Test, Mp3Esds) {
    // 14496-1 objectTypeIndication 0x6B (11172-3) for MPEG-1, 0x69 (13818-3) for MPEG-2 rates,
    // and no DecoderSpecificInfo.
    SrsMp4Track a;
    a.kind = SrsMp4TrackKind::Audio;
    a.id = 2;
    a.acodec = SrsAudioCodecIdMP3;
    a.sample_rate = 44100;
    std::string esds = srs_mp4_esds(a);
    EXPECT_EQ(0x6B, (uint8_t)esds[19]);
    EXPECT_EQ(0x15, esds[20]);
    EXPECT_EQ(std::string("\x06\x01\x02", 3), esds.substr(esds.size() - 3));
    // ES_Descriptor 3 + 5 + DecoderConfigDescriptor 2 + 13 + SLConfig 3 bytes, no tag 5.
    EXPECT_EQ(12u + 2 + 3 + 2 + 13 + 3, esds.size());
    a.mp3_version = 2;
    EXPECT_EQ(0x69, (uint8_t)srs_mp4_esds(a)[19]);
    std::string stsd = srs_mp4_stsd(a);
    EXPECT_EQ("mp4a", stsd.substr(20, 4));
    EXPECT_EQ(44100u << 16, rb32(stsd, 48));
}

TEST(KernelMp4Test, Vp9KeyFrameSize) {
    // The MP4 tracks take VP9's size from the key frame header (vpcC has none).
    SrsVp9FrameHeader h;
    ASSERT_TRUE(srs_vp9_parse_frame_header(kVp9Key320x240.data(), (int)kVp9Key320x240.size(), &h) == srs_success);
    EXPECT_TRUE(h.keyframe);
    EXPECT_EQ(320, h.width);
    EXPECT_EQ(240, h.height);
    // Truncated, no frame marker, nothing: errors. An inter frame (frame_type 1) and
    // show_existing_frame carry no size.
    for (const std::string& bad : {kVp9Key320x240.substr(0, 6), std::string("\x02\x49", 2), std::string()}) {
        srs_error_t err = srs_vp9_parse_frame_header(bad.data(), (int)bad.size(), &h);
        EXPECT_TRUE(err != srs_success);
        srs_error_reset(err);
    }
    std::string inter = kVp9Key320x240;
    inter[0] = (char)0x86;
    for (const std::string& sizeless : {inter, std::string("\x88", 1)}) {
        SrsVp9FrameHeader n;
        srs_error_t err = srs_vp9_parse_frame_header(sizeless.data(), (int)sizeless.size(), &n);
        EXPECT_TRUE(err != srs_success || (!n.keyframe && n.width == 0));
        srs_error_reset(err);
    }
}

TEST(KernelMp4Test, Av1TemporalDelimitersStripped) {
    // TD (type 2, size 0), a sequence header (type 1, 2 bytes), a frame (type 6, 3 bytes), a
    // TD, then a padding OBU (type 15) without size field to the end.
    const std::string td = bytes({0x12, 0x00});
    const std::string seq = bytes({0x0a, 0x02, 0xaa, 0xbb});
    const std::string frame = bytes({0x32, 0x03, 0x01, 0x02, 0x03});
    const std::string tail = bytes({0x78, 0x09, 0x09});
    std::string tu = td + seq + frame + td + tail;
    std::vector<SrsSample> out;
    ASSERT_TRUE(srs_av1_strip_temporal_delimiters(tu.data(), (int)tu.size(), &out) == srs_success);
    std::string got;
    for (const SrsSample& s : out) {
        got.append(s.data, s.size);
    }
    EXPECT_EQ(seq + frame + tail, got);
    // Adjacent OBUs are one span.
    EXPECT_EQ(2u, out.size());

    // An OBU with the extension byte keeps it.
    const std::string ext = bytes({0x36, 0x08, 0x01, 0x7f});
    out.clear();
    ASSERT_TRUE(srs_av1_strip_temporal_delimiters(ext.data(), (int)ext.size(), &out) == srs_success);
    ASSERT_EQ(1u, out.size());
    EXPECT_EQ(4, out[0].size);

    // A size past the end, or a leb128 that does not end: errors, nothing read past the buffer.
    for (const std::string& bad : {bytes({0x32, 0x05, 0x01}), bytes({0x32, 0x80}),
                                   bytes({0x32, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})}) {
        out.clear();
        srs_error_t err = srs_av1_strip_temporal_delimiters(bad.data(), (int)bad.size(), &out);
        EXPECT_TRUE(err != srs_success);
        srs_error_reset(err);
    }
}

TEST(KernelMp4Test, MuxerEnhancedAv1Opus) {
    MemSeekWriter w;
    SrsMp4Muxer m(&w);
    ASSERT_TRUE(m.open() == srs_success);
    // av01 SequenceStart with the av1C, a key frame with a temporal delimiter and an inter frame.
    std::string sh = SrsExTagWriter::video(1, 0, SrsExVideoFourCCAV1, 0) + srs_utest::kAv1cSvt;
    ASSERT_TRUE(m.write_video(0, sh.data(), sh.size()) == srs_success);
    const std::string key_obus = bytes({0x32, 0x03, 0x10, 0x20, 0x30});
    std::string key = SrsExTagWriter::video(1, 1, SrsExVideoFourCCAV1, 0) + bytes({0x12, 0x00}) + key_obus;
    ASSERT_TRUE(m.write_video(0, key.data(), key.size()) == srs_success);
    const std::string inter_obus = bytes({0x32, 0x01, 0x40});
    std::string inter = SrsExTagWriter::video(2, 1, SrsExVideoFourCCAV1, 0) + inter_obus;
    ASSERT_TRUE(m.write_video(40, inter.data(), inter.size()) == srs_success);
    // Opus SequenceStart with an OpusHead, then two 20 ms packets.
    std::string ash = SrsExTagWriter::audio(0, SrsExAudioFourCCOpus) + srs_utest::kOpusHeadStereo;
    ASSERT_TRUE(m.write_audio(0, ash.data(), ash.size()) == srs_success);
    for (int i = 0; i < 2; i++) {
        std::string a = SrsExTagWriter::audio(1, SrsExAudioFourCCOpus) + std::string(10 + i, (char)('a' + i));
        ASSERT_TRUE(m.write_audio(i * 20, a.data(), a.size()) == srs_success);
    }
    ASSERT_TRUE(m.close() == srs_success);

    ASSERT_EQ(2u, m.video().samples.size());
    EXPECT_TRUE(m.video().samples[0].keyframe);
    EXPECT_FALSE(m.video().samples[1].keyframe);
    EXPECT_EQ(320, m.video().width);
    EXPECT_EQ(180, m.video().height);
    std::string f = w.flat();
    EXPECT_EQ(key_obus, f.substr(m.video().samples[0].offset, m.video().samples[0].size));
    EXPECT_EQ(inter_obus, f.substr(m.video().samples[1].offset, m.video().samples[1].size));
    ASSERT_EQ(2u, m.audio().samples.size());
    EXPECT_EQ(std::string(11, 'b'), f.substr(m.audio().samples[1].offset, m.audio().samples[1].size));

    std::string vtrak = file_stsd(f, 0);
    std::string atrak = file_stsd(f, 1);
    EXPECT_EQ(srs_utest::kAv1cSvt, box_body(vtrak, "av1C"));
    EXPECT_NE(std::string::npos, vtrak.find("av01"));
    EXPECT_EQ(srs_utest::kDopsStereo, box_body(atrak, "dOps"));
    // The Opus track's last sample lasts as the one before: 20 ms.
    std::string stts = find_box(atrak, {"trak", "mdia", "minf", "stbl", "stts"});
    ASSERT_FALSE(stts.empty());
    EXPECT_EQ(1u, rb32(stts, 12));
    EXPECT_EQ(2u, rb32(stts, 16));
    EXPECT_EQ(20u, rb32(stts, 20));
}

TEST(KernelMp4Test, MuxerEnhancedVp9SizeFromKeyFrame) {
    MemSeekWriter w;
    SrsMp4Muxer m(&w);
    ASSERT_TRUE(m.open() == srs_success);
    std::string sh = SrsExTagWriter::video(1, 0, SrsExVideoFourCCVP9, 0) + srs_utest::kVpccProfile0;
    ASSERT_TRUE(m.write_video(0, sh.data(), sh.size()) == srs_success);
    std::string key = SrsExTagWriter::video(1, 1, SrsExVideoFourCCVP9, 0) + kVp9Key320x240;
    ASSERT_TRUE(m.write_video(0, key.data(), key.size()) == srs_success);
    ASSERT_TRUE(m.close() == srs_success);
    ASSERT_EQ(1u, m.video().samples.size());
    std::string f = w.flat();
    EXPECT_EQ(kVp9Key320x240, f.substr(m.video().samples[0].offset, m.video().samples[0].size));
    std::string trak = file_stsd(f, 0);
    EXPECT_EQ(srs_utest::kVpccProfile0, box_body(trak, "vpcC"));
    // tkhd width/height (16.16) and the entry's.
    std::string tkhd = find_box(trak, {"trak", "tkhd"});
    ASSERT_FALSE(tkhd.empty());
    EXPECT_EQ(320u << 16, rb32(tkhd, 84));
    EXPECT_EQ(240u << 16, rb32(tkhd, 88));
}

TEST(KernelMp4Test, MuxerLegacyMp3) {
    MemSeekWriter w;
    SrsMp4Muxer m(&w);
    ASSERT_TRUE(m.open() == srs_success);
    // FLV SoundFormat 2 (MP3), MPEG-1 layer III 44.1 kHz stereo frames: no sequence header.
    std::string frame = bytes({0xff, 0xfb, 0x90, 0x00}) + std::string(100, '\x11');
    std::string tag = std::string("\x2f", 1) + frame;
    ASSERT_TRUE(m.write_audio(0, tag.data(), tag.size()) == srs_success);
    ASSERT_TRUE(m.write_audio(26, tag.data(), tag.size()) == srs_success);
    ASSERT_TRUE(m.close() == srs_success);
    ASSERT_EQ(2u, m.audio().samples.size());
    EXPECT_EQ(SrsAudioCodecIdMP3, m.audio().acodec);
    EXPECT_EQ(44100, m.audio().sample_rate);
    EXPECT_EQ(2, m.audio().channels);
    std::string f = w.flat();
    EXPECT_EQ(frame, f.substr(m.audio().samples[0].offset, m.audio().samples[0].size));
    std::string trak = file_stsd(f, 0);
    std::string esds = find_box(trak, {"trak", "mdia", "minf", "stbl", "stsd"});
    size_t at = esds.find("esds");
    ASSERT_NE(std::string::npos, at);
    EXPECT_EQ(0x6B, (uint8_t)esds[at + 4 + 4 + 7]);
}

namespace {

// The first bytes of FFmpeg 5.1's ac3 / eac3 encoder frames (sine, 48 kHz mono 96 kb/s; 44.1 kHz
// 5.1 384 kb/s; E-AC-3 48 kHz stereo 96 kb/s, 384-byte frames; 5.1 256 kb/s, 1024-byte frames),
// and the dac3/dec3 FFmpeg's MP4 muxer wrote for the same files.
const std::string kAc3Mono = bytes({0x0b, 0x77, 0x48, 0x0d, 0x0c, 0x40, 0x2f, 0x84});
const std::string kDac3Mono = bytes({0x10, 0x08, 0xc0});
const std::string kAc351 = bytes({0x0b, 0x77, 0xac, 0x1f, 0x5c, 0x40, 0xeb, 0xf8, 0x40, 0x3e});
const std::string kDac351 = bytes({0x50, 0x3d, 0xc0});
std::string eac3_frame(const std::string& head, size_t size) {
    return head + std::string(size - head.size(), '\0');
}
const std::string kEac3Stereo = eac3_frame(bytes({0x0b, 0x77, 0x00, 0xbf, 0x34, 0x87, 0xc0, 0x00}), 384);
const std::string kDec3Stereo = bytes({0x03, 0x00, 0x20, 0x04, 0x00});
const std::string kEac351 = eac3_frame(bytes({0x0b, 0x77, 0x01, 0xff, 0x3f, 0x87, 0xc0, 0x00}), 1024);
const std::string kDec351 = bytes({0x08, 0x00, 0x20, 0x0f, 0x00});

}  // namespace

TEST(KernelMp4Test, Ac3AndEac3Config) {
    std::string c;
    int rate = 0;
    int channels = 0;
    ASSERT_TRUE(srs_ac3_parse_dac3(kAc3Mono.data(), (int)kAc3Mono.size(), &c, &rate, &channels) == srs_success);
    EXPECT_EQ(kDac3Mono, c);
    EXPECT_EQ(48000, rate);
    EXPECT_EQ(1, channels);
    // 3/2 with LFE: the centre and surround mix levels are skipped before lfeon.
    ASSERT_TRUE(srs_ac3_parse_dac3(kAc351.data(), (int)kAc351.size(), &c, &rate, &channels) == srs_success);
    EXPECT_EQ(kDac351, c);
    EXPECT_EQ(44100, rate);
    EXPECT_EQ(6, channels);

    ASSERT_TRUE(srs_eac3_parse_dec3(kEac3Stereo.data(), (int)kEac3Stereo.size(), &c, &rate, &channels) == srs_success);
    EXPECT_EQ(kDec3Stereo, c);
    EXPECT_EQ(48000, rate);
    EXPECT_EQ(2, channels);
    ASSERT_TRUE(srs_eac3_parse_dec3(kEac351.data(), (int)kEac351.size(), &c, &rate, &channels) == srs_success);
    EXPECT_EQ(kDec351, c);
    EXPECT_EQ(6, channels);

    // Errors: no syncword, truncated, E-AC-3 given as AC-3 (bsid 16) and back, a dependent
    // substream, an access unit longer than its first frame.
    for (const std::string& bad :
         {std::string("\x0b\x76\x48\x0d\x0c\x40\x2f", 7), kAc3Mono.substr(0, 5), kEac3Stereo.substr(0, 8)}) {
        srs_error_t err = srs_ac3_parse_dac3(bad.data(), (int)bad.size(), &c, &rate, &channels);
        EXPECT_TRUE(err != srs_success);
        srs_error_reset(err);
    }
    std::string dependent = kEac3Stereo;
    dependent[2] = (char)(0x40 | dependent[2]);
    for (const std::string& bad : {kAc3Mono, kEac3Stereo.substr(0, 5), kEac3Stereo + kEac3Stereo, dependent}) {
        srs_error_t err = srs_eac3_parse_dec3(bad.data(), (int)bad.size(), &c, &rate, &channels);
        EXPECT_TRUE(err != srs_success);
        srs_error_reset(err);
    }
}

TEST(KernelMp4Test, Ac3SampleEntries) {
    // ETSI TS 102 366 F.3/F.5: ac-3 / ec-3 AudioSampleEntry (channelcount 2) with dac3 / dec3.
    SrsMp4Track a;
    a.kind = SrsMp4TrackKind::Audio;
    a.acodec = SrsAudioCodecIdAC3;
    a.config = kDac351;
    a.sample_rate = 44100;
    a.channels = 6;
    std::string stsd = srs_mp4_stsd(a);
    EXPECT_EQ("ac-3", stsd.substr(20, 4));
    EXPECT_EQ(2u, rb16(stsd, 40));
    EXPECT_EQ(44100u << 16, rb32(stsd, 48));
    EXPECT_EQ(11u, rb32(stsd, 52));
    EXPECT_EQ("dac3", stsd.substr(56, 4));
    EXPECT_EQ(kDac351, box_body(stsd, "dac3"));
    EXPECT_EQ(rb32(stsd, 0), stsd.size());
    a.acodec = SrsAudioCodecIdEAC3;
    a.config = kDec3Stereo;
    stsd = srs_mp4_stsd(a);
    EXPECT_EQ("ec-3", stsd.substr(20, 4));
    EXPECT_EQ(kDec3Stereo, box_body(stsd, "dec3"));
}

TEST(KernelMp4Test, MuxerEnhancedEac3) {
    MemSeekWriter w;
    SrsMp4Muxer m(&w);
    ASSERT_TRUE(m.open() == srs_success);
    // A SequenceStart (whatever it carries) does not configure the track: the first frame does.
    std::string sh = SrsExTagWriter::audio(0, SrsExAudioFourCCEAC3) + "xx";
    ASSERT_TRUE(m.write_audio(0, sh.data(), sh.size()) == srs_success);
    // A frame that does not parse is dropped, the next one configures the track.
    std::string bad = SrsExTagWriter::audio(1, SrsExAudioFourCCEAC3) + "\x0b\x77";
    ASSERT_TRUE(m.write_audio(0, bad.data(), bad.size()) == srs_success);
    for (int i = 0; i < 3; i++) {
        std::string tag = SrsExTagWriter::audio(1, SrsExAudioFourCCEAC3) + kEac3Stereo;
        ASSERT_TRUE(m.write_audio(i * 32, tag.data(), tag.size()) == srs_success);
    }
    ASSERT_TRUE(m.close() == srs_success);
    ASSERT_EQ(3u, m.audio().samples.size());
    EXPECT_EQ(384u, m.audio().samples[0].size);
    EXPECT_EQ(48000, m.audio().sample_rate);
    std::string f = w.flat();
    EXPECT_EQ(kEac3Stereo, f.substr(m.audio().samples[2].offset, m.audio().samples[2].size));
    EXPECT_EQ(kDec3Stereo, box_body(file_stsd(f, 0), "dec3"));
}
