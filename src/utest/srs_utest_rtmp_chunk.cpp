// Tests of the RTMP chunk stream: hand-made chunk bytes per RTMP spec 5.3 for the decoder,
// protocol control, limits, and round trips through the encoder.
#include <gtest/gtest.h>

#include <srs_core_st.hpp>
#include <srs_protocol_rtmp_chunk.hpp>
#include <srs_protocol_rtmp_stack.hpp>
#include <srs_utest_mock_io.hpp>

#include <string>
#include <vector>

namespace {

// Builds chunk bytes by hand, field by field, independently of the encoder.
class ChunkBytes {
public:
    std::string s;

    ChunkBytes& basic(int fmt, int csid) {
        if (csid < 64) {
            u8((fmt << 6) | csid);
        } else if (csid < 320) {
            u8(fmt << 6);
            u8(csid - 64);
        } else {
            u8((fmt << 6) | 1);
            u8((csid - 64) & 0xff);
            u8((csid - 64) >> 8);
        }
        return *this;
    }
    // fmt 0: timestamp, length, type, stream id (little endian), then extended timestamp.
    ChunkBytes& fmt0(int csid, uint32_t ts, int len, int type, uint32_t sid) {
        basic(0, csid);
        be24(ts >= 0xffffff ? 0xffffff : ts);
        be24(len);
        u8(type);
        u8(sid & 0xff);
        u8((sid >> 8) & 0xff);
        u8((sid >> 16) & 0xff);
        u8(sid >> 24);
        if (ts >= 0xffffff) {
            be32(ts);
        }
        return *this;
    }
    ChunkBytes& fmt1(int csid, uint32_t delta, int len, int type) {
        basic(1, csid);
        be24(delta >= 0xffffff ? 0xffffff : delta);
        be24(len);
        u8(type);
        if (delta >= 0xffffff) {
            be32(delta);
        }
        return *this;
    }
    ChunkBytes& fmt2(int csid, uint32_t delta) {
        basic(2, csid);
        be24(delta >= 0xffffff ? 0xffffff : delta);
        if (delta >= 0xffffff) {
            be32(delta);
        }
        return *this;
    }
    ChunkBytes& fmt3(int csid) { return basic(3, csid); }
    ChunkBytes& data(const std::string& d) {
        s += d;
        return *this;
    }
    ChunkBytes& u8(int v) {
        s.push_back((char)v);
        return *this;
    }
    ChunkBytes& be16(uint32_t v) { return u8(v >> 8).u8(v & 0xff); }
    ChunkBytes& be24(uint32_t v) { return u8((v >> 16) & 0xff).u8((v >> 8) & 0xff).u8(v & 0xff); }
    ChunkBytes& be32(uint32_t v) { return u8(v >> 24).u8((v >> 16) & 0xff).u8((v >> 8) & 0xff).u8(v & 0xff); }

    // A whole control message on csid 2, stream 0.
    ChunkBytes& control(int type, const std::string& payload) {
        return fmt0(2, 0, (int)payload.size(), type, 0).data(payload);
    }
};

std::string be32s(uint32_t v) {
    ChunkBytes b;
    b.be32(v);
    return b.s;
}

std::string pattern(int size, int seed = 0) {
    std::string s(size, '\0');
    for (int i = 0; i < size; i++) {
        s[i] = (char)((i * 7 + seed) & 0xff);
    }
    return s;
}

std::string body(const SrsMediaMessage& m) {
    return std::string(m.data() ? m.data() : "", m.size());
}

// Decodes everything a protocol wrote, with a second protocol instance.
std::vector<SrsMediaMessage> decode_all(const std::string& bytes) {
    SrsMockIo io(bytes);
    SrsRtmpProtocol p(&io);
    std::vector<SrsMediaMessage> out;
    while (true) {
        SrsMediaMessage m;
        srs_error_t err = p.recv_message(&m);
        if (err) {
            // The end of the bytes; anything else is a decode failure.
            if (srs_error_code(err) != ERROR_SOCKET_READ) {
                ADD_FAILURE() << srs_error_desc(err);
            }
            break;
        }
        out.push_back(m);
    }
    return out;
}

}  // namespace

TEST(RtmpChunkTest, BasicHeaderSizes) {
    // One, two and three byte basic headers, at each boundary (RTMP spec 5.3.1.1).
    for (int csid : {2, 3, 63, 64, 65, 319, 320, 321, 1000, 65599}) {
        ChunkBytes b;
        b.fmt0(csid, 10, 5, SrsMsgAudio, 1).data("hello");
        int expected_header = csid < 64 ? 1 : (csid < 320 ? 2 : 3);
        EXPECT_EQ((size_t)(expected_header + 11 + 5), b.s.size());
        EXPECT_EQ(expected_header, srs_rtmp_basic_header_size(csid));

        SrsMockIo io(b.s);
        SrsRtmpProtocol p(&io);
        SrsMediaMessage m;
        srs_error_t err = p.recv_message(&m);
        ASSERT_FALSE(err) << csid << " " << srs_error_desc(err);
        EXPECT_EQ(csid, m.cid);
        EXPECT_EQ(SrsMsgAudio, m.type);
        EXPECT_EQ(10, m.timestamp);
        EXPECT_EQ(1, m.stream_id);
        EXPECT_EQ("hello", body(m));
    }
}

TEST(RtmpChunkTest, MessageHeaderFormats) {
    // fmt 0, then fmt 1 (new length and type), fmt 2 (new delta), fmt 3 (all reused).
    ChunkBytes b;
    b.fmt0(4, 1000, 4, SrsMsgAudio, 0x01020304).data("aaaa");
    b.fmt1(4, 20, 5, SrsMsgVideo).data("bbbbb");
    b.fmt2(4, 30).data("ccccc");
    b.fmt3(4).data("ddddd");
    b.fmt3(4).data("eeeee");
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);

    struct {
        int type;
        int64_t ts;
        const char* data;
    } want[] = {{SrsMsgAudio, 1000, "aaaa"},
                {SrsMsgVideo, 1020, "bbbbb"},
                {SrsMsgVideo, 1050, "ccccc"},
                {SrsMsgVideo, 1080, "ddddd"},
                {SrsMsgVideo, 1110, "eeeee"}};
    for (auto& w : want) {
        SrsMediaMessage m;
        srs_error_t err = p.recv_message(&m);
        ASSERT_FALSE(err) << srs_error_desc(err);
        EXPECT_EQ(w.type, m.type);
        EXPECT_EQ(w.ts, m.timestamp);
        EXPECT_EQ(0x01020304, m.stream_id);
        EXPECT_EQ(w.data, body(m));
    }
    EXPECT_EQ(0u, io.unread());
}

