// libFuzzer target: the RTMP handshake, server and client side, then the chunk stream that
// follows a successful server handshake. The first input byte picks the mode (bit 0: client,
// bit 1: complex client); the rest is what the peer sends. No sockets, no ST.
#include "../utest/srs_utest_mock_io.hpp"

#include <srs_protocol_rtmp_handshake.hpp>
#include <srs_protocol_rtmp_stack.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) {
        return 0;
    }
    uint8_t mode = data[0];
    const uint8_t* peer = data + 1;
    size_t peer_size = size - 1;
    SrsMockIo io(std::string((const char*)peer, peer_size));

    srs_error_t err = srs_success;
    if (mode & 0x01) {
        err = SrsRtmpHandshake::client(&io, (mode & 0x02) != 0);
    } else {
        bool complex = false;
        err = SrsRtmpHandshake::server(&io, &complex);
        if (!err) {
            // What a client sends after C2: chunks, read until the bytes run out.
            SrsRtmpProtocol proto(&io);
            proto.set_max_message_size(1024 * 1024);
            for (int i = 0; i < 1000 && !err; i++) {
                SrsMediaMessage msg;
                err = proto.recv_message(&msg);
            }
        }
    }
    srs_error_reset(err);

    // The validators on whatever bytes come, as C1/S1 and C2/S2.
    if (peer_size >= 1 + SRS_RTMP_HS_SIZE) {
        const uint8_t* c1 = peer + 1;
        SrsRtmpHsSchema schema = srs_rtmp_hs_c1s1_find_schema(c1, (mode & 0x01) != 0);
        (void)schema;
        uint8_t digest[SRS_RTMP_HS_DIGEST_SIZE] = {0};
        (void)srs_rtmp_hs_c2s2_valid(c1, digest, (mode & 0x04) != 0);
    }
    return 0;
}
