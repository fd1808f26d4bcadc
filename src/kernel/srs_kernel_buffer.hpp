// A bounds-checked cursor over bytes for reading and writing big-endian integers, the
// byte order of RTMP, AMF, FLV and MPEG-TS. Callers check require() before reading.
#pragma once

#include <srs_core.hpp>

#include <string>

class SrsBuffer {
public:
    SrsBuffer(char* data, int size) : data_(data), pos_(data), size_(size) {}

    char* data() const { return data_; }
    char* head() const { return pos_; }
    int size() const { return size_; }
    int pos() const { return (int)(pos_ - data_); }
    int left() const { return size_ - pos(); }
    bool empty() const { return left() <= 0; }
    // Whether n more bytes are available.
    bool require(int n) const { return n >= 0 && n <= left(); }
    void skip(int n) { pos_ += n; }

    int8_t read_1bytes();
    int16_t read_2bytes();
    int16_t read_le2bytes();
    int32_t read_3bytes();
    int32_t read_le3bytes();
    int32_t read_4bytes();
    int32_t read_le4bytes();
    int64_t read_8bytes();
    int64_t read_le8bytes();
    std::string read_string(int len);
    void read_bytes(char* out, int size);

    void write_1bytes(int8_t v);
    void write_2bytes(int16_t v);
    void write_le2bytes(int16_t v);
    void write_3bytes(int32_t v);
    void write_le3bytes(int32_t v);
    void write_4bytes(int32_t v);
    void write_le4bytes(int32_t v);
    void write_8bytes(int64_t v);
    void write_le8bytes(int64_t v);
    void write_string(const std::string& v);
    void write_bytes(const char* data, int size);

private:
    char* data_;
    char* pos_;
    int size_;
};

// Reads bits MSB first from bytes, for codec headers (H.264/H.265 SPS, AudioSpecificConfig,
// the AV1 sequence header, the VP9 frame header, AC-3 bsi). Bounds-checked: a read past the end
// reads nothing, returns false (or 0) and is remembered in failed(), so a parser may check each
// read or once at its end.
class SrsBitReader {
public:
    SrsBitReader(const char* data, int size) : data_((const uint8_t*)data), nbits_(size > 0 ? (int64_t)size * 8 : 0) {}
    // n (0..32) bits into *v; false when fewer are left.
    bool bits(int n, uint32_t* v);
    // n (0..32) bits; 0 when fewer are left.
    uint32_t u(int n) {
        uint32_t v = 0;
        return bits(n, &v) ? v : 0;
    }
    bool skip(int n);
    // Exp-Golomb ue(v) and se(v) (H.264 9.1), at most 31 leading zeros.
    bool ue(uint32_t* v);
    bool se(int32_t* v);
    // AV1 uvlc() (AV1 spec 4.10.3), skipped (the value is not kept).
    bool skip_uvlc();
    int64_t left_bits() const { return nbits_ - pos_; }
    bool failed() const { return failed_; }

private:
    // Reads 0 bits up to a 1 (at most max of them before it): their count.
    bool leading_zeros(int max, int* zeros);

private:
    const uint8_t* data_;
    int64_t nbits_;
    int64_t pos_ = 0;
    bool failed_ = false;
};
