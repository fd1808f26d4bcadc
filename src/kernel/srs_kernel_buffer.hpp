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

// Reads bits MSB first, for codec headers (SPS, AudioSpecificConfig).
class SrsBitBuffer {
public:
    explicit SrsBitBuffer(SrsBuffer* b) : stream_(b) {}
    bool empty() const { return cb_left_ == 0 && stream_->empty(); }
    // The number of bits left.
    int left_bits() const { return cb_left_ + stream_->left() * 8; }
    int8_t read_bit();
    // Reads n (<= 32) bits.
    uint32_t read_bits(int n);
    // Exp-Golomb unsigned, for H.264/H.265 syntax; false when the bits run out.
    bool read_ue(uint32_t* v);
    bool read_se(int32_t* v);

private:
    SrsBuffer* stream_;
    int8_t cb_ = 0;
    int cb_left_ = 0;
};