TEST(RtmpChunkTest, Fmt3AfterFmt0UsesTimestampAsDelta) {
    // RTMP spec 5.3.1.2.4: after a fmt 0 chunk, the delta of a fmt 3 message is the
    // fmt 0 timestamp.
    ChunkBytes b;
    b.fmt0(5, 40, 2, SrsMsgAMF0Data, 1).data("xx");
    b.fmt3(5).data("yy");
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m1, m2;
    ASSERT_FALSE(p.recv_message(&m1));
    ASSERT_FALSE(p.recv_message(&m2));
    EXPECT_EQ(40, m1.timestamp);
    EXPECT_EQ(80, m2.timestamp);
    EXPECT_EQ("yy", body(m2));
}

TEST(RtmpChunkTest, MultiChunkMessage) {
    // 300 bytes in 128-byte chunks: fmt 0 then two fmt 3 continuations.
    std::string d = pattern(300);
    ChunkBytes b;
    b.fmt0(6, 33, 300, SrsMsgVideo, 1).data(d.substr(0, 128));
    b.fmt3(6).data(d.substr(128, 128));
    b.fmt3(6).data(d.substr(256));
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(d, body(m));
    EXPECT_EQ(33, m.timestamp);
    EXPECT_EQ(0u, io.unread());
}

TEST(RtmpChunkTest, PartialReads) {
    // A socket delivering one byte at a time gives the same result.
    std::string d = pattern(1000, 3);
    ChunkBytes b;
    b.fmt0(6, 0x1234567, 1000, SrsMsgVideo, 1).data(d.substr(0, 128));
    for (int off = 128; off < 1000; off += 128) {
        b.fmt3(6).be32(0x1234567).data(d.substr(off, 128));
    }
    SrsMockIo io(b.s);
    io.set_read_limit(1);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    srs_error_t err = p.recv_message(&m);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_EQ(d, body(m));
    EXPECT_EQ(0x1234567, m.timestamp);
}

TEST(RtmpChunkTest, ResumesAfterTimeout) {
    // Bytes arrive in small pieces with a timeout in between: every timeout may fall inside
    // a basic header, message header, extended timestamp or payload, and nothing is lost.
    std::string v = pattern(300, 1), a = pattern(200, 2);
    ChunkBytes b;
    b.fmt0(6, 0x1000000, 300, SrsMsgVideo, 1).data(v.substr(0, 128));
    b.fmt0(400, 90, 200, SrsMsgAudio, 1).data(a.substr(0, 128));
    b.fmt3(6).be32(0x1000000).data(v.substr(128, 128));
    b.fmt3(400).data(a.substr(128));
    b.fmt3(6).be32(0x1000000).data(v.substr(256));
    b.control(SrsMsgSetChunkSize, be32s(20000));
    std::string big = pattern(17000, 3);
    b.fmt0(6, 5, (int)big.size(), SrsMsgVideo, 1).data(big);
    for (size_t step : {1, 2, 5, 13, 1000}) {
        SrsMockIo io;
        io.set_timeout_at_eof(true);
        SrsRtmpProtocol p(&io);
        std::vector<SrsMediaMessage> got;
        int timeouts = 0;
        for (size_t off = 0; off < b.s.size(); off += step) {
            io.append(b.s.substr(off, step));
            while (true) {
                SrsMediaMessage m;
                srs_error_t err = p.recv_message(&m);
                if (err) {
                    ASSERT_EQ(ERROR_SOCKET_TIMEOUT, srs_error_code(err)) << srs_error_desc(err);
                    timeouts++;
                    break;
                }
                got.push_back(m);
            }
        }
        ASSERT_EQ(4u, got.size()) << step;
        EXPECT_EQ(a, body(got[0]));
        EXPECT_EQ(v, body(got[1]));
        EXPECT_EQ(0x1000000, got[1].timestamp);
        EXPECT_EQ(SrsMsgSetChunkSize, got[2].type);
        EXPECT_EQ(big, body(got[3]));
        EXPECT_GT(timeouts, 0);
    }
}

TEST(RtmpChunkTest, ExtendedTimestampRepeatedInFmt3) {
    // Flash/FMLE: fmt 3 continuation chunks repeat the extended timestamp.
    std::string d = pattern(200);
    ChunkBytes b;
    b.fmt0(6, 0x1000000, 200, SrsMsgVideo, 1).data(d.substr(0, 128));
    b.fmt3(6).be32(0x1000000).data(d.substr(128));
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(0x1000000, m.timestamp);
    EXPECT_EQ(d, body(m));
    EXPECT_EQ(0u, io.unread());
}

TEST(RtmpChunkTest, ExtendedTimestampNotRepeatedInFmt3) {
    // ffmpeg/librtmp style: no repeat; the payload's first bytes differ from the timestamp.
    std::string d = pattern(200);
    ChunkBytes b;
    b.fmt0(6, 0xFFFFFF, 200, SrsMsgVideo, 1).data(d.substr(0, 128));
    b.fmt3(6).data(d.substr(128));
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(0xFFFFFF, m.timestamp);
    EXPECT_EQ(d, body(m));
    EXPECT_EQ(0u, io.unread());
}

TEST(RtmpChunkTest, ExtendedTimestampDeltas) {
    // Extended deltas in fmt 1 and fmt 2, and a fmt 3 new message repeating the delta.
    ChunkBytes b;
    b.fmt0(7, 100, 1, SrsMsgAudio, 1).data("a");
    b.fmt1(7, 0x2000000, 1, SrsMsgAudio).data("b");
    b.fmt2(7, 0x1000000).data("c");
    b.fmt3(7).be32(0x1000000).data("d");
    // Without the repeat too.
    b.fmt3(7).data("e");
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    int64_t want[] = {100, 100 + 0x2000000, 100 + 0x3000000, 100 + 0x4000000, 100 + 0x5000000};
    std::string bodies = "abcde";
    for (int i = 0; i < 5; i++) {
        SrsMediaMessage m;
        srs_error_t err = p.recv_message(&m);
        ASSERT_FALSE(err) << i << " " << srs_error_desc(err);
        EXPECT_EQ(want[i], m.timestamp) << i;
        EXPECT_EQ(bodies.substr(i, 1), body(m)) << i;
    }
    EXPECT_EQ(0u, io.unread());
}

