#include <srs_kernel_flv.hpp>

#include <srs_core_io.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_message.hpp>

#include <climits>
#include <cstring>

namespace {

// Bytes of per-tag scratch: tag header then PreviousTagSize.
const int kTagScratch = SRS_FLV_TAG_HEADER_SIZE + SRS_FLV_PREVIOUS_TAG_SIZE;
// Tags per writev: 3 iovecs per tag within the usual IOV_MAX of 1024.
const int kTagsPerWritev = 300;

void write_be32(char* p, uint32_t v) {
    p[0] = (char)(v >> 24);
    p[1] = (char)(v >> 16);
    p[2] = (char)(v >> 8);
    p[3] = (char)v;
}

}  // namespace

void srs_flv_write_header(char out[SRS_FLV_HEADER_SIZE + SRS_FLV_PREVIOUS_TAG_SIZE], bool has_audio, bool has_video) {
    out[0] = 'F';
    out[1] = 'L';
    out[2] = 'V';
    out[3] = 0x01;
    out[4] = (char)((has_audio ? 0x04 : 0x00) | (has_video ? 0x01 : 0x00));
    write_be32(out + 5, SRS_FLV_HEADER_SIZE);
    write_be32(out + 9, 0);
}

void srs_flv_write_tag_header(char out[SRS_FLV_TAG_HEADER_SIZE], uint8_t type, int size, int64_t timestamp) {
    uint32_t ts = (uint32_t)timestamp;
    out[0] = (char)type;
    out[1] = (char)(size >> 16);
    out[2] = (char)(size >> 8);
    out[3] = (char)size;
    out[4] = (char)(ts >> 16);
    out[5] = (char)(ts >> 8);
    out[6] = (char)ts;
    out[7] = (char)(ts >> 24);  // TimestampExtended
    out[8] = out[9] = out[10] = 0;
}

SrsFlvTransmuxer::SrsFlvTransmuxer(ISrsWriter* writer) : writer_(writer) {}

SrsFlvTransmuxer::~SrsFlvTransmuxer() = default;

srs_error_t SrsFlvTransmuxer::write_header(bool has_audio, bool has_video) {
    char header[SRS_FLV_HEADER_SIZE + SRS_FLV_PREVIOUS_TAG_SIZE];
    srs_flv_write_header(header, has_audio, has_video);
    srs_error_t err = writer_->write(header, sizeof(header), nullptr);
    if (err != srs_success) {
        return srs_error_wrap(err, "flv: write header");
    }
    return srs_success;
}

srs_error_t SrsFlvTransmuxer::write_tag(uint8_t type, int64_t timestamp, const char* data, int size) {
    if (size < 0 || size > SRS_FLV_MAX_TAG_SIZE) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "flv: tag of %d bytes", size);
    }
    char head[SRS_FLV_TAG_HEADER_SIZE];
    char tail[SRS_FLV_PREVIOUS_TAG_SIZE];
    srs_flv_write_tag_header(head, type, size, timestamp);
    write_be32(tail, (uint32_t)(SRS_FLV_TAG_HEADER_SIZE + size));
    iovec iov[3];
    int n = 0;
    iov[n++] = iovec{head, sizeof(head)};
    if (size > 0) {
        iov[n++] = iovec{const_cast<char*>(data), (size_t)size};
    }
    iov[n++] = iovec{tail, sizeof(tail)};
    srs_error_t err = writer_->writev(iov, n, nullptr);
    if (err != srs_success) {
        return srs_error_wrap(err, "flv: write tag type=%d size=%d", type, size);
    }
    return srs_success;
}

srs_error_t SrsFlvTransmuxer::encode_tags(const SrsMediaMessage* msgs, int count, std::vector<iovec>* iovs) {
    // Size the scratch first: iovecs point into it, so it must not move while filling.
    scratch_.resize((size_t)count * kTagScratch);
    iovs->clear();
    iovs->reserve((size_t)count * 3);
    for (int i = 0; i < count; i++) {
        const SrsMediaMessage& m = msgs[i];
        int size = m.size();
        if (size > SRS_FLV_MAX_TAG_SIZE) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "flv: message of %d bytes", size);
        }
        char* head = scratch_.data() + (size_t)i * kTagScratch;
        char* tail = head + SRS_FLV_TAG_HEADER_SIZE;
        srs_flv_write_tag_header(head, m.type, size, m.timestamp);
        write_be32(tail, (uint32_t)(SRS_FLV_TAG_HEADER_SIZE + size));
        iovs->push_back(iovec{head, SRS_FLV_TAG_HEADER_SIZE});
        if (size > 0) {
            iovs->push_back(iovec{const_cast<char*>(m.data()), (size_t)size});
        }
        iovs->push_back(iovec{tail, SRS_FLV_PREVIOUS_TAG_SIZE});
    }
    return srs_success;
}

