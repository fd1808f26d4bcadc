// Audio-only raw streams for the HTTP .aac (ADTS) and .mp3 live mounts: FLV audio tags in,
// the elementary stream out, sent with writev without copying the payloads.
#pragma once

#include <srs_core_error.hpp>
#include <srs_kernel_aac.hpp>
#include <srs_kernel_codec.hpp>

#include <sys/uio.h>

#include <vector>

class ISrsWriter;
class SrsMediaMessage;

// FLV AAC tags -> ADTS stream (ISO 13818-7 6.2). Non-AAC audio and video are skipped.
class SrsAacStreamTransmuxer {
public:
    explicit SrsAacStreamTransmuxer(ISrsWriter* writer);
    ~SrsAacStreamTransmuxer();
    SRS_DISALLOW_COPY(SrsAacStreamTransmuxer);

public:
    srs_error_t write_audio(int64_t timestamp, const char* data, int size);
    // A batch in one writev: ADTS headers from scratch space, raw frames from the payloads.
    srs_error_t write_messages(const SrsMediaMessage* msgs, int count);

private:
    ISrsWriter* writer_;
    SrsFormat format_;
    std::vector<char> headers_;
    std::vector<iovec> iovs_;
};

// FLV MP3 tags -> MPEG audio frames (the tag body minus its 1-byte header).
class SrsMp3StreamTransmuxer {
public:
    explicit SrsMp3StreamTransmuxer(ISrsWriter* writer);
    ~SrsMp3StreamTransmuxer();
    SRS_DISALLOW_COPY(SrsMp3StreamTransmuxer);

public:
    srs_error_t write_audio(int64_t timestamp, const char* data, int size);
    srs_error_t write_messages(const SrsMediaMessage* msgs, int count);

private:
    ISrsWriter* writer_;
    std::vector<iovec> iovs_;
};
