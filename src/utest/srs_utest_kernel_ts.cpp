#include <gtest/gtest.h>

#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_kernel_ts.hpp>
#include <srs_utest_kernel_media.hpp>

#include <map>

using namespace srs_utest;

namespace {

// An independent bit-by-bit MPEG-2 CRC32, to check the table-driven one.
uint32_t crc32_bitwise(const uint8_t* p, size_t n) {
    uint32_t crc = 0xffffffff;
    for (size_t i = 0; i < n; i++) {
        for (int b = 7; b >= 0; b--) {
            bool bit = ((crc >> 31) & 1) ^ ((p[i] >> b) & 1);
            crc <<= 1;
            if (bit) {
                crc ^= 0x04c11db7;
            }
        }
    }
    return crc;
}

// One parsed TS packet.
struct TsPacket {
    int pid = 0;
    bool pusi = false;
    int cc = 0;
    bool has_af = false;
    int af_length = -1;
    bool random_access = false;
    bool has_pcr = false;
    int64_t pcr_base = 0;
    std::string payload;
};

// A minimal TS parser for the checks; fails the test on malformed packets.
std::vector<TsPacket> parse_ts(const std::string& ts) {
    std::vector<TsPacket> out;
    EXPECT_EQ(0u, ts.size() % 188) << "size " << ts.size();
    for (size_t off = 0; off + 188 <= ts.size(); off += 188) {
        const uint8_t* p = (const uint8_t*)ts.data() + off;
        TsPacket t;
        EXPECT_EQ(0x47, p[0]) << "sync at " << off;
        EXPECT_EQ(0, p[1] & 0x80) << "transport_error_indicator";
        t.pusi = p[1] & 0x40;
        t.pid = ((p[1] & 0x1f) << 8) | p[2];
        int afc = (p[3] >> 4) & 0x03;
        t.cc = p[3] & 0x0f;
        EXPECT_NE(0, afc & 0x01) << "every packet we write has payload";
        int pos = 4;
        if (afc & 0x02) {
            t.has_af = true;
            t.af_length = p[4];
            EXPECT_LE(t.af_length, 183);
            if (t.af_length > 0) {
                uint8_t flags = p[5];
                t.random_access = flags & 0x40;
                t.has_pcr = flags & 0x10;
                if (t.has_pcr) {
                    const uint8_t* c = p + 6;
                    t.pcr_base = ((int64_t)c[0] << 25) | ((int64_t)c[1] << 17) | ((int64_t)c[2] << 9) |
                                 ((int64_t)c[3] << 1) | (c[4] >> 7);
                    EXPECT_EQ(0x7e, c[4] & 0x7e) << "PCR reserved bits";
                }
                int used = 1 + (t.has_pcr ? 6 : 0);
                for (int i = used; i < t.af_length; i++) {
                    EXPECT_EQ(0xff, p[5 + i]) << "stuffing byte";
                }
            }
            pos = 5 + t.af_length;
        }
        t.payload.assign((const char*)p + pos, 188 - pos);
        out.push_back(t);
    }
    return out;
}

int64_t pes_timestamp(const uint8_t* p) {
    EXPECT_EQ(1, p[0] & 0x01);
    EXPECT_EQ(1, p[2] & 0x01);
    EXPECT_EQ(1, p[4] & 0x01);
    return ((int64_t)(p[0] & 0x0e) << 29) | ((int64_t)p[1] << 22) | ((int64_t)(p[2] & 0xfe) << 14) |
           ((int64_t)p[3] << 7) | (p[4] >> 1);
}

// One reassembled PES.
struct Pes {
    int pid = 0;
    int stream_id = 0;
    int64_t pts = -1;
    int64_t dts = -1;
    int packet_length = 0;
    bool random_access = false;
    bool has_pcr = false;
    int64_t pcr = -1;
    std::string data;
};

std::vector<Pes> collect_pes(const std::vector<TsPacket>& pkts, int pid) {
    std::vector<Pes> out;
    std::string cur;
    Pes meta;
    bool open = false;
    auto finish = [&]() {
        if (!open) {
            return;
        }
        const uint8_t* p = (const uint8_t*)cur.data();
        EXPECT_EQ(0, p[0]);
        EXPECT_EQ(0, p[1]);
        EXPECT_EQ(1, p[2]);
        meta.stream_id = p[3];
        meta.packet_length = (p[4] << 8) | p[5];
        EXPECT_EQ(0x80, p[6] & 0xc0);
        int flags = p[7] >> 6;
        int hlen = p[8];
        if (flags & 0x02) {
            EXPECT_EQ(flags == 3 ? 0x3 : 0x2, p[9] >> 4);
            meta.pts = pes_timestamp(p + 9);
        }
        if (flags == 3) {
            EXPECT_EQ(0x1, p[14] >> 4);
            meta.dts = pes_timestamp(p + 14);
        }
        if (meta.packet_length) {
            EXPECT_EQ(cur.size() - 6, (size_t)meta.packet_length);
        }
        meta.data = cur.substr(9 + hlen);
        out.push_back(meta);
        open = false;
    };
    for (const TsPacket& t : pkts) {
        if (t.pid != pid) {
            continue;
        }
        if (t.pusi) {
            finish();
            meta = Pes();
            meta.pid = pid;
            meta.random_access = t.random_access;
            meta.has_pcr = t.has_pcr;
            meta.pcr = t.has_pcr ? t.pcr_base : -1;
            cur = t.payload;
            open = true;
        } else {
            EXPECT_TRUE(open);
            cur += t.payload;
        }
    }
    finish();
    return out;
}

// Continuity counters of a PID increase by one modulo 16.
void expect_continuity(const std::vector<TsPacket>& pkts, int pid) {
    int last = -1;
    for (const TsPacket& t : pkts) {
        if (t.pid != pid) {
            continue;
        }
        if (last >= 0) {
            EXPECT_EQ((last + 1) & 0x0f, t.cc) << "pid " << pid;
        }
        last = t.cc;
    }
}

// The PSI section of a PAT/PMT packet, CRC checked with the independent implementation.
std::string psi_section(const TsPacket& t) {
    EXPECT_TRUE(t.pusi);
    const uint8_t* p = (const uint8_t*)t.payload.data();
    EXPECT_EQ(0, p[0]) << "pointer_field";
    int section_length = ((p[2] & 0x0f) << 8) | p[3];
    int total = 3 + section_length;
    uint32_t crc = crc32_bitwise(p + 1, total - 4);
    uint32_t coded = ((uint32_t)p[total - 3] << 24) | (p[total - 2] << 16) | (p[total - 1] << 8) | p[total];
    EXPECT_EQ(crc, coded);
    // The whole section including its CRC gives 0 (ISO 13818-1 Annex A).
    EXPECT_EQ(0u, crc32_bitwise(p + 1, total));
    for (size_t i = 1 + total; i < t.payload.size(); i++) {
        EXPECT_EQ(0xff, (uint8_t)t.payload[i]);
    }
    return t.payload.substr(1, total);
}

}  // namespace

