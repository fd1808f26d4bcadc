// libFuzzer target: AMF3 decoding (references, traits, vectors, dictionaries) mapped onto
// AMF0 values. Whatever decodes must dump, copy, and encode as AMF0 that decodes again.
#include <srs_kernel_buffer.hpp>
#include <srs_protocol_amf0.hpp>
#include <srs_protocol_amf3.hpp>

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string input((const char*)data, size);
    SrsBuffer buf(input.empty() ? nullptr : &input[0], (int)input.size());
    std::unique_ptr<SrsAmf0Any> v;
    srs_error_t err = srs_amf3_read_any(&buf, &v);
    if (err != srs_success) {
        return 0;
    }
    if (buf.pos() > buf.size()) {
        abort();
    }
    (void)v->dump();
    std::unique_ptr<SrsAmf0Any> c = v->copy();
    std::string b1;
    if ((err = srs_amf0_encode({v.get()}, &b1)) != srs_success) {
        return 0;
    }
    std::string b2;
    if ((err = srs_amf0_encode({c.get()}, &b2)) != srs_success || b1 != b2) {
        abort();
    }
    SrsBuffer b1buf(b1.empty() ? nullptr : &b1[0], (int)b1.size());
    std::unique_ptr<SrsAmf0Any> v2;
    if ((err = SrsAmf0Any::read_any(&b1buf, &v2)) != srs_success || !b1buf.empty()) {
        abort();
    }
    return 0;
}
