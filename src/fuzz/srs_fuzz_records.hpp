// The record framing shared by the media fuzz targets: [type (1 byte)][size (2 bytes, big
// endian)][body], the last body cut at the end of the input.
#pragma once

#include <cstddef>
#include <cstdint>

// Calls fn(type, body, body_size) for each record of the input.
template <typename Fn>
void srs_fuzz_each_record(const uint8_t* data, size_t size, Fn fn) {
    size_t pos = 0;
    while (pos + 3 <= size) {
        uint8_t type = data[pos];
        size_t n = ((size_t)data[pos + 1] << 8) | data[pos + 2];
        pos += 3;
        if (n > size - pos) {
            n = size - pos;
        }
        fn(type, (const char*)data + pos, (int)n);
        pos += n;
    }
}
