#include <srs_kernel_buffer.hpp>

#include <cstdint>
#include <cstring>

int8_t SrsBuffer::read_1bytes() {
    return (int8_t)*pos_++;
}

int16_t SrsBuffer::read_2bytes() {
    uint16_t v = ((uint8_t)pos_[0] << 8) | (uint8_t)pos_[1];
    pos_ += 2;
    return (int16_t)v;
}

int16_t SrsBuffer::read_le2bytes() {
    uint16_t v = ((uint8_t)pos_[1] << 8) | (uint8_t)pos_[0];
    pos_ += 2;
    return (int16_t)v;
}

int32_t SrsBuffer::read_3bytes() {
    uint32_t v = ((uint8_t)pos_[0] << 16) | ((uint8_t)pos_[1] << 8) | (uint8_t)pos_[2];
    pos_ += 3;
    return (int32_t)v;
}

int32_t SrsBuffer::read_le3bytes() {
    uint32_t v = ((uint8_t)pos_[2] << 16) | ((uint8_t)pos_[1] << 8) | (uint8_t)pos_[0];
    pos_ += 3;
    return (int32_t)v;
}

int32_t SrsBuffer::read_4bytes() {
    uint32_t v =
        ((uint32_t)(uint8_t)pos_[0] << 24) | ((uint8_t)pos_[1] << 16) | ((uint8_t)pos_[2] << 8) | (uint8_t)pos_[3];
    pos_ += 4;
    return (int32_t)v;
}

int32_t SrsBuffer::read_le4bytes() {
    uint32_t v =
        ((uint32_t)(uint8_t)pos_[3] << 24) | ((uint8_t)pos_[2] << 16) | ((uint8_t)pos_[1] << 8) | (uint8_t)pos_[0];
    pos_ += 4;
    return (int32_t)v;
}

int64_t SrsBuffer::read_8bytes() {
    uint64_t hi = (uint32_t)read_4bytes();
    uint64_t lo = (uint32_t)read_4bytes();
    return (int64_t)((hi << 32) | lo);
}

int64_t SrsBuffer::read_le8bytes() {
    uint64_t lo = (uint32_t)read_le4bytes();
    uint64_t hi = (uint32_t)read_le4bytes();
    return (int64_t)((hi << 32) | lo);
}

std::string SrsBuffer::read_string(int len) {
    std::string v(pos_, len);
    pos_ += len;
    return v;
}

void SrsBuffer::read_bytes(char* out, int size) {
    memcpy(out, pos_, size);
    pos_ += size;
}

void SrsBuffer::write_1bytes(int8_t v) {
    *pos_++ = (char)v;
}

void SrsBuffer::write_2bytes(int16_t v) {
    *pos_++ = (char)(v >> 8);
    *pos_++ = (char)v;
}

void SrsBuffer::write_le2bytes(int16_t v) {
    *pos_++ = (char)v;
    *pos_++ = (char)(v >> 8);
}

void SrsBuffer::write_3bytes(int32_t v) {
    *pos_++ = (char)(v >> 16);
    *pos_++ = (char)(v >> 8);
    *pos_++ = (char)v;
}

void SrsBuffer::write_le3bytes(int32_t v) {
    *pos_++ = (char)v;
    *pos_++ = (char)(v >> 8);
    *pos_++ = (char)(v >> 16);
}

void SrsBuffer::write_4bytes(int32_t v) {
    *pos_++ = (char)(v >> 24);
    *pos_++ = (char)(v >> 16);
    *pos_++ = (char)(v >> 8);
    *pos_++ = (char)v;
}

void SrsBuffer::write_le4bytes(int32_t v) {
    *pos_++ = (char)v;
    *pos_++ = (char)(v >> 8);
    *pos_++ = (char)(v >> 16);
    *pos_++ = (char)(v >> 24);
}

void SrsBuffer::write_8bytes(int64_t v) {
    write_4bytes((int32_t)(v >> 32));
    write_4bytes((int32_t)v);
}

void SrsBuffer::write_le8bytes(int64_t v) {
    write_le4bytes((int32_t)v);
    write_le4bytes((int32_t)(v >> 32));
}

void SrsBuffer::write_string(const std::string& v) {
    write_bytes(v.data(), (int)v.size());
}

void SrsBuffer::write_bytes(const char* data, int size) {
    if (size > 0) {
        memcpy(pos_, data, size);
        pos_ += size;
    }
}

bool SrsBitReader::bits(int n, uint32_t* v) {
    if (n < 0 || n > 32 || pos_ + n > nbits_) {
        failed_ = true;
        return false;
    }
    uint32_t r = 0;
    for (int i = 0; i < n; i++, pos_++) {
        r = (r << 1) | ((data_[pos_ >> 3] >> (7 - (pos_ & 7))) & 1);
    }
    *v = r;
    return true;
}

bool SrsBitReader::skip(int n) {
    if (n < 0 || pos_ + n > nbits_) {
        failed_ = true;
        return false;
    }
    pos_ += n;
    return true;
}

bool SrsBitReader::leading_zeros(int max, int* zeros) {
    uint32_t bit = 0;
    for (*zeros = 0; *zeros <= max; (*zeros)++) {
        if (!bits(1, &bit)) {
            return false;
        }
        if (bit) {
            return true;
        }
    }
    failed_ = true;
    return false;
}

bool SrsBitReader::ue(uint32_t* v) {
    int zeros = 0;
    uint32_t rest = 0;
    if (!leading_zeros(31, &zeros) || !bits(zeros, &rest)) {
        return false;
    }
    *v = (uint32_t)((1ULL << zeros) - 1 + rest);
    return true;
}

bool SrsBitReader::se(int32_t* v) {
    uint32_t k = 0;
    if (!ue(&k)) {
        return false;
    }
    *v = (k & 1) ? (int32_t)((k + 1) / 2) : -(int32_t)(k / 2);
    return true;
}

bool SrsBitReader::skip_uvlc() {
    // 32 leading zeros or more is the spec's (1 << 32) - 1 with no value bits.
    int zeros = 0;
    if (!leading_zeros(INT32_MAX - 1, &zeros)) {
        return false;
    }
    return zeros >= 32 || skip(zeros);
}