TEST(KernelTsTest, Crc32Mpeg2) {
    // The CRC-32/MPEG-2 check value.
    EXPECT_EQ(0x0376e6e7u, srs_crc32_mpegts("123456789", 9));
    std::string junk;
    for (int i = 0; i < 300; i++) {
        junk.push_back((char)(i * 37 + 11));
    }
    EXPECT_EQ(crc32_bitwise((const uint8_t*)junk.data(), junk.size()), srs_crc32_mpegts(junk.data(), (int)junk.size()));
}

TEST(KernelTsTest, PatPmtBytes) {
    SrsMemoryWriter w;
    SrsTsMuxer m(&w);
    EXPECT_EQ(ERROR_KERNEL_TS_MUX, srs_error_code(m.write_pat_pmt()));
    m.set_streams(SrsTsStreamVideoH264, SrsTsStreamAudioAAC);
    ASSERT_TRUE(m.write_pat_pmt() == srs_success);
    ASSERT_EQ(2u * 188, w.bytes().size());
    std::vector<TsPacket> pkts = parse_ts(w.bytes());
    ASSERT_EQ(2u, pkts.size());
    EXPECT_EQ(0, pkts[0].pid);
    EXPECT_EQ(0x1001, pkts[1].pid);
    EXPECT_FALSE(pkts[0].has_af);

    std::string pat = psi_section(pkts[0]);
    const unsigned char pat_expect[] = {0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1, 0x00, 0x00, 0x00, 0x01, 0xf0, 0x01};
    ASSERT_EQ(16u, pat.size());
    EXPECT_EQ(0, memcmp(pat_expect, pat.data(), sizeof(pat_expect)));

    std::string pmt = psi_section(pkts[1]);
    ASSERT_EQ(26u, pmt.size());
    const uint8_t* p = (const uint8_t*)pmt.data();
    EXPECT_EQ(0x02, p[0]);
    EXPECT_EQ(23, ((p[1] & 0x0f) << 8) | p[2]);
    EXPECT_EQ(1, (p[3] << 8) | p[4]);               // program_number
    EXPECT_EQ(0x100, ((p[8] & 0x1f) << 8) | p[9]);  // PCR_PID
    EXPECT_EQ(0x1b, p[12]);
    EXPECT_EQ(0x100, ((p[13] & 0x1f) << 8) | p[14]);
    EXPECT_EQ(0x0f, p[17]);
    EXPECT_EQ(0x101, ((p[18] & 0x1f) << 8) | p[19]);

    // Audio only: PCR on the audio PID, and a new PMT version.
    int version = (p[5] >> 1) & 0x1f;
    w.bytes().clear();
    m.set_streams(SrsTsStreamReserved, SrsTsStreamAudioMp3);
    ASSERT_TRUE(m.write_pat_pmt() == srs_success);
    pkts = parse_ts(w.bytes());
    pmt = psi_section(pkts[1]);
    p = (const uint8_t*)pmt.data();
    EXPECT_EQ((version + 1) & 0x1f, (p[5] >> 1) & 0x1f);
    EXPECT_EQ(0x101, ((p[8] & 0x1f) << 8) | p[9]);
    EXPECT_EQ(0x03, p[12]);
    // The PAT/PMT continuity counters advanced.
    EXPECT_EQ(1, pkts[0].cc);
    EXPECT_EQ(1, pkts[1].cc);
}

