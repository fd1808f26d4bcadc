// libFuzzer target: the RTMP chunk stream decoder and protocol control handling. Every
// message decoded is re-encoded and decoded again, which must give the same message.
// No sockets, no ST.
#include "../utest/srs_utest_mock_io.hpp"

#include <srs_kernel_message.hpp>
#include <srs_protocol_rtmp_stack.hpp>

#include <cstdlib>
#include <cstring>

namespace {

// Encodes one message with the chunk size and decodes it back; aborts on a mismatch.
void check_round_trip(const SrsMediaMessage& msg, int chunk_size) {
    SrsMockIo out;
    SrsRtmpProtocol enc(&out);
    srs_error_t err = enc.set_out_chunk_size(chunk_size);
    if (!err) {
        err = enc.send_message(msg);
    }
    if (err) {
        abort();
    }
    SrsMockIo in(out.output());
    SrsRtmpProtocol dec(&in);
    SrsMediaMessage got;
    // The Set Chunk Size, then the message itself.
    if ((err = dec.recv_message(&got)) != srs_success || (err = dec.recv_message(&got)) != srs_success) {
        abort();
    }
    if (got.type != msg.type || (uint32_t)got.timestamp != (uint32_t)msg.timestamp || got.stream_id != msg.stream_id ||
        got.size() != msg.size() || memcmp(got.data(), msg.data(), msg.size()) != 0) {
        abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    SrsMockIo io(std::string((const char*)data, size));
    // Deliver in small pieces sometimes, to cover the buffer refill paths.
    if (size > 0 && (data[size - 1] & 0x80)) {
        io.set_read_limit(1 + (data[size - 1] & 0x0f));
    }
    SrsRtmpProtocol proto(&io);
    // Bounded memory per input; the defaults are for servers, not for fuzzing.
    proto.set_max_message_size(256 * 1024);

    srs_error_t err = srs_success;
    for (int i = 0; i < 2000; i++) {
        SrsMediaMessage msg;
        if ((err = proto.recv_message(&msg)) != srs_success) {
            break;
        }
        if (msg.type == SrsMsgUserControl) {
            int event = 0;
            uint32_t v = 0, extra = 0;
            srs_error_t e = srs_rtmp_decode_user_control(msg, &event, &v, &extra);
            srs_error_reset(e);
        }
        // Small messages only, to keep the fuzzer fast; chunk size varies with the message.
        if (msg.size() <= 4096) {
            check_round_trip(msg, 1 + (msg.size() + i) % 300);
        }
    }
    srs_error_reset(err);
    return 0;
}
