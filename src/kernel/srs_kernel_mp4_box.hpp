// Builds ISO base media file format boxes (ISO/IEC 14496-12) into a string: big-endian fields
// (network byte order, 4.2), and nested boxes whose 32-bit size is filled in when they end. The
// progressive MP4 writer (DVR) and the fragmented one (HTTP-MP4, HLS fMP4) share it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

class SrsMp4BoxWriter {
public:
    void u8(uint8_t v) { s_.push_back((char)v); }
    void u16(uint16_t v) {
        u8(v >> 8);
        u8(v & 0xff);
    }
    void u24(uint32_t v) {
        u8((v >> 16) & 0xff);
        u16(v & 0xffff);
    }
    void u32(uint32_t v) {
        u16(v >> 16);
        u16(v & 0xffff);
    }
    void u64(uint64_t v) {
        u32((uint32_t)(v >> 32));
        u32((uint32_t)v);
    }
    void zeros(int n) { s_.append(n, '\0'); }
    void bytes(const std::string& b) { s_.append(b); }
    void fourcc(const char* t) { s_.append(t, 4); }
    // A box: its size (filled in by end()) and type.
    void begin(const char* type) {
        open_.push_back(s_.size());
        u32(0);
        fourcc(type);
    }
    // A full box: a box with version and 24-bit flags (4.2).
    void begin_full(const char* type, uint8_t version, uint32_t flags) {
        begin(type);
        u8(version);
        u24(flags);
    }
    void end() {
        size_t start = open_.back();
        open_.pop_back();
        patch32(start, (uint32_t)(s_.size() - start));
    }
    // The unity matrix of mvhd/tkhd: {0x00010000,0,0, 0,0x00010000,0, 0,0,0x40000000}.
    void matrix() {
        const uint32_t m[9] = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};
        for (uint32_t v : m) {
            u32(v);
        }
    }
    // Where the next byte goes, and a 32-bit field written there earlier (a trun's data offset).
    size_t pos() const { return s_.size(); }
    void patch32(size_t at, uint32_t v) {
        for (int i = 0; i < 4; i++) {
            s_[at + i] = (char)((v >> (24 - 8 * i)) & 0xff);
        }
    }
    std::string& str() { return s_; }
    const std::string& str() const { return s_; }

private:
    std::string s_;
    std::vector<size_t> open_;
};