TEST(RtmpChunkTest, TimestampsAre32Bits) {
    ChunkBytes b;
    b.fmt0(7, 0xFFFFFFF0, 1, SrsMsgAudio, 1).data("a");
    b.fmt2(7, 0x20).data("b");
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(0xFFFFFFF0LL, m.timestamp);
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(0x10, m.timestamp);
}

TEST(RtmpChunkTest, ChunkSizeChangeMidStream) {
    std::string d = pattern(3000);
    ChunkBytes b;
    b.control(SrsMsgSetChunkSize, be32s(4096));
    b.fmt0(6, 0, 3000, SrsMsgVideo, 1).data(d);
    b.control(SrsMsgSetChunkSize, be32s(0x7fffffff));
    std::string big = pattern(70000, 1);
    b.fmt0(6, 0, (int)big.size(), SrsMsgVideo, 1).data(big);
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(SrsMsgSetChunkSize, m.type);
    EXPECT_EQ(4096, p.in_chunk_size());
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(d, body(m));
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(0x7fffffff, p.in_chunk_size());
    srs_error_t err = p.recv_message(&m);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_EQ(big, body(m));
}

TEST(RtmpChunkTest, InvalidChunkSize) {
    for (uint32_t v : {0u, 0x80000000u, 0xffffffffu}) {
        ChunkBytes b;
        b.control(SrsMsgSetChunkSize, be32s(v));
        SrsMockIo io(b.s);
        SrsRtmpProtocol p(&io);
        SrsMediaMessage m;
        srs_error_t err = p.recv_message(&m);
        ASSERT_TRUE(err) << v;
        EXPECT_EQ(ERROR_RTMP_CHUNK_SIZE, srs_error_code(err));
    }
    // Too short a payload.
    ChunkBytes b;
    b.control(SrsMsgSetChunkSize, "ab");
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    srs_error_t err = p.recv_message(&m);
    EXPECT_EQ(ERROR_RTMP_PACKET_SIZE, srs_error_code(err));
}

TEST(RtmpChunkTest, InterleavedChunkStreams) {
    // Video and audio partial messages alternate chunk by chunk.
    std::string v = pattern(300, 1), a = pattern(200, 2);
    ChunkBytes b;
    b.fmt0(6, 100, 300, SrsMsgVideo, 1).data(v.substr(0, 128));
    b.fmt0(7, 90, 200, SrsMsgAudio, 1).data(a.substr(0, 128));
    b.fmt3(6).data(v.substr(128, 128));
    b.fmt3(7).data(a.substr(128));
    b.fmt3(6).data(v.substr(256));
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m1, m2;
    ASSERT_FALSE(p.recv_message(&m1));
    ASSERT_FALSE(p.recv_message(&m2));
    EXPECT_EQ(SrsMsgAudio, m1.type);
    EXPECT_EQ(a, body(m1));
    EXPECT_EQ(90, m1.timestamp);
    EXPECT_EQ(SrsMsgVideo, m2.type);
    EXPECT_EQ(v, body(m2));
    EXPECT_EQ(100, m2.timestamp);
}

TEST(RtmpChunkTest, AbortDropsPartialMessage) {
    std::string v = pattern(300, 1);
    ChunkBytes b;
    b.fmt0(6, 100, 300, SrsMsgVideo, 1).data(v.substr(0, 128));
    b.control(SrsMsgAbort, be32s(6));
    // After the abort, a new message may start on csid 6 with fmt 0.
    b.fmt0(6, 200, 3, SrsMsgVideo, 1).data("new");
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(SrsMsgAbort, m.type);
    srs_error_t err = p.recv_message(&m);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_EQ("new", body(m));
    EXPECT_EQ(200, m.timestamp);
    // Aborting an unknown or out-of-range chunk stream is harmless.
    ChunkBytes c;
    c.control(SrsMsgAbort, be32s(9999)).control(SrsMsgAbort, be32s(0xffffffff));
    SrsMockIo io2(c.s);
    SrsRtmpProtocol p2(&io2);
    ASSERT_FALSE(p2.recv_message(&m));
    ASSERT_FALSE(p2.recv_message(&m));
}

