// libFuzzer target: AMF0 decoding (with AVM+ switches to AMF3). Whatever decodes must
// encode, and its encoding must decode and encode to the same bytes.
#include <srs_kernel_buffer.hpp>
#include <srs_protocol_amf0.hpp>

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string input((const char*)data, size);
    SrsBuffer buf(input.empty() ? nullptr : &input[0], (int)input.size());
    while (!buf.empty()) {
        std::unique_ptr<SrsAmf0Any> v;
        srs_error_t err = SrsAmf0Any::read_any(&buf, &v);
        if (err != srs_success) {
            return 0;
        }
        if (buf.pos() > buf.size()) {
            abort();
        }
        (void)v->dump();
        std::string b1;
        err = srs_amf0_encode({v.get()}, &b1);
        if (err != srs_success) {
            // Values mapped from AMF3 may hold names longer than AMF0 can carry.
            continue;
        }
        if ((int)b1.size() != v->total_size()) {
            abort();
        }
        SrsBuffer b1buf(b1.empty() ? nullptr : &b1[0], (int)b1.size());
        std::unique_ptr<SrsAmf0Any> v2;
        if ((err = SrsAmf0Any::read_any(&b1buf, &v2)) != srs_success || !b1buf.empty()) {
            abort();
        }
        std::string b2;
        if ((err = srs_amf0_encode({v2.get()}, &b2)) != srs_success || b1 != b2) {
            abort();
        }
        std::string b3;
        if ((err = srs_amf0_encode({v2->copy().get()}, &b3)) != srs_success || b1 != b3) {
            abort();
        }
    }
    return 0;
}
