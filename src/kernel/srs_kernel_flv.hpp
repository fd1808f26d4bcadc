// FLV file format (FLV spec v10.1 E.2, E.3): the encoder used by HTTP-FLV and DVR, with a
// zero-copy scatter-gather path, and the decoder used to read FLV files and streams.
#pragma once

#include <srs_core_error.hpp>

#include <sys/uio.h>

#include <vector>

class ISrsReader;
class ISrsWriter;
class SrsMediaMessage;

// FLV header (9 bytes) plus PreviousTagSize0 (4 bytes).
const int SRS_FLV_HEADER_SIZE = 9;
const int SRS_FLV_TAG_HEADER_SIZE = 11;
const int SRS_FLV_PREVIOUS_TAG_SIZE = 4;
// DataSize is 24 bits.
const int SRS_FLV_MAX_TAG_SIZE = 0xffffff;

// Writes the 9-byte FLV header and PreviousTagSize0 into out (E.2): "FLV", version 1,
// TypeFlagsAudio (0x04) and TypeFlagsVideo (0x01), DataOffset 9.
void srs_flv_write_header(char out[SRS_FLV_HEADER_SIZE + SRS_FLV_PREVIOUS_TAG_SIZE], bool has_audio, bool has_video);
// Writes an 11-byte tag header (E.3): TagType, DataSize (24), Timestamp (low 24 bits),
// TimestampExtended (bits 24-31), StreamID 0.
void srs_flv_write_tag_header(char out[SRS_FLV_TAG_HEADER_SIZE], uint8_t type, int size, int64_t timestamp);

// Encodes FLV to a writer. For HTTP-FLV, write_tags() sends a batch of shared messages with
// one writev whose iovecs point at small per-tag headers and at the messages' payloads, so
// no payload is copied.
class SrsFlvTransmuxer {
public:
    explicit SrsFlvTransmuxer(ISrsWriter* writer);
    ~SrsFlvTransmuxer();
    SRS_DISALLOW_COPY(SrsFlvTransmuxer);

public:
    void set_writer(ISrsWriter* writer) { writer_ = writer; }
    srs_error_t write_header(bool has_audio = true, bool has_video = true);
    // One tag: header, data, PreviousTagSize.
    srs_error_t write_tag(uint8_t type, int64_t timestamp, const char* data, int size);
    // A batch of messages (audio, video and script), in order.
    srs_error_t write_tags(const SrsMediaMessage* msgs, int count);
    // The iovecs of a batch, for callers that combine them with their own framing. They
    // point into this object's scratch space and the messages: valid until the next call.
    srs_error_t encode_tags(const SrsMediaMessage* msgs, int count, std::vector<iovec>* iovs);

private:
    ISrsWriter* writer_;
    // 15 bytes per tag: the tag header (11) and the PreviousTagSize (4) of that tag.
    std::vector<char> scratch_;
    std::vector<iovec> iovs_;
};

// Reads FLV from a reader (a file or an HTTP body): the header, then tags, with validation.
// A clean end of input between tags is reported with the reader's own error (for a file,
// ERROR_SYSTEM_FILE_EOF); an end inside a tag is ERROR_KERNEL_FLV_TRUNCATED.
class SrsFlvDecoder {
public:
    explicit SrsFlvDecoder(ISrsReader* reader);
    ~SrsFlvDecoder();
    SRS_DISALLOW_COPY(SrsFlvDecoder);

public:
    // Reads and checks the FLV header and PreviousTagSize0.
    srs_error_t read_header(bool* has_audio = nullptr, bool* has_video = nullptr);
    // Reads an 11-byte tag header. Fails on tag types other than 8, 9 and 18, on encrypted
    // (filtered) tags and on a non-zero StreamID.
    srs_error_t read_tag_header(uint8_t* type, int32_t* size, int64_t* timestamp);
    // Reads size bytes of tag data.
    srs_error_t read_tag_data(char* data, int32_t size);
    // Reads the PreviousTagSize after a tag and checks it against the tag.
    srs_error_t read_previous_tag_size(int32_t data_size);
    // All of the above for one tag, into a new shared payload.
    srs_error_t read_message(SrsMediaMessage* msg);
    // How many tags had a PreviousTagSize that did not match (tolerated, logged).
    int bad_previous_tag_sizes() const { return bad_previous_tag_sizes_; }

private:
    // Reads exactly size bytes; *nread tells how many were read before an error.
    srs_error_t read_fully(char* buf, int size, int* nread);

private:
    ISrsReader* reader_;
    int bad_previous_tag_sizes_ = 0;
};

// The FLV tags of an RTMP aggregate message (RTMP spec 7.1.6, type 22): tags back to back, each
// with its PreviousTagSize, read as messages on the aggregate's timeline: the first tag's
// timestamp maps to the aggregate's, later tags keep their offset from it (their stream id is
// the aggregate's). The aggregate must outlive the iterator.
class SrsFlvAggregateIterator {
public:
    explicit SrsFlvAggregateIterator(const SrsMediaMessage& aggregate);
    SRS_DISALLOW_COPY(SrsFlvAggregateIterator);

public:
    // The next tag into msg, or *done at the end; a truncated tag is ERROR_RTMP_AGGREGATE.
    srs_error_t next(SrsMediaMessage* msg, bool* done);

private:
    const SrsMediaMessage& aggregate_;
    const char* p_;
    int left_;
    bool first_ = true;
    int64_t base_ = 0;
};