TEST(RtmpChunkTest, AcknowledgementAfterWindow) {
    // Set Chunk Size so the 600-byte messages are single chunks, then the peer's window.
    std::string d = pattern(600);
    ChunkBytes c;
    c.control(SrsMsgSetChunkSize, be32s(4096)).control(SrsMsgWindowAckSize, be32s(1000));
    c.fmt0(6, 0, 600, SrsMsgVideo, 1).data(d);
    c.fmt0(6, 0, 600, SrsMsgVideo, 1).data(d);
    SrsMockIo io(c.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(1000u, p.in_ack_window());
    ASSERT_FALSE(p.recv_message(&m));
    // 16 + 16 + 612 bytes received: under the window, no ack yet.
    EXPECT_TRUE(io.output().empty());
    ASSERT_FALSE(p.recv_message(&m));
    auto out = decode_all(io.output());
    ASSERT_EQ(1u, out.size());
    EXPECT_EQ(SrsMsgAcknowledgement, out[0].type);
    EXPECT_EQ(2, out[0].cid);
    ASSERT_EQ(4, out[0].size());
    // The sequence number is the bytes received so far.
    uint32_t seq = ((uint8_t)out[0].data()[0] << 24) | ((uint8_t)out[0].data()[1] << 16) |
                   ((uint8_t)out[0].data()[2] << 8) | (uint8_t)out[0].data()[3];
    EXPECT_EQ((uint32_t)c.s.size(), seq);
}

TEST(RtmpChunkTest, NoAcknowledgementWithoutWindow) {
    ChunkBytes b;
    std::string d = pattern(100);
    for (int i = 0; i < 50; i++) {
        b.fmt0(6, i, 100, SrsMsgVideo, 1).data(d);
    }
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    for (int i = 0; i < 50; i++) {
        SrsMediaMessage m;
        ASSERT_FALSE(p.recv_message(&m));
    }
    EXPECT_TRUE(io.output().empty());
}

TEST(RtmpChunkTest, PingAnswered) {
    ChunkBytes b;
    b.control(SrsMsgUserControl, ChunkBytes().be16(SrsUcPingRequest).be32(12345).s);
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    // The ping itself is returned to the caller too.
    EXPECT_EQ(SrsMsgUserControl, m.type);
    auto out = decode_all(io.output());
    ASSERT_EQ(1u, out.size());
    int event = 0;
    uint32_t data = 0, extra = 0;
    ASSERT_FALSE(srs_rtmp_decode_user_control(out[0], &event, &data, &extra));
    EXPECT_EQ(SrsUcPingResponse, event);
    EXPECT_EQ(12345u, data);
}

TEST(RtmpChunkTest, SetPeerBandwidthAnswered) {
    ChunkBytes b;
    b.control(SrsMsgSetPeerBandwidth, be32s(2500000) + std::string(1, (char)SrsPeerBandwidthDynamic));
    b.control(SrsMsgSetPeerBandwidth, be32s(2500000) + std::string(1, (char)SrsPeerBandwidthHard));
    b.control(SrsMsgSetPeerBandwidth, be32s(2500000) + std::string(1, (char)SrsPeerBandwidthHard));
    b.control(SrsMsgSetPeerBandwidth, be32s(5000000) + std::string(1, (char)SrsPeerBandwidthSoft));
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    for (int i = 0; i < 4; i++) {
        ASSERT_FALSE(p.recv_message(&m));
    }
    // Dynamic first is ignored, hard answered once, the same again and a larger soft not.
    auto out = decode_all(io.output());
    ASSERT_EQ(1u, out.size());
    EXPECT_EQ(SrsMsgWindowAckSize, out[0].type);
    EXPECT_EQ(be32s(2500000), body(out[0]));
    EXPECT_EQ(2500000u, p.out_ack_window());
}

TEST(RtmpChunkTest, PeerAcknowledgementRecorded) {
    ChunkBytes b;
    b.control(SrsMsgAcknowledgement, be32s(777));
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(777u, p.peer_ack_sequence());
}

TEST(RtmpChunkTest, UserControlDecode) {
    SrsMediaMessage m =
        SrsMediaMessage::create(SrsMsgUserControl, 0, 0, "\x00\x03\x00\x00\x00\x01\x00\x00\x0b\xb8", 10);
    int event = -1;
    uint32_t data = 0, extra = 0;
    ASSERT_FALSE(srs_rtmp_decode_user_control(m, &event, &data, &extra));
    EXPECT_EQ(SrsUcSetBufferLength, event);
    EXPECT_EQ(1u, data);
    EXPECT_EQ(3000u, extra);

    SrsMediaMessage shortbuf = SrsMediaMessage::create(SrsMsgUserControl, 0, 0, "\x00\x03\x00\x00\x00\x01", 6);
    srs_error_t err = srs_rtmp_decode_user_control(shortbuf, &event, &data, &extra);
    EXPECT_EQ(ERROR_RTMP_PACKET_SIZE, srs_error_code(err));
    SrsMediaMessage tiny = SrsMediaMessage::create(SrsMsgUserControl, 0, 0, "\x00", 1);
    err = srs_rtmp_decode_user_control(tiny, &event, &data, &extra);
    EXPECT_EQ(ERROR_RTMP_PACKET_SIZE, srs_error_code(err));
    SrsMediaMessage begin = SrsMediaMessage::create(SrsMsgUserControl, 0, 0, "\x00\x00\x00\x00", 4);
    err = srs_rtmp_decode_user_control(begin, &event, &data, &extra);
    EXPECT_EQ(ERROR_RTMP_PACKET_SIZE, srs_error_code(err));
    // SWF verification request carries no data.
    SrsMediaMessage swf = SrsMediaMessage::create(SrsMsgUserControl, 0, 0, "\x00\x1a", 2);
    ASSERT_FALSE(srs_rtmp_decode_user_control(swf, &event, &data, &extra));
    EXPECT_EQ(SrsUcSwfVerifyRequest, event);

    // Encode through the protocol and decode back.
    SrsMockIo io;
    SrsRtmpProtocol p(&io);
    ASSERT_FALSE(p.send_user_control(SrsUcStreamBegin, 1));
    ASSERT_FALSE(p.send_user_control(SrsUcSetBufferLength, 1, 3000));
    auto out = decode_all(io.output());
    ASSERT_EQ(2u, out.size());
    EXPECT_EQ(6, out[0].size());
    EXPECT_EQ(10, out[1].size());
    ASSERT_FALSE(srs_rtmp_decode_user_control(out[1], &event, &data, &extra));
    EXPECT_EQ(3000u, extra);

    // A malformed user control from a client is ignored, not fatal.
    ChunkBytes b;
    b.control(SrsMsgUserControl, std::string("\x00", 1));
    SrsMockIo io2(b.s);
    SrsRtmpProtocol p2(&io2);
    SrsMediaMessage got;
    ASSERT_FALSE(p2.recv_message(&got));
}

TEST(RtmpChunkTest, MessageTooLarge) {
    ChunkBytes b;
    b.fmt0(6, 0, 2000, SrsMsgVideo, 1).data(pattern(128));
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    p.set_max_message_size(1000);
    SrsMediaMessage m;
    srs_error_t err = p.recv_message(&m);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_RTMP_MESSAGE_TOO_LARGE, srs_error_code(err));

    // The default takes a 16 MiB message header but not 16 MiB + 1 (length is 24 bits, so
    // 0xffffff = 16 MiB - 1 is the largest a header can say; check the default allows it).
    ChunkBytes c;
    c.fmt0(6, 0, 0xffffff, SrsMsgVideo, 1);
    SrsMockIo io2(c.s);
    SrsRtmpProtocol p2(&io2);
    err = p2.recv_message(&m);
    ASSERT_TRUE(err);
    EXPECT_NE(ERROR_RTMP_MESSAGE_TOO_LARGE, srs_error_code(err));
}

TEST(RtmpChunkTest, TooManyChunkStreams) {
    ChunkBytes b;
    for (int csid = 10; csid < 14; csid++) {
        b.fmt0(csid, 0, 1, SrsMsgAudio, 1).data("x");
    }
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    p.set_max_chunk_streams(3);
    SrsMediaMessage m;
    for (int i = 0; i < 3; i++) {
        ASSERT_FALSE(p.recv_message(&m));
    }
    srs_error_t err = p.recv_message(&m);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_RTMP_CHUNK_STREAMS_LIMIT, srs_error_code(err));

    // The default limit, with 3-byte ids (map storage).
    ChunkBytes c;
    for (int i = 0; i < 129; i++) {
        c.fmt0(1000 + i, 0, 1, SrsMsgAudio, 1).data("x");
    }
    SrsMockIo io2(c.s);
    SrsRtmpProtocol p2(&io2);
    for (int i = 0; i < 128; i++) {
        ASSERT_FALSE(p2.recv_message(&m)) << i;
    }
    err = p2.recv_message(&m);
    EXPECT_EQ(ERROR_RTMP_CHUNK_STREAMS_LIMIT, srs_error_code(err));
}

