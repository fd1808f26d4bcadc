#include <srs_kernel_raw_audio.hpp>

#include <srs_core_io.hpp>
#include <srs_kernel_message.hpp>

namespace {

// Messages per writev: two iovecs each, within the usual IOV_MAX of 1024.
const int kMessagesPerWritev = 500;

bool srs_is_mp3_tag(const char* data, int size) {
    if (size < 2) {
        return false;
    }
    int id = (uint8_t)data[0] >> 4;
    return id == SrsAudioCodecIdMP3 || id == SrsAudioCodecIdMP38kHz;
}

}  // namespace

SrsAacStreamTransmuxer::SrsAacStreamTransmuxer(ISrsWriter* writer) : writer_(writer) {}

SrsAacStreamTransmuxer::~SrsAacStreamTransmuxer() = default;

srs_error_t SrsAacStreamTransmuxer::write_audio(int64_t timestamp, const char* data, int size) {
    srs_error_t err = format_.on_audio(timestamp, data, size);
    if (err != srs_success) {
        return srs_error_wrap(err, "aac stream: parse");
    }
    const SrsAudioFrame& f = format_.audio();
    if (f.codec != SrsAudioCodecIdAAC || f.sequence_header || f.samples.empty() || !format_.has_audio_config()) {
        return srs_success;
    }
    char adts[SRS_ADTS_HEADER_SIZE];
    if ((err = srs_adts_write_header(format_.acodec(), f.samples[0].size, adts)) != srs_success) {
        return srs_error_wrap(err, "aac stream: adts");
    }
    iovec iov[2] = {{adts, SRS_ADTS_HEADER_SIZE}, {const_cast<char*>(f.samples[0].data), (size_t)f.samples[0].size}};
    if ((err = writer_->writev(iov, 2, nullptr)) != srs_success) {
        return srs_error_wrap(err, "aac stream: write");
    }
    return srs_success;
}

srs_error_t SrsAacStreamTransmuxer::write_messages(const SrsMediaMessage* msgs, int count) {
    srs_error_t err = srs_success;
    for (int off = 0; off < count; off += kMessagesPerWritev) {
        int n = count - off < kMessagesPerWritev ? count - off : kMessagesPerWritev;
        // Headers first, so the vector does not move under the iovecs.
        headers_.resize((size_t)n * SRS_ADTS_HEADER_SIZE);
        iovs_.clear();
        for (int i = 0; i < n; i++) {
            const SrsMediaMessage& m = msgs[off + i];
            if (!m.is_audio()) {
                continue;
            }
            if ((err = format_.on_audio(m.timestamp, m.data(), m.size())) != srs_success) {
                return srs_error_wrap(err, "aac stream: parse");
            }
            const SrsAudioFrame& f = format_.audio();
            if (f.codec != SrsAudioCodecIdAAC || f.sequence_header || f.samples.empty() ||
                !format_.has_audio_config()) {
                continue;
            }
            char* adts = headers_.data() + (size_t)i * SRS_ADTS_HEADER_SIZE;
            if ((err = srs_adts_write_header(format_.acodec(), f.samples[0].size, adts)) != srs_success) {
                return srs_error_wrap(err, "aac stream: adts");
            }
            iovs_.push_back(iovec{adts, SRS_ADTS_HEADER_SIZE});
            iovs_.push_back(iovec{const_cast<char*>(f.samples[0].data), (size_t)f.samples[0].size});
        }
        if (!iovs_.empty() && (err = writer_->writev(iovs_.data(), (int)iovs_.size(), nullptr)) != srs_success) {
            return srs_error_wrap(err, "aac stream: write");
        }
    }
    return srs_success;
}

SrsMp3StreamTransmuxer::SrsMp3StreamTransmuxer(ISrsWriter* writer) : writer_(writer) {}

SrsMp3StreamTransmuxer::~SrsMp3StreamTransmuxer() = default;

srs_error_t SrsMp3StreamTransmuxer::write_audio(int64_t /*timestamp*/, const char* data, int size) {
    if (!srs_is_mp3_tag(data, size)) {
        return srs_success;
    }
    srs_error_t err = writer_->write(data + 1, size - 1, nullptr);
    if (err != srs_success) {
        return srs_error_wrap(err, "mp3 stream: write");
    }
    return srs_success;
}

srs_error_t SrsMp3StreamTransmuxer::write_messages(const SrsMediaMessage* msgs, int count) {
    srs_error_t err = srs_success;
    for (int off = 0; off < count; off += kMessagesPerWritev) {
        int n = count - off < kMessagesPerWritev ? count - off : kMessagesPerWritev;
        iovs_.clear();
        for (int i = 0; i < n; i++) {
            const SrsMediaMessage& m = msgs[off + i];
            if (m.is_audio() && srs_is_mp3_tag(m.data(), m.size())) {
                iovs_.push_back(iovec{const_cast<char*>(m.data()) + 1, (size_t)m.size() - 1});
            }
        }
        if (!iovs_.empty() && (err = writer_->writev(iovs_.data(), (int)iovs_.size(), nullptr)) != srs_success) {
            return srs_error_wrap(err, "mp3 stream: write");
        }
    }
    return srs_success;
}