srs_error_t SrsFlvTransmuxer::write_tags(const SrsMediaMessage* msgs, int count) {
    srs_error_t err = srs_success;
    for (int off = 0; off < count; off += kTagsPerWritev) {
        int n = count - off < kTagsPerWritev ? count - off : kTagsPerWritev;
        if ((err = encode_tags(msgs + off, n, &iovs_)) != srs_success) {
            return err;
        }
        if ((err = writer_->writev(iovs_.data(), (int)iovs_.size(), nullptr)) != srs_success) {
            return srs_error_wrap(err, "flv: writev %d tags", n);
        }
    }
    // The batch's headers and iovecs live only while it is sent: a live player holds none
    // between its writes, and the allocator hands the same memory to the next player.
    std::vector<char>().swap(scratch_);
    std::vector<iovec>().swap(iovs_);
    return srs_success;
}

SrsFlvDecoder::SrsFlvDecoder(ISrsReader* reader) : reader_(reader) {}

SrsFlvDecoder::~SrsFlvDecoder() = default;

srs_error_t SrsFlvDecoder::read_fully(char* buf, int size, int* nread) {
    *nread = 0;
    while (*nread < size) {
        ssize_t n = 0;
        srs_error_t err = reader_->read(buf + *nread, size - *nread, &n);
        if (err != srs_success) {
            return err;
        }
        if (n <= 0) {
            return srs_error_new(ERROR_SYSTEM_FILE_EOF, "flv: reader returned %d", (int)n);
        }
        *nread += (int)n;
    }
    return srs_success;
}

srs_error_t SrsFlvDecoder::read_header(bool* has_audio, bool* has_video) {
    char h[SRS_FLV_HEADER_SIZE];
    int n = 0;
    srs_error_t err = read_fully(h, sizeof(h), &n);
    if (err != srs_success) {
        return srs_error_wrap(err, "flv: header, read %d of %d bytes", n, (int)sizeof(h));
    }
    if (h[0] != 'F' || h[1] != 'L' || h[2] != 'V') {
        return srs_error_new(ERROR_KERNEL_FLV_HEADER, "flv: bad signature %s", srs_hex_dump(h, 3).c_str());
    }
    if (h[3] != 0x01) {
        return srs_error_new(ERROR_KERNEL_FLV_HEADER, "flv: version %d", (int)(uint8_t)h[3]);
    }
    uint32_t offset = ((uint32_t)(uint8_t)h[5] << 24) | ((uint8_t)h[6] << 16) | ((uint8_t)h[7] << 8) | (uint8_t)h[8];
    // DataOffset is 9 in version 1; tolerate a little extension, not an arbitrary skip.
    if (offset < (uint32_t)SRS_FLV_HEADER_SIZE || offset > 1024) {
        return srs_error_new(ERROR_KERNEL_FLV_HEADER, "flv: DataOffset %u", offset);
    }
    char skip[1024];
    if (offset > (uint32_t)SRS_FLV_HEADER_SIZE &&
        (err = read_fully(skip, (int)offset - SRS_FLV_HEADER_SIZE, &n)) != srs_success) {
        return srs_error_wrap(err, "flv: header extension of %u bytes", offset - SRS_FLV_HEADER_SIZE);
    }
    char pts[SRS_FLV_PREVIOUS_TAG_SIZE];
    if ((err = read_fully(pts, sizeof(pts), &n)) != srs_success) {
        return srs_error_wrap(err, "flv: PreviousTagSize0");
    }
    if (has_audio) {
        *has_audio = (h[4] & 0x04) != 0;
    }
    if (has_video) {
        *has_video = (h[4] & 0x01) != 0;
    }
    return srs_success;
}