// Partial messages on many chunk streams are bounded together: each is allocated whole at
// its first chunk, so a peer could otherwise make us hold 16 MiB per chunk stream.
TEST(RtmpChunkTest, PartialMessagesBoundedTogether) {
    // Three 400-byte messages started (one chunk each) on three chunk streams, limit 1000:
    // the third would make 1200 bytes.
    ChunkBytes b;
    for (int csid = 10; csid < 13; csid++) {
        b.fmt0(csid, 0, 400, SrsMsgVideo, 1).data(pattern(128));
    }
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    p.set_max_partial_bytes(1000);
    EXPECT_EQ(1000, p.max_partial_bytes());
    SrsMediaMessage m;
    srs_error_t err = p.recv_message(&m);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_RTMP_MESSAGE_TOO_LARGE, srs_error_code(err));
    EXPECT_NE(std::string::npos, srs_error_desc(err).find("partial messages would hold 1200 bytes, over 1000"))
        << srs_error_desc(err);
    EXPECT_EQ(800, p.partial_bytes());
    EXPECT_EQ(800, p.peak_partial_bytes());
    srs_error_reset(err);
}

// Bytes are counted while a message is assembled: completed and aborted messages give theirs
// back, so a publisher interleaving audio and video never nears the limit.
TEST(RtmpChunkTest, PartialBytesReleasedByCompletionAndAbort) {
    std::string v = pattern(600, 3);
    ChunkBytes b;
    // 600 bytes of video in 5 chunks, audio of 100 bytes between its chunks, limit 700.
    b.fmt0(6, 0, 600, SrsMsgVideo, 1).data(v.substr(0, 128));
    b.fmt0(4, 0, 100, SrsMsgAudio, 1).data(pattern(100, 5));
    for (int off = 128; off < 600; off += 128) {
        b.fmt3(6).data(v.substr(off, 128));
    }
    // The same again: the first message's bytes were given back.
    b.fmt0(8, 0, 600, SrsMsgVideo, 1).data(v.substr(0, 128));
    b.control(SrsMsgAbort, be32s(8));
    b.fmt0(9, 0, 600, SrsMsgVideo, 1).data(v.substr(0, 128));
    for (int off = 128; off < 600; off += 128) {
        b.fmt3(9).data(v.substr(off, 128));
    }
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    p.set_max_partial_bytes(700);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(SrsMsgAudio, m.type);
    EXPECT_EQ(600, p.partial_bytes());
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(v, body(m));
    EXPECT_EQ(0, p.partial_bytes());
    // The abort frees csid 8's 600 bytes, so csid 9's message fits.
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(SrsMsgAbort, m.type);
    EXPECT_EQ(0, p.partial_bytes());
    srs_error_t err = p.recv_message(&m);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_EQ(v, body(m));
    EXPECT_EQ(0, p.partial_bytes());
    EXPECT_EQ(700, p.peak_partial_bytes());
}

// What an RTMP server applies before a publish is accepted: 1 MiB per message and for all
// partial messages, against the fuzz inputs that held 32 MiB (a 16 MiB message header, and
// partial messages on hundreds of chunk stream ids).
TEST(RtmpChunkTest, UntrustedClientLimits) {
    SrsMediaMessage m;
    // A 16 MiB message header is refused at once, before anything is allocated.
    {
        ChunkBytes b;
        b.fmt0(3, 0, 0xffffff, SrsMsgAMF0Command, 0).data(pattern(128));
        SrsMockIo io(b.s);
        SrsRtmpProtocol p(&io);
        p.set_max_message_size(1024 * 1024);
        p.set_max_partial_bytes(1024 * 1024);
        srs_error_t err = p.recv_message(&m);
        ASSERT_TRUE(err);
        EXPECT_EQ(ERROR_RTMP_MESSAGE_TOO_LARGE, srs_error_code(err));
        EXPECT_EQ(0, p.peak_partial_bytes());
        srs_error_reset(err);
    }
    // 64 KiB partial messages on chunk streams 64, 65, ...: the 17th passes 1 MiB.
    {
        ChunkBytes b;
        for (int i = 0; i < 100; i++) {
            b.fmt0(64 + i, 0, 64 * 1024, SrsMsgAMF0Command, 0).data(pattern(128));
        }
        SrsMockIo io(b.s);
        SrsRtmpProtocol p(&io);
        p.set_max_message_size(1024 * 1024);
        p.set_max_partial_bytes(1024 * 1024);
        srs_error_t err = p.recv_message(&m);
        ASSERT_TRUE(err);
        EXPECT_EQ(ERROR_RTMP_MESSAGE_TOO_LARGE, srs_error_code(err));
        EXPECT_EQ(16 * 64 * 1024, p.partial_bytes());
        srs_error_reset(err);
    }
    // The default takes one message of the largest length a header can carry.
    {
        ChunkBytes b;
        b.fmt0(6, 0, 0xffffff, SrsMsgVideo, 1).data(pattern(128));
        SrsMockIo io(b.s);
        SrsRtmpProtocol p(&io);
        EXPECT_EQ(SRS_RTMP_DEFAULT_MAX_PARTIAL_BYTES, p.max_partial_bytes());
        srs_error_t err = p.recv_message(&m);
        ASSERT_TRUE(err);
        EXPECT_EQ(ERROR_SOCKET_READ, srs_error_code(err)) << srs_error_desc(err);
        EXPECT_EQ(0xffffff, p.partial_bytes());
        srs_error_reset(err);
    }
}

