// libFuzzer target: arbitrary bytes as an FLV file through SrsFlvDecoder.
#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    SrsMemoryReader reader(std::string((const char*)data, size), 7);
    SrsFlvDecoder dec(&reader);
    srs_error_t err = dec.read_header();
    if (err != srs_success) {
        srs_error_reset(err);
        return 0;
    }
    for (int i = 0; i < 1000; i++) {
        SrsMediaMessage msg;
        if ((err = dec.read_message(&msg)) != srs_success) {
            srs_error_reset(err);
            break;
        }
    }
    return 0;
}