TEST(KernelTsTest, VideoPesWithPcrAndTimestamps) {
    SrsMemoryWriter w;
    SrsTsMuxer m(&w);
    m.set_streams(SrsTsStreamVideoH264, SrsTsStreamAudioAAC);
    std::string payload;
    for (int i = 0; i < 1000; i++) {
        payload.push_back((char)i);
    }
    // dts = 1000 ms, pts = 1080 ms, near the 33-bit edge to check the high bits.
    int64_t dts = 0x1fffffff0LL, pts = (dts + 7200) & 0x1ffffffffLL;
    ASSERT_TRUE(m.encode_pes(true, pts, dts, true, true, payload.data(), (int)payload.size()) == srs_success);
    ASSERT_TRUE(m.flush() == srs_success);
    EXPECT_EQ(1, w.calls());

    std::vector<TsPacket> pkts = parse_ts(w.bytes());
    // 1000 + 19 header bytes: 176 in the first packet (8 bytes of AF), then 184 per packet.
    ASSERT_EQ(6u, pkts.size());
    EXPECT_TRUE(pkts[0].pusi);
    EXPECT_TRUE(pkts[0].random_access);
    EXPECT_TRUE(pkts[0].has_pcr);
    EXPECT_EQ(dts, pkts[0].pcr_base);
    EXPECT_EQ(7, pkts[0].af_length);
    for (size_t i = 1; i < pkts.size(); i++) {
        EXPECT_FALSE(pkts[i].pusi);
        EXPECT_FALSE(pkts[i].has_pcr);
    }
    // The last packet is padded by adaptation-field stuffing.
    EXPECT_TRUE(pkts.back().has_af);
    expect_continuity(pkts, 0x100);
    EXPECT_EQ(0, pkts[0].cc);

    std::vector<Pes> pes = collect_pes(pkts, 0x100);
    ASSERT_EQ(1u, pes.size());
    EXPECT_EQ(0xe0, pes[0].stream_id);
    EXPECT_EQ(pts, pes[0].pts);
    EXPECT_EQ(dts, pes[0].dts);
    EXPECT_EQ(payload, pes[0].data);

    // pts == dts: only the PTS is coded.
    w.bytes().clear();
    ASSERT_TRUE(m.encode_pes(true, 900, 900, false, false, "abc", 3) == srs_success);
    ASSERT_TRUE(m.flush() == srs_success);
    pkts = parse_ts(w.bytes());
    ASSERT_EQ(1u, pkts.size());
    EXPECT_EQ(6, pkts[0].cc);
    pes = collect_pes(pkts, 0x100);
    EXPECT_EQ(900, pes[0].pts);
    EXPECT_EQ(-1, pes[0].dts);
    EXPECT_FALSE(pes[0].random_access);
    EXPECT_EQ("abc", pes[0].data);
}

