// Tests of the RTMP handshake: simple, complex schema 0 and 1 (checked with an independent
// HMAC computation from the well-known keys), fallback, and the error paths.
#include <gtest/gtest.h>

#include <srs_core_st.hpp>
#include <srs_protocol_rtmp_handshake.hpp>
#include <srs_protocol_rtmp_stack.hpp>
#include <srs_utest_mock_io.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <random>
#include <string>

namespace {

// The keys, spelled out again here so the tests do not trust the code under test.
const std::string kFpText = "Genuine Adobe Flash Player 001";
const std::string kFmsText = "Genuine Adobe Flash Media Server 001";
const uint8_t kKeyTail[32] = {0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0,
                              0xD1, 0x02, 0x9E, 0x7E, 0x57, 0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80,
                              0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE};

std::string full_key(const std::string& text) {
    return text + std::string((const char*)kKeyTail, sizeof(kKeyTail));
}

std::string hmac(const std::string& key, const uint8_t* data, size_t size) {
    uint8_t out[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), (int)key.size(), data, size, out, &len);
    return std::string((const char*)out, len);
}

// Digest position: schema 0 has the digest block at 772, schema 1 at 8; the offset is the
// sum of its first 4 bytes modulo 728.
int digest_pos(const uint8_t* c1s1, int schema) {
    int block = schema == 0 ? 772 : 8;
    return block + 4 + (c1s1[block] + c1s1[block + 1] + c1s1[block + 2] + c1s1[block + 3]) % 728;
}

std::string c1s1_digest(const uint8_t* c1s1, int schema, const std::string& key) {
    int pos = digest_pos(c1s1, schema);
    std::string joined((const char*)c1s1, pos);
    joined.append((const char*)c1s1 + pos + 32, 1536 - pos - 32);
    return hmac(key, (const uint8_t*)joined.data(), joined.size());
}

bool c1s1_signed(const uint8_t* c1s1, int schema, const std::string& key) {
    return c1s1_digest(c1s1, schema, key) == std::string((const char*)c1s1 + digest_pos(c1s1, schema), 32);
}

bool c2s2_signed(const uint8_t* c2s2, const std::string& peer_digest, const std::string& full) {
    std::string temp = hmac(full, (const uint8_t*)peer_digest.data(), 32);
    return hmac(temp, c2s2, 1504) == std::string((const char*)c2s2 + 1504, 32);
}

void fill_random(uint8_t* p, int size, unsigned seed) {
    std::mt19937 rng(seed);
    for (int i = 0; i < size; i++) {
        p[i] = (uint8_t)rng();
    }
}

// A C1 signed like Flash Player, built without the code under test.
void make_signed_c1(uint8_t* c1, int schema, unsigned seed) {
    fill_random(c1, 1536, seed);
    c1[4] = 0x80;  // version 128.0.7.2
    c1[5] = 0;
    c1[6] = 7;
    c1[7] = 2;
    std::string d = c1s1_digest(c1, schema, kFpText);
    memcpy(c1 + digest_pos(c1, schema), d.data(), 32);
}

std::string str(const uint8_t* p, size_t n) {
    return std::string((const char*)p, n);
}

}  // namespace

TEST(RtmpHandshakeTest, ServerSimple) {
    uint8_t c1[1536];
    fill_random(c1, sizeof(c1), 1);
    memset(c1 + 4, 0, 4);
    SrsMockIo io;
    io.append("\x03", 1);
    io.append(c1, sizeof(c1));
    io.append(std::string(1536, 'c'));

    bool complex = true;
    srs_error_t err = SrsRtmpHandshake::server(&io, &complex);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_FALSE(complex);
    EXPECT_EQ(0u, io.unread());
    const std::string& out = io.output();
    ASSERT_EQ(3073u, out.size());
    EXPECT_EQ(3, out[0]);
    // S1: time, then zero version (simple).
    EXPECT_EQ(std::string(4, '\0'), out.substr(5, 4));
    // S2 echoes C1.
    EXPECT_EQ(str(c1, 1536), out.substr(1537));
}