TEST(RtmpChunkTest, BrokenStreams) {
    SrsMediaMessage m;
    // A fresh chunk stream starting with fmt 2 or 3.
    for (int fmt : {2, 3}) {
        ChunkBytes b;
        if (fmt == 2) {
            b.fmt2(6, 10).data("x");
        } else {
            b.fmt3(6).data("x");
        }
        SrsMockIo io(b.s);
        SrsRtmpProtocol p(&io);
        srs_error_t err = p.recv_message(&m);
        EXPECT_EQ(ERROR_RTMP_CHUNK_START, srs_error_code(err)) << fmt;
    }
    // librtmp starts its ping chunk stream with fmt 1: accepted.
    {
        ChunkBytes b;
        b.fmt1(2, 5, 6, SrsMsgUserControl).be16(SrsUcPingResponse).be32(1);
        SrsMockIo io(b.s);
        SrsRtmpProtocol p(&io);
        srs_error_t err = p.recv_message(&m);
        ASSERT_FALSE(err) << srs_error_desc(err);
        EXPECT_EQ(5, m.timestamp);
        EXPECT_EQ(0, m.stream_id);
    }
    // fmt 0 in the middle of a message.
    {
        ChunkBytes b;
        b.fmt0(6, 0, 300, SrsMsgVideo, 1).data(pattern(128));
        b.fmt0(6, 0, 300, SrsMsgVideo, 1).data(pattern(128));
        SrsMockIo io(b.s);
        SrsRtmpProtocol p(&io);
        srs_error_t err = p.recv_message(&m);
        EXPECT_EQ(ERROR_RTMP_CHUNK_START, srs_error_code(err));
    }
    // fmt 1 changing the length in the middle of a message.
    {
        ChunkBytes b;
        b.fmt0(6, 0, 300, SrsMsgVideo, 1).data(pattern(128));
        b.fmt1(6, 0, 200, SrsMsgVideo).data(pattern(128));
        SrsMockIo io(b.s);
        SrsRtmpProtocol p(&io);
        srs_error_t err = p.recv_message(&m);
        EXPECT_EQ(ERROR_RTMP_MSG_INVALID_SIZE, srs_error_code(err));
    }
    // Truncated in each part: basic header, message header, extended timestamp, payload.
    {
        ChunkBytes b;
        b.fmt0(400, 0xFFFFFFF, 300, SrsMsgVideo, 1).data(pattern(128));
        for (size_t cut = 0; cut < b.s.size(); cut += 3) {
            SrsMockIo io(b.s.substr(0, cut));
            SrsRtmpProtocol p(&io);
            srs_error_t err = p.recv_message(&m);
            ASSERT_TRUE(err) << cut;
            EXPECT_EQ(ERROR_SOCKET_READ, srs_error_code(err)) << cut;
        }
    }
    // A timeout from the socket comes back as a timeout.
    {
        SrsMockIo io;
        io.set_timeout_at_eof(true);
        SrsRtmpProtocol p(&io);
        srs_error_t err = p.recv_message(&m);
        EXPECT_EQ(ERROR_SOCKET_TIMEOUT, srs_error_code(err));
    }
}

TEST(RtmpChunkTest, ZeroLengthMessagesSkipped) {
    ChunkBytes b;
    b.fmt0(6, 10, 0, SrsMsgVideo, 1);
    b.fmt3(6);
    b.fmt0(7, 10, 2, SrsMsgAudio, 1).data("ok");
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ("ok", body(m));
    EXPECT_EQ(0u, io.unread());
}

TEST(RtmpChunkTest, FewReadsPerMessage) {
    // A 1 MB message in 128-byte chunks: the read buffer keeps syscalls low.
    std::string d = pattern(1024 * 1024);
    ChunkBytes b;
    b.fmt0(6, 0, (int)d.size(), SrsMsgVideo, 1).data(d.substr(0, 128));
    for (size_t off = 128; off < d.size(); off += 128) {
        b.fmt3(6).data(d.substr(off, 128));
    }
    SrsMockIo io(b.s);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(d, body(m));
    // 1.03 MB through a buffer growing to 16 KiB: about 70 reads, not 8192.
    EXPECT_LT(io.nb_reads(), 80);

    // With a large chunk size, big payloads are read straight into the message.
    ChunkBytes c;
    c.control(SrsMsgSetChunkSize, be32s(0x7fffffff));
    c.fmt0(6, 0, (int)d.size(), SrsMsgVideo, 1).data(d);
    SrsMockIo io2(c.s);
    SrsRtmpProtocol p2(&io2);
    ASSERT_FALSE(p2.recv_message(&m));
    ASSERT_FALSE(p2.recv_message(&m));
    EXPECT_EQ(d, body(m));
    EXPECT_LE(io2.nb_reads(), 3);
}

TEST(RtmpChunkTest, EncoderBytes) {
    // The exact bytes for one message over two chunks: fmt 0 then fmt 3.
    SrsMockIo io;
    SrsRtmpProtocol p(&io);
    std::string d = pattern(200);
    SrsMediaMessage m = SrsMediaMessage::create(SrsMsgVideo, 0x123456, 0x01020304, d.data(), (int)d.size());
    ASSERT_FALSE(p.send_message(m));
    ChunkBytes want;
    want.fmt0(6, 0x123456, 200, SrsMsgVideo, 0x01020304).data(d.substr(0, 128)).fmt3(6).data(d.substr(128));
    EXPECT_EQ(want.s, io.output());
    EXPECT_EQ(1, io.nb_writevs());

    // Extended timestamp: in the fmt 0 header and repeated in fmt 3 chunks, as Flash does.
    SrsMockIo io2;
    SrsRtmpProtocol p2(&io2);
    m.timestamp = 0x1000000;
    m.cid = 400;
    ASSERT_FALSE(p2.send_message(m));
    ChunkBytes want2;
    want2.fmt0(400, 0x1000000, 200, SrsMsgVideo, 0x01020304).data(d.substr(0, 128));
    want2.fmt3(400).be32(0x1000000).data(d.substr(128));
    EXPECT_EQ(want2.s, io2.output());

    // 0xFFFFFF itself is extended.
    SrsMockIo io3;
    SrsRtmpProtocol p3(&io3);
    m.timestamp = 0xFFFFFF;
    m.cid = 0;
    ASSERT_FALSE(p3.send_message(m));
    EXPECT_EQ((size_t)(1 + 11 + 4 + 128 + 1 + 4 + 72), io3.output().size());

    // A 64-bit timestamp wraps to 32 bits.
    SrsMockIo io4;
    SrsRtmpProtocol p4(&io4);
    m.timestamp = 0x100000010LL;
    ASSERT_FALSE(p4.send_message(m));
    auto out = decode_all(io4.output());
    ASSERT_EQ(1u, out.size());
    EXPECT_EQ(0x10, out[0].timestamp);
}