TEST(KernelTsTest, StuffingAtEveryPayloadSize) {
    // Every split of the payload over packets, including the 1-byte adaptation field.
    for (int size = 1; size <= 400; size++) {
        SrsMemoryWriter w;
        SrsTsMuxer m(&w);
        m.set_streams(SrsTsStreamVideoH264, SrsTsStreamAudioAAC);
        std::string payload(size, 'x');
        for (int i = 0; i < size; i++) {
            payload[i] = (char)(i * 7);
        }
        bool video = size % 2 == 0;
        bool pcr = size % 3 == 0;
        ASSERT_TRUE(m.encode_pes(video, 1000, 1000, false, pcr, payload.data(), size) == srs_success);
        ASSERT_TRUE(m.flush() == srs_success);
        std::vector<TsPacket> pkts = parse_ts(w.bytes());
        std::vector<Pes> pes = collect_pes(pkts, video ? 0x100 : 0x101);
        ASSERT_EQ(1u, pes.size()) << size;
        EXPECT_EQ(payload, pes[0].data) << size;
        EXPECT_EQ(pcr, pes[0].has_pcr);
        if (!video) {
            EXPECT_EQ(0xc0, pes[0].stream_id);
            EXPECT_EQ(3 + 5 + size, pes[0].packet_length);
        }
    }
}

TEST(KernelTsTest, ContinuityCounterWraps) {
    SrsMemoryWriter w;
    SrsTsMuxer m(&w);
    m.set_streams(SrsTsStreamVideoH264, SrsTsStreamAudioAAC);
    for (int i = 0; i < 20; i++) {
        ASSERT_TRUE(m.encode_pes(false, i * 1920, i * 1920, false, false, "ab", 2) == srs_success);
    }
    ASSERT_TRUE(m.flush() == srs_success);
    std::vector<TsPacket> pkts = parse_ts(w.bytes());
    ASSERT_EQ(20u, pkts.size());
    for (int i = 0; i < 20; i++) {
        EXPECT_EQ(i % 16, pkts[i].cc);
    }
    expect_continuity(pkts, 0x101);
    EXPECT_EQ(ERROR_KERNEL_TS_MUX, srs_error_code(m.encode_pes(false, 0, 0, false, false, "", 0)));
    std::string big(70000, 'a');
    EXPECT_EQ(ERROR_KERNEL_TS_MUX, srs_error_code(m.encode_pes(false, 0, 0, false, false, big.data(), 70000)));
}

namespace {

// Feeds a small H.264 + AAC stream (sequence headers, then frames) to a transmuxer.
void feed_av(SrsTsTransmuxer* t, int frames) {
    std::string vsh = flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()));
    std::string ash = flv_aac(0, std::string("\x12\x10", 2));
    ASSERT_TRUE(t->write_video(0, vsh.data(), (int)vsh.size()) == srs_success);
    ASSERT_TRUE(t->write_audio(0, ash.data(), (int)ash.size()) == srs_success);
    for (int i = 0; i < frames; i++) {
        bool key = i % 10 == 0;
        std::string nalu = key ? std::string("\x65\x88\x84\x00", 4) : std::string("\x41\x9a\x02", 3);
        nalu.append(300, (char)i);
        std::string v = flv_video(key ? 1 : 2, 7, 1, 40, avcc_nalus({nalu}));
        ASSERT_TRUE(t->write_video(i * 40, v.data(), (int)v.size()) == srs_success);
        std::string a = flv_aac(1, std::string(200, (char)i));
        ASSERT_TRUE(t->write_audio(i * 40 + 10, a.data(), (int)a.size()) == srs_success);
    }
}

}  // namespace

TEST(KernelTsTest, TransmuxerAvStream) {
    SrsMemoryWriter w;
    SrsTsTransmuxer t(&w);
    feed_av(&t, 12);
    std::vector<TsPacket> pkts = parse_ts(w.bytes());
    ASSERT_GE(pkts.size(), 4u);
    EXPECT_EQ(0, pkts[0].pid);
    EXPECT_EQ(0x1001, pkts[1].pid);
    std::string pmt = psi_section(pkts[1]);
    EXPECT_EQ(0x1b, (uint8_t)pmt[12]);
    EXPECT_EQ(0x0f, (uint8_t)pmt[17]);
    expect_continuity(pkts, 0x100);
    expect_continuity(pkts, 0x101);
    expect_continuity(pkts, 0);
    expect_continuity(pkts, 0x1001);

    std::vector<Pes> video = collect_pes(pkts, 0x100);
    ASSERT_EQ(12u, video.size());
    for (int i = 0; i < 12; i++) {
        EXPECT_EQ(i * 40 * 90, video[i].dts == -1 ? video[i].pts : video[i].dts);
        EXPECT_EQ((i * 40 + 40) * 90, video[i].pts);
        EXPECT_TRUE(video[i].has_pcr);
        EXPECT_EQ(i * 40 * 90, video[i].pcr);
        EXPECT_EQ(i % 10 == 0, video[i].random_access);
        // Every access unit starts with an AUD.
        EXPECT_EQ(std::string("\x00\x00\x00\x01\x09\xf0", 6), video[i].data.substr(0, 6));
    }
    // Keyframes carry SPS/PPS.
    EXPECT_EQ(std::string("\x00\x00\x00\x01", 4) + avc_sps(), video[0].data.substr(6, 4 + avc_sps().size()));

    std::vector<Pes> audio = collect_pes(pkts, 0x101);
    ASSERT_EQ(12u, audio.size());
    for (int i = 0; i < 12; i++) {
        EXPECT_EQ(0xc0, audio[i].stream_id);
        EXPECT_EQ((i * 40 + 10) * 90, audio[i].pts);
        EXPECT_EQ(-1, audio[i].dts);
        EXPECT_FALSE(audio[i].has_pcr);
        ASSERT_EQ(207u, audio[i].data.size());
        EXPECT_EQ(std::string("\xff\xf1\x50\x80", 4), audio[i].data.substr(0, 4));
    }
    // PAT/PMT again at the second keyframe.
    int pats = 0;
    for (const TsPacket& p : pkts) {
        pats += p.pid == 0;
    }
    EXPECT_EQ(2, pats);
}