TEST(RtmpHandshakeTest, ServerComplexSchema0And1) {
    for (int schema = 0; schema <= 1; schema++) {
        uint8_t c1[1536];
        make_signed_c1(c1, schema, 100 + schema);
        ASSERT_TRUE(c1s1_signed(c1, schema, kFpText));
        // The code under test agrees on the digest and finds the schema.
        EXPECT_TRUE(srs_rtmp_hs_c1s1_valid(c1, (SrsRtmpHsSchema)schema, false));
        EXPECT_EQ(schema, (int)srs_rtmp_hs_c1s1_find_schema(c1, false));
        EXPECT_EQ(digest_pos(c1, schema), srs_rtmp_hs_digest_offset(c1, (SrsRtmpHsSchema)schema));

        SrsMockIo io;
        io.append("\x03", 1);
        io.append(c1, sizeof(c1));
        io.append(std::string(1536, 'c'));
        bool complex = false;
        srs_error_t err = SrsRtmpHandshake::server(&io, &complex);
        ASSERT_FALSE(err) << srs_error_desc(err);
        EXPECT_TRUE(complex);

        const std::string& out = io.output();
        ASSERT_EQ(3073u, out.size());
        EXPECT_EQ(3, out[0]);
        const uint8_t* s1 = (const uint8_t*)out.data() + 1;
        const uint8_t* s2 = s1 + 1536;
        // S1 version non-zero, digest in the same schema with the 36-byte FMS key.
        EXPECT_NE(0, s1[4]);
        EXPECT_TRUE(c1s1_signed(s1, schema, kFmsText)) << "schema " << schema;
        // S2 signed with the key derived from the C1 digest and the full 68-byte FMS key.
        std::string c1_digest = str(c1 + digest_pos(c1, schema), 32);
        EXPECT_TRUE(c2s2_signed(s2, c1_digest, full_key(kFmsText))) << "schema " << schema;
        EXPECT_EQ(68u, full_key(kFmsText).size());
    }
}

TEST(RtmpHandshakeTest, ServerFallsBackWithoutDigest) {
    // A non-zero version but no valid digest: simple handshake.
    uint8_t c1[1536];
    fill_random(c1, sizeof(c1), 7);
    c1[4] = 9;
    ASSERT_FALSE(c1s1_signed(c1, 0, kFpText));
    ASSERT_FALSE(c1s1_signed(c1, 1, kFpText));
    // A digest made with the wrong key does not count either.
    std::string bad = c1s1_digest(c1, 1, kFmsText);
    memcpy(c1 + digest_pos(c1, 1), bad.data(), 32);

    SrsMockIo io;
    io.append("\x03", 1);
    io.append(c1, sizeof(c1));
    io.append(std::string(1536, 'c'));
    bool complex = true;
    srs_error_t err = SrsRtmpHandshake::server(&io, &complex);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_FALSE(complex);
    EXPECT_EQ(str(c1, 1536), io.output().substr(1537));
}

TEST(RtmpHandshakeTest, ServerRejectsBadVersion) {
    for (uint8_t v : {0, 1, 4, 0xff}) {
        SrsMockIo io;
        io.append(&v, 1);
        io.append(std::string(1536 * 2, 'x'));
        srs_error_t err = SrsRtmpHandshake::server(&io);
        ASSERT_TRUE(err);
        EXPECT_EQ(ERROR_RTMP_HANDSHAKE, srs_error_code(err)) << (int)v;
        EXPECT_TRUE(io.output().empty());
    }
}

TEST(RtmpHandshakeTest, ServerRejectsRtmpe) {
    SrsMockIo io;
    io.append("\x06", 1);
    io.append(std::string(1536 * 2, 'x'));
    srs_error_t err = SrsRtmpHandshake::server(&io);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_RTMP_PLAIN_REQUIRED, srs_error_code(err));
    EXPECT_NE(std::string::npos, srs_error_desc(err).find("RTMPE"));
    EXPECT_TRUE(io.output().empty());
}

TEST(RtmpHandshakeTest, ServerTruncatedInput) {
    // Short C0C1: nothing answered.
    {
        SrsMockIo io(std::string("\x03", 1) + std::string(100, 'a'));
        srs_error_t err = SrsRtmpHandshake::server(&io);
        ASSERT_TRUE(err);
        EXPECT_EQ(ERROR_SOCKET_READ, srs_error_code(err));
        EXPECT_NE(std::string::npos, srs_error_desc(err).find("c0c1"));
        EXPECT_TRUE(io.output().empty());
    }
    // Whole C0C1, short C2: S0S1S2 went out, then the error.
    {
        SrsMockIo io(std::string("\x03", 1) + std::string(1536, '\0') + std::string(1000, 'c'));
        srs_error_t err = SrsRtmpHandshake::server(&io);
        ASSERT_TRUE(err);
        EXPECT_NE(std::string::npos, srs_error_desc(err).find("c2"));
        EXPECT_EQ(3073u, io.output().size());
    }
    // Empty.
    {
        SrsMockIo io;
        srs_error_t err = SrsRtmpHandshake::server(&io);
        ASSERT_TRUE(err);
    }
}

