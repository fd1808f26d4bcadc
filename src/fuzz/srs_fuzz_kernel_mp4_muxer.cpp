// libFuzzer target: arbitrary FLV audio/video tag bodies (legacy and enhanced RTMP) through the
// MP4 muxer (SrsFormat, the AV1 temporal delimiter filter, the VP9 frame header, the Opus dOps,
// MP3, the AC-3/E-AC-3 headers) into memory, then its moov. Input: records [type (1 byte: even
// audio, odd video)][size (2 bytes)][body], as srs_fuzz_kernel_media.
#include "srs_fuzz_records.hpp"

#include <srs_kernel_io.hpp>
#include <srs_kernel_mp4.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace {

// A file in memory; seeks stay within what was written (the muxer only seeks back to the mdat).
class FuzzSeekWriter : public ISrsSeekWriter {
public:
    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override {
        if (file_.size() < pos_ + size) {
            file_.resize(pos_ + size);
        }
        memcpy(&file_[pos_], buf, size);
        pos_ += size;
        if (nwrite) {
            *nwrite = (ssize_t)size;
        }
        return srs_success;
    }
    srs_error_t writev(const iovec* iov, int n, ssize_t* nwrite) override {
        size_t total = 0;
        for (int i = 0; i < n; i++) {
            srs_error_t err = write(iov[i].iov_base, iov[i].iov_len, nullptr);
            srs_error_reset(err);
            total += iov[i].iov_len;
        }
        if (nwrite) {
            *nwrite = (ssize_t)total;
        }
        return srs_success;
    }
    srs_error_t seek(int64_t offset) override {
        pos_ = (size_t)offset;
        return srs_success;
    }
    const std::string& file() const { return file_; }

private:
    std::string file_;
    size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzSeekWriter w;
    SrsMp4Muxer m(&w);
    srs_error_t err = m.open();
    srs_error_reset(err);
    int64_t timestamp = 0;
    srs_fuzz_each_record(data, size, [&m, &timestamp](uint8_t type, const char* body, int n) {
        // Time goes back now and then: the muxer must keep its tables monotonic.
        timestamp += (type & 0x80) ? -7 : 20;
        srs_error_t e = (type & 1) ? m.write_video(timestamp, body, n) : m.write_audio(timestamp, body, n);
        srs_error_reset(e);
    });
    err = m.close();
    srs_error_reset(err);
    // Every sample the tables index is inside the file, and the file is as long as the muxer says.
    if (w.file().size() != m.position()) {
        __builtin_trap();
    }
    for (const SrsMp4Track* t : {&m.video(), &m.audio()}) {
        for (const SrsMp4Sample& s : t->samples) {
            if (s.offset + s.size > m.position()) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