TEST(KernelTsTest, TransmuxerSegmentsAndAudioOnly) {
    SrsMemoryWriter w1, w2;
    SrsTsTransmuxer t(&w1);
    t.set_audio_merge_ms(100);
    std::string ash = flv_aac(0, std::string("\x12\x10", 2));
    ASSERT_TRUE(t.write_audio(0, ash.data(), (int)ash.size()) == srs_success);
    for (int i = 0; i < 10; i++) {
        std::string a = flv_aac(1, std::string(100, 'a'));
        ASSERT_TRUE(t.write_audio(i * 23, a.data(), (int)a.size()) == srs_success);
    }
    // The tail of the merge buffer goes to the old writer on a segment change.
    ASSERT_TRUE(t.set_writer(&w2) == srs_success);
    std::string a = flv_aac(1, std::string(100, 'b'));
    ASSERT_TRUE(t.write_audio(1000, a.data(), (int)a.size()) == srs_success);
    ASSERT_TRUE(t.flush_audio() == srs_success);

    std::vector<TsPacket> p1 = parse_ts(w1.bytes());
    ASSERT_GE(p1.size(), 3u);
    EXPECT_EQ(0, p1[0].pid);
    std::string pmt = psi_section(p1[1]);
    EXPECT_EQ(0x101, (((uint8_t)pmt[8] & 0x1f) << 8) | (uint8_t)pmt[9]);
    std::vector<Pes> audio = collect_pes(p1, 0x101);
    // Frames at 0..207 ms merged until a PES spans 100 ms: [0..115] and, flushed by the
    // segment change, [138..207].
    ASSERT_EQ(2u, audio.size());
    EXPECT_EQ(6u * 107, audio[0].data.size());
    EXPECT_EQ(4u * 107, audio[1].data.size());
    EXPECT_EQ(0, audio[0].pts);
    EXPECT_EQ(138 * 90, audio[1].pts);
    EXPECT_TRUE(audio[0].has_pcr);
    EXPECT_EQ(0, audio[0].pcr);

    // The new segment starts with PAT/PMT, continuity carries on.
    std::vector<TsPacket> p2 = parse_ts(w2.bytes());
    ASSERT_EQ(3u, p2.size());
    EXPECT_EQ(0, p2[0].pid);
    EXPECT_EQ(0x1001, p2[1].pid);
    EXPECT_EQ(0x101, p2[2].pid);
    EXPECT_EQ((p1.back().cc + 1) & 0x0f, p2[2].cc);
}

TEST(KernelTsTest, TransmuxerErrorsAndIgnoredInput) {
    SrsMemoryWriter w;
    SrsTsTransmuxer t(&w);
    // Frames before any sequence header write nothing.
    std::string v = flv_video(1, 7, 1, 0, avcc_nalus({std::string("\x65\x88", 2)}));
    EXPECT_TRUE(t.write_video(0, v.data(), (int)v.size()) == srs_success);
    std::string a = flv_aac(1, std::string(10, 'a'));
    EXPECT_TRUE(t.write_audio(0, a.data(), (int)a.size()) == srs_success);
    // Script data is ignored; malformed tags fail.
    SrsMediaMessage script = SrsMediaMessage::create(SrsMsgAMF0Data, 0, 0, "\x02", 1);
    EXPECT_TRUE(t.write_message(script) == srs_success);
    EXPECT_EQ(0u, w.bytes().size());
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(t.write_video(0, "\x17", 1)));
    // Speex is not carried by TS: dropped without error.
    EXPECT_TRUE(t.write_audio(0, "\xb6\x01\x02", 3) == srs_success);
    EXPECT_EQ(0u, w.bytes().size());
}