srs_error_t SrsFlvDecoder::read_tag_header(uint8_t* type, int32_t* size, int64_t* timestamp) {
    char h[SRS_FLV_TAG_HEADER_SIZE];
    int n = 0;
    srs_error_t err = read_fully(h, sizeof(h), &n);
    if (err != srs_success) {
        if (n == 0) {
            // The input ended between tags: the caller decides whether that is the end.
            return srs_error_wrap(err, "flv: tag header");
        }
        srs_error_reset(err);
        return srs_error_new(ERROR_KERNEL_FLV_TRUNCATED, "flv: tag header truncated at %d of %d bytes", n,
                             (int)sizeof(h));
    }
    uint8_t t = (uint8_t)h[0];
    // Bit 5 is the Filter (encryption) flag (E.3); we cannot decrypt.
    if (t & 0x20) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "flv: encrypted tag, type=0x%02x", t);
    }
    t &= 0x1f;
    if (t != 8 && t != 9 && t != 18) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "flv: tag type %d", t);
    }
    int32_t s = ((uint8_t)h[1] << 16) | ((uint8_t)h[2] << 8) | (uint8_t)h[3];
    uint32_t ts = ((uint32_t)(uint8_t)h[7] << 24) | ((uint8_t)h[4] << 16) | ((uint8_t)h[5] << 8) | (uint8_t)h[6];
    if (h[8] != 0 || h[9] != 0 || h[10] != 0) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "flv: StreamID %s", srs_hex_dump(h + 8, 3).c_str());
    }
    *type = t;
    *size = s;
    *timestamp = (int64_t)ts;
    return srs_success;
}

srs_error_t SrsFlvDecoder::read_tag_data(char* data, int32_t size) {
    int n = 0;
    srs_error_t err = read_fully(data, size, &n);
    if (err != srs_success) {
        srs_error_reset(err);
        return srs_error_new(ERROR_KERNEL_FLV_TRUNCATED, "flv: tag data truncated at %d of %d bytes", n, size);
    }
    return srs_success;
}

srs_error_t SrsFlvDecoder::read_previous_tag_size(int32_t data_size) {
    char b[SRS_FLV_PREVIOUS_TAG_SIZE];
    int n = 0;
    srs_error_t err = read_fully(b, sizeof(b), &n);
    if (err != srs_success) {
        srs_error_reset(err);
        return srs_error_new(ERROR_KERNEL_FLV_TRUNCATED, "flv: PreviousTagSize truncated at %d of 4 bytes", n);
    }
    uint32_t v = ((uint32_t)(uint8_t)b[0] << 24) | ((uint8_t)b[1] << 16) | ((uint8_t)b[2] << 8) | (uint8_t)b[3];
    // Some writers put wrong values here; the tag itself is intact, so only count it.
    if (v != (uint32_t)(SRS_FLV_TAG_HEADER_SIZE + data_size)) {
        if (bad_previous_tag_sizes_++ == 0) {
            srs_warn("flv: PreviousTagSize %u, expect %d", v, SRS_FLV_TAG_HEADER_SIZE + data_size);
        }
    }
    return srs_success;
}

srs_error_t SrsFlvDecoder::read_message(SrsMediaMessage* msg) {
    srs_error_t err = srs_success;
    uint8_t type = 0;
    int32_t size = 0;
    int64_t timestamp = 0;
    if ((err = read_tag_header(&type, &size, &timestamp)) != srs_success) {
        return err;
    }
    auto payload = std::make_shared<SrsSharedPayload>(size);
    if ((err = read_tag_data(payload->data(), size)) != srs_success) {
        return err;
    }
    if ((err = read_previous_tag_size(size)) != srs_success) {
        return err;
    }
    *msg = SrsMediaMessage(type, timestamp, 0, std::move(payload));
    return srs_success;
}

SrsFlvAggregateIterator::SrsFlvAggregateIterator(const SrsMediaMessage& aggregate)
    : aggregate_(aggregate), p_(aggregate.data()), left_(aggregate.size()) {}

srs_error_t SrsFlvAggregateIterator::next(SrsMediaMessage* msg, bool* done) {
    *done = left_ <= 0;
    if (*done) {
        return srs_success;
    }
    if (left_ < SRS_FLV_TAG_HEADER_SIZE) {
        return srs_error_new(ERROR_RTMP_AGGREGATE, "aggregate tag header needs 11 bytes, %d left", left_);
    }
    const uint8_t* h = (const uint8_t*)p_;
    uint8_t type = h[0];
    int size = (h[1] << 16) | (h[2] << 8) | h[3];
    int64_t ts = ((int64_t)h[7] << 24) | (h[4] << 16) | (h[5] << 8) | h[6];
    int whole = SRS_FLV_TAG_HEADER_SIZE + size + SRS_FLV_PREVIOUS_TAG_SIZE;
    if (left_ < whole) {
        return srs_error_new(ERROR_RTMP_AGGREGATE, "aggregate tag of %d bytes, %d left", size,
                             left_ - SRS_FLV_TAG_HEADER_SIZE);
    }
    if (first_) {
        first_ = false;
        base_ = ts;
    }
    *msg = SrsMediaMessage::create(type, aggregate_.timestamp + (ts - base_), aggregate_.stream_id,
                                   p_ + SRS_FLV_TAG_HEADER_SIZE, size);
    p_ += whole;
    left_ -= whole;
    return srs_success;
}