TEST(RtmpChunkTest, DefaultChunkStreamIds) {
    auto cid = [](uint8_t type, int sid) {
        SrsMediaMessage m;
        m.type = type;
        m.stream_id = sid;
        return srs_rtmp_default_cid(m);
    };
    EXPECT_EQ(2, cid(SrsMsgSetChunkSize, 0));
    EXPECT_EQ(2, cid(SrsMsgUserControl, 0));
    EXPECT_EQ(3, cid(SrsMsgAMF0Command, 0));
    EXPECT_EQ(5, cid(SrsMsgAMF0Command, 1));
    EXPECT_EQ(5, cid(SrsMsgAMF0Data, 1));
    EXPECT_EQ(6, cid(SrsMsgVideo, 1));
    EXPECT_EQ(7, cid(SrsMsgAudio, 1));
    SrsMediaMessage m;
    m.type = SrsMsgVideo;
    m.cid = 9;
    EXPECT_EQ(9, srs_rtmp_default_cid(m));
}

TEST(RtmpChunkTest, RoundTripVariousChunkSizes) {
    std::vector<SrsMediaMessage> msgs;
    int sizes[] = {0, 1, 127, 128, 129, 256, 1000, 4096, 60000, 60001, 200000};
    int64_t stamps[] = {0, 1, 0xFFFFFE, 0xFFFFFF, 0x1000000, 0xFFFFFFFFLL};
    int i = 0;
    for (int size : sizes) {
        for (int64_t ts : stamps) {
            std::string d = pattern(size, i);
            SrsMediaMessage m = SrsMediaMessage::create(i % 2 ? SrsMsgAudio : SrsMsgVideo, ts, 1, d.data(), size);
            // Some on 2- and 3-byte chunk stream ids.
            m.cid = (i % 3 == 0) ? 0 : (i % 3 == 1 ? 300 : 65599);
            msgs.push_back(m);
            i++;
        }
    }
    for (int chunk_size : {1, 128, 4096, 60000, 0x7fffffff}) {
        // One-byte chunks only for the smaller messages, to keep the test quick.
        std::vector<SrsMediaMessage> used;
        for (auto& m : msgs) {
            if (chunk_size > 1 || m.size() <= 4096) {
                used.push_back(m);
            }
        }
        SrsMockIo io;
        SrsRtmpProtocol p(&io);
        ASSERT_FALSE(p.set_out_chunk_size(chunk_size));
        EXPECT_EQ(chunk_size, p.out_chunk_size());
        srs_error_t err = p.send_messages(used.data(), (int)used.size());
        ASSERT_FALSE(err) << srs_error_desc(err);

        SrsMockIo in(io.output());
        SrsRtmpProtocol r(&in);
        SrsMediaMessage m;
        ASSERT_FALSE(r.recv_message(&m));
        EXPECT_EQ(SrsMsgSetChunkSize, m.type);
        EXPECT_EQ(chunk_size, r.in_chunk_size());
        for (auto& want : used) {
            if (want.size() == 0) {
                continue;  // skipped by the reader
            }
            err = r.recv_message(&m);
            ASSERT_FALSE(err) << chunk_size << " " << srs_error_desc(err);
            EXPECT_EQ(want.type, m.type);
            EXPECT_EQ((uint32_t)want.timestamp, (uint32_t)m.timestamp) << chunk_size;
            EXPECT_EQ(srs_rtmp_default_cid(want), m.cid);
            EXPECT_EQ(body(want), body(m)) << chunk_size << " size " << want.size();
        }
        EXPECT_EQ(0u, in.unread()) << chunk_size;
    }
}

TEST(RtmpChunkTest, SendBatchesAndPartialWrites) {
    // 3000 small messages need 6000 iovecs: a handful of writev calls, not 3000.
    std::vector<SrsMediaMessage> msgs;
    for (int i = 0; i < 3000; i++) {
        std::string d = pattern(50, i);
        msgs.push_back(SrsMediaMessage::create(SrsMsgAudio, i, 1, d.data(), (int)d.size()));
    }
    SrsMockIo io;
    SrsRtmpProtocol p(&io);
    ASSERT_FALSE(p.send_messages(msgs.data(), (int)msgs.size()));
    EXPECT_LE(io.nb_writevs(), 7);
    EXPECT_GE(io.nb_writevs(), 6);
    auto out = decode_all(io.output());
    ASSERT_EQ(msgs.size(), out.size());
    for (size_t i = 0; i < msgs.size(); i++) {
        EXPECT_EQ(body(msgs[i]), body(out[i]));
        EXPECT_EQ((int64_t)i, out[i].timestamp);
    }

    // After the burst the send buffers shrink; small batches still come out whole, and a
    // second burst grows them again.
    std::string first = io.output();
    for (int round = 0; round < 3; round++) {
        io.take_output();
        int n = round == 1 ? 2000 : 5;
        ASSERT_FALSE(p.send_messages(msgs.data(), n));
        auto again = decode_all(io.output());
        ASSERT_EQ((size_t)n, again.size());
        for (int i = 0; i < n; i++) {
            EXPECT_EQ(body(msgs[i]), body(again[i]));
        }
    }

    // A writer that takes 7 bytes at a time still gets every byte, in order.
    SrsMockIo slow;
    slow.set_write_limit(7);
    SrsRtmpProtocol ps(&slow);
    ASSERT_FALSE(ps.send_messages(msgs.data(), 20));
    EXPECT_EQ(first.substr(0, slow.output().size()), slow.output());
    EXPECT_EQ(20u, decode_all(slow.output()).size());

    // Write errors come back.
    SrsMockIo bad;
    bad.set_write_fail_after(100);
    SrsRtmpProtocol pb(&bad);
    srs_error_t err = pb.send_messages(msgs.data(), 20);
    EXPECT_EQ(ERROR_SOCKET_WRITE, srs_error_code(err));
    // And the protocol can still be used (the sender is released).
    bad.set_write_fail_after(-1);
    EXPECT_FALSE(pb.send_messages(msgs.data(), 1));
}