TEST(RtmpHandshakeTest, ServerTimeout) {
    SrsMockIo io(std::string("\x03", 1) + std::string(10, 'a'));
    io.set_timeout_at_eof(true);
    io.set_recv_timeout(5 * SRS_UTIME_SECONDS);
    srs_error_t err = SrsRtmpHandshake::server(&io);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_SOCKET_TIMEOUT, srs_error_code(err));
    EXPECT_TRUE(srs_is_client_gracefully_close(err) || srs_error_code(err) == ERROR_SOCKET_TIMEOUT);
}

TEST(RtmpHandshakeTest, ServerWriteFails) {
    uint8_t c1[1536];
    make_signed_c1(c1, 1, 3);
    SrsMockIo io;
    io.append("\x03", 1);
    io.append(c1, sizeof(c1));
    io.append(std::string(1536, 'c'));
    io.set_write_fail_after(0);
    srs_error_t err = SrsRtmpHandshake::server(&io);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_SOCKET_WRITE, srs_error_code(err));
}

TEST(RtmpHandshakeTest, ClientSimple) {
    uint8_t s1[1536];
    fill_random(s1, sizeof(s1), 11);
    SrsMockIo io;
    io.append("\x03", 1);
    io.append(s1, sizeof(s1));
    io.append(std::string(1536, 's'));
    srs_error_t err = SrsRtmpHandshake::client(&io, false);
    ASSERT_FALSE(err) << srs_error_desc(err);
    const std::string& out = io.output();
    ASSERT_EQ(1u + 1536 + 1536, out.size());
    EXPECT_EQ(3, out[0]);
    // Simple C1: zero version.
    EXPECT_EQ(std::string(4, '\0'), out.substr(5, 4));
    // C2 echoes S1.
    EXPECT_EQ(str(s1, 1536), out.substr(1537));
}

TEST(RtmpHandshakeTest, ClientRejectsBadS0AndShortS1) {
    {
        SrsMockIo io(std::string("\x05", 1) + std::string(3072, 's'));
        srs_error_t err = SrsRtmpHandshake::client(&io);
        ASSERT_TRUE(err);
        EXPECT_EQ(ERROR_RTMP_HANDSHAKE, srs_error_code(err));
    }
    {
        SrsMockIo io(std::string("\x03", 1) + std::string(2000, 's'));
        srs_error_t err = SrsRtmpHandshake::client(&io);
        ASSERT_TRUE(err);
        EXPECT_NE(std::string::npos, srs_error_desc(err).find("s0s1s2"));
    }
}

TEST(RtmpHandshakeTest, ClientComplexAgainstSignedServer) {
    // First learn the C1 the client sends, then answer it like FMS would.
    SrsMockIo probe;
    srs_error_t err = SrsRtmpHandshake::client(&probe, true);
    ASSERT_TRUE(err);  // no server bytes
    const uint8_t* c1 = (const uint8_t*)probe.output().data() + 1;
    EXPECT_EQ(3, probe.output()[0]);
    EXPECT_NE(0, c1[4]);
    // Flash Player's schema 1, signed with the 30-byte player key.
    EXPECT_TRUE(c1s1_signed(c1, 1, kFpText));

    // A complex exchange with the server code: the client validates S1 and signs C2.
    uint8_t s1[1536];
    ASSERT_FALSE(srs_rtmp_hs_c1s1_build(s1, SrsRtmpHsSchema0, true, 1234, 0x04050001));
    EXPECT_TRUE(c1s1_signed(s1, 0, kFmsText));
    SrsMockIo io;
    io.append("\x03", 1);
    io.append(s1, sizeof(s1));
    io.append(std::string(1536, 's'));
    err = SrsRtmpHandshake::client(&io, true);
    ASSERT_FALSE(err) << srs_error_desc(err);
    const uint8_t* c2 = (const uint8_t*)io.output().data() + 1537;
    std::string s1_digest = str(s1 + digest_pos(s1, 0), 32);
    EXPECT_TRUE(c2s2_signed(c2, s1_digest, full_key(kFpText)));
    EXPECT_EQ(62u, full_key(kFpText).size());
}

