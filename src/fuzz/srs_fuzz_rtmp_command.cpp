// libFuzzer target: RTMP command/data message decoding into packets. The first byte picks
// the message type (AMF0/AMF3 command/data), the rest is the payload. A decoded packet must
// encode, and its encoding must decode to a packet that encodes to the same bytes.
#include <srs_kernel_buffer.hpp>
#include <srs_protocol_rtmp_packet.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <typeinfo>

namespace {

void remember(SrsRtmpCommandDecoder* dec) {
    dec->remember_request(1, SRS_CMD_CONNECT);
    dec->remember_request(2, SRS_CMD_RELEASE_STREAM);
    dec->remember_request(3, SRS_CMD_FC_PUBLISH);
    dec->remember_request(4, SRS_CMD_CREATE_STREAM);
    dec->remember_request(5, SRS_CMD_CHECK_BW);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) {
        return 0;
    }
    static const uint8_t types[] = {SrsMsgAMF0Command, SrsMsgAMF3Command, SrsMsgAMF0Data, SrsMsgAMF3Data};
    uint8_t type = types[data[0] & 3];
    SrsMediaMessage msg = SrsMediaMessage::create(type, 0, 1, (const char*)data + 1, (int)size - 1);

    SrsRtmpCommandDecoder dec;
    remember(&dec);
    std::unique_ptr<SrsPacket> pkt;
    srs_error_t err = dec.decode(msg, &pkt);
    if (err != srs_success) {
        return 0;
    }
    SrsMediaMessage m1;
    if ((err = pkt->encode(1, &m1)) != srs_success) {
        // Values mapped from AMF3 may not fit AMF0.
        return 0;
    }
    SrsRtmpCommandDecoder dec2;
    remember(&dec2);
    std::unique_ptr<SrsPacket> pkt2;
    if ((err = dec2.decode(m1, &pkt2)) != srs_success) {
        fprintf(stderr, "encoding does not decode: %s\n", srs_error_desc(err).c_str());
        abort();
    }
    const SrsPacket& p1 = *pkt;
    const SrsPacket& p2 = *pkt2;
    if (typeid(p1) != typeid(p2)) {
        // The server would take the message for another command than it decoded.
        fprintf(stderr, "round trip changed the packet: %s -> %s\n", typeid(p1).name(), typeid(p2).name());
        abort();
    }
    SrsMediaMessage m2;
    if ((err = pkt2->encode(1, &m2)) != srs_success) {
        abort();
    }
    if (m1.size() != m2.size() || std::string(m1.data(), m1.size()) != std::string(m2.data(), m2.size())) {
        abort();
    }
    return 0;
}