TEST(RtmpChunkTest, SendRejectsOversizedMessage) {
    SrsMockIo io;
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m(SrsMsgVideo, 0, 1, std::make_shared<SrsSharedPayload>(0x1000000));
    srs_error_t err = p.send_message(m);
    EXPECT_EQ(ERROR_RTMP_MSG_INVALID_SIZE, srs_error_code(err));
    EXPECT_EQ(ERROR_RTMP_CHUNK_SIZE, srs_error_code(p.set_out_chunk_size(0)));
    EXPECT_EQ(ERROR_RTMP_CHUNK_SIZE, srs_error_code(p.set_out_chunk_size(-5)));
    EXPECT_EQ(128, p.out_chunk_size());
}

TEST(RtmpChunkTest, ControlMessagesEncoded) {
    SrsMockIo io;
    SrsRtmpProtocol p(&io);
    ASSERT_FALSE(p.send_window_ack_size(2500000));
    ASSERT_FALSE(p.send_set_peer_bandwidth(2500000, SrsPeerBandwidthDynamic));
    ASSERT_FALSE(p.send_acknowledgement(4242));
    ASSERT_FALSE(p.set_out_chunk_size(60000));
    EXPECT_EQ(2500000u, p.out_ack_window());
    auto out = decode_all(io.output());
    ASSERT_EQ(4u, out.size());
    EXPECT_EQ(SrsMsgWindowAckSize, out[0].type);
    EXPECT_EQ(be32s(2500000), body(out[0]));
    EXPECT_EQ(SrsMsgSetPeerBandwidth, out[1].type);
    EXPECT_EQ(be32s(2500000) + "\x02", body(out[1]));
    EXPECT_EQ(SrsMsgAcknowledgement, out[2].type);
    EXPECT_EQ(be32s(4242), body(out[2]));
    EXPECT_EQ(SrsMsgSetChunkSize, out[3].type);
    EXPECT_EQ(be32s(60000), body(out[3]));
    for (auto& m : out) {
        EXPECT_EQ(2, m.cid);
        EXPECT_EQ(0, m.stream_id);
    }
}

TEST(RtmpChunkTest, TimeoutsDelegateToIo) {
    SrsMockIo io;
    SrsRtmpProtocol p(&io);
    p.set_recv_timeout(3 * SRS_UTIME_SECONDS);
    p.set_send_timeout(4 * SRS_UTIME_SECONDS);
    EXPECT_EQ(3 * SRS_UTIME_SECONDS, io.get_recv_timeout());
    EXPECT_EQ(4 * SRS_UTIME_SECONDS, p.get_send_timeout());
    EXPECT_EQ(3 * SRS_UTIME_SECONDS, p.get_recv_timeout());
    ASSERT_FALSE(p.send_acknowledgement(1));
    EXPECT_EQ(io.get_send_bytes(), p.get_send_bytes());
    EXPECT_EQ(16, p.get_send_bytes());
    EXPECT_EQ(0, p.get_recv_bytes());
}

namespace {

// A writer that yields inside writev, so another coroutine may try to send meanwhile.
class YieldingIo : public SrsMockIo {
public:
    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override {
        // Write one iovec, then yield: the rest comes on the next call.
        srs_error_t err = SrsMockIo::writev(iov, 1, nwrite);
        srs_usleep(1 * SRS_UTIME_MILLISECONDS);
        (void)iov_size;
        return err;
    }
};

class Sender : public ISrsCoroutineHandler {
public:
    SrsRtmpProtocol* p = nullptr;
    std::vector<SrsMediaMessage>* msgs = nullptr;
    srs_error_t cycle() override { return p->send_messages(msgs->data(), (int)msgs->size()); }
};

}  // namespace

TEST(RtmpChunkTest, ConcurrentSendersDoNotInterleave) {
    YieldingIo io;
    SrsRtmpProtocol p(&io);
    std::vector<SrsMediaMessage> a, b;
    for (int i = 0; i < 5; i++) {
        std::string d = pattern(300, i);
        a.push_back(SrsMediaMessage::create(SrsMsgVideo, i, 1, d.data(), (int)d.size()));
        b.push_back(SrsMediaMessage::create(SrsMsgAudio, i, 1, d.data(), (int)d.size()));
    }
    Sender s1, s2;
    s1.p = s2.p = &p;
    s1.msgs = &a;
    s2.msgs = &b;
    SrsCoroutine t1("s1", &s1), t2("s2", &s2);
    ASSERT_FALSE(t1.start());
    ASSERT_FALSE(t2.start());
    for (int i = 0; i < 300 && (t1.running() || t2.running()); i++) {
        srs_usleep(2 * SRS_UTIME_MILLISECONDS);
    }
    ASSERT_FALSE(t1.running());
    ASSERT_FALSE(t2.running());
    // All video chunks, then all audio chunks: the decoder sees whole messages in order.
    auto out = decode_all(io.output());
    ASSERT_EQ(10u, out.size());
    for (int i = 0; i < 5; i++) {
        EXPECT_EQ(SrsMsgVideo, out[i].type);
        EXPECT_EQ(SrsMsgAudio, out[5 + i].type);
    }
}

TEST(RtmpChunkTest, ReleasedReadBufferComesBackForTheNextMessage) {
    // A player's connection frees its read buffer between its rare messages: the buffer is
    // kept while it holds unparsed bytes (the next message's start), and a read after a
    // release allocates it again.
    std::string d1 = pattern(100, 1), d2 = pattern(200, 2);
    ChunkBytes b;
    b.fmt0(3, 10, 100, SrsMsgVideo, 1).data(d1);
    b.fmt0(3, 20, 200, SrsMsgVideo, 1).data(d2.substr(0, 128));
    b.fmt3(3).data(d2.substr(128));
    SrsMockIo io(b.s);
    // The first read takes the first message and the start of the second.
    io.set_read_limit(120);
    SrsRtmpProtocol p(&io);
    SrsMediaMessage m;
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(d1, body(m));
    ASSERT_TRUE(p.has_buffered_input());
    p.release_read_buffer();
    // Not released: the second message's first bytes are in it.
    ASSERT_TRUE(p.has_buffered_input());
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(d2, body(m));
    EXPECT_EQ(20, m.timestamp);
    EXPECT_FALSE(p.has_buffered_input());
    p.release_read_buffer();

    // After a release, the next message is read into a new buffer.
    std::string d3 = pattern(50, 3);
    ChunkBytes b2;
    b2.fmt0(3, 30, 50, SrsMsgVideo, 1).data(d3);
    io.append(b2.s);
    ASSERT_FALSE(p.recv_message(&m));
    EXPECT_EQ(d3, body(m));
}