TEST(RtmpHandshakeTest, ClientComplexAgainstSimpleServer) {
    uint8_t s1[1536];
    fill_random(s1, sizeof(s1), 21);
    memset(s1 + 4, 0, 4);
    SrsMockIo io;
    io.append("\x03", 1);
    io.append(s1, sizeof(s1));
    io.append(std::string(1536, 's'));
    srs_error_t err = SrsRtmpHandshake::client(&io, true);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_EQ(str(s1, 1536), io.output().substr(1537));
}

TEST(RtmpHandshakeTest, PureFunctionsRoundTrip) {
    for (int schema = 0; schema <= 1; schema++) {
        uint8_t c1[1536];
        ASSERT_FALSE(srs_rtmp_hs_c1s1_build(c1, (SrsRtmpHsSchema)schema, false, 1, 0x80000702));
        EXPECT_TRUE(c1s1_signed(c1, schema, kFpText));
        EXPECT_EQ(schema, (int)srs_rtmp_hs_c1s1_find_schema(c1, false));
        // A client digest does not pass as a server one.
        EXPECT_EQ(SrsRtmpHsSchemaNone, srs_rtmp_hs_c1s1_find_schema(c1, true));
        // One flipped bit breaks it.
        c1[1000] ^= 1;
        c1[100] ^= 1;
        EXPECT_FALSE(srs_rtmp_hs_c1s1_valid(c1, (SrsRtmpHsSchema)schema, false));

        uint8_t digest[32];
        fill_random(digest, 32, 5);
        uint8_t s2[1536];
        ASSERT_FALSE(srs_rtmp_hs_c2s2_build(s2, digest, true));
        EXPECT_TRUE(srs_rtmp_hs_c2s2_valid(s2, digest, true));
        EXPECT_FALSE(srs_rtmp_hs_c2s2_valid(s2, digest, false));
        EXPECT_TRUE(c2s2_signed(s2, str(digest, 32), full_key(kFmsText)));
    }
}

namespace {

// Runs the server handshake and reads one message on an accepted loopback connection.
class HandshakeServer : public ISrsCoroutineHandler {
public:
    SrsNetFd lfd;
    bool complex = false;
    SrsMediaMessage msg;

    srs_error_t cycle() override {
        SrsNetFd conn;
        srs_error_t err = srs_tcp_accept(lfd, 5 * SRS_UTIME_SECONDS, &conn);
        if (err) {
            return err;
        }
        SrsStSocket skt(conn);
        skt.set_recv_timeout(5 * SRS_UTIME_SECONDS);
        skt.set_send_timeout(5 * SRS_UTIME_SECONDS);
        if ((err = SrsRtmpHandshake::server(&skt, &complex)) != srs_success) {
            return err;
        }
        SrsRtmpProtocol proto(&skt);
        return proto.recv_message(&msg);
    }
};

}  // namespace

TEST(RtmpHandshakeTest, LoopbackClientServer) {
    for (bool complex : {false, true}) {
        HandshakeServer server;
        ASSERT_FALSE(srs_tcp_listen("127.0.0.1", 0, &server.lfd));
        int port = srs_socket_local_port(server.lfd);
        SrsCoroutine trd("hs-server", &server);
        ASSERT_FALSE(trd.start());

        SrsNetFd conn;
        srs_error_t err = srs_tcp_connect("127.0.0.1", port, 5 * SRS_UTIME_SECONDS, &conn);
        ASSERT_FALSE(err) << srs_error_desc(err);
        SrsStSocket skt(conn);
        skt.set_recv_timeout(5 * SRS_UTIME_SECONDS);
        skt.set_send_timeout(5 * SRS_UTIME_SECONDS);
        err = SrsRtmpHandshake::client(&skt, complex);
        ASSERT_FALSE(err) << srs_error_desc(err);
        SrsRtmpProtocol proto(&skt);
        std::string body(300, 'v');
        err = proto.send_message(SrsMediaMessage::create(SrsMsgVideo, 40, 1, body.data(), (int)body.size()));
        ASSERT_FALSE(err) << srs_error_desc(err);

        for (int i = 0; i < 500 && trd.running(); i++) {
            srs_usleep(10 * SRS_UTIME_MILLISECONDS);
        }
        EXPECT_FALSE(trd.running());
        trd.stop();
        EXPECT_EQ(complex, server.complex);
        EXPECT_EQ(SrsMsgVideo, server.msg.type);
        EXPECT_EQ(40, server.msg.timestamp);
        EXPECT_EQ(body, std::string(server.msg.data(), server.msg.size()));
    }
}
