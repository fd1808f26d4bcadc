#include <srs_app_dvr_file.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_kernel_mp4.hpp>
#include <srs_kernel_path.hpp>
#include <srs_protocol_amf0.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace {

// Bytes of one keyframe in the index: an AMF0 number in each of the two arrays.
const int kKeyframeBytes = 2 * 9;
// The append plan starts a part one 25 fps frame after the previous part's last timestamp.
const int64_t kAppendGapMs = 40;
// An onMetaData larger than this is not a DVR file's (ours are ~40 KB).
const int kMaxMetaSize = 4 * 1024 * 1024;

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The first bytes of a tag in a file being scanned: no message (and no payload) to ask.
bool is_sequence_header(uint8_t type, const char* data, int size) {
    return (type == SrsMsgVideo && SrsFlvTag::is_video_sequence_header(data, size)) ||
           (type == SrsMsgAudio && SrsFlvTag::is_audio_sequence_header(data, size));
}

// The publisher's properties from an onMetaData tag body, without the ones the DVR writes.
void copy_publisher_fields(const std::string& meta_body, SrsAmf0EcmaArray* props) {
    if (meta_body.empty()) {
        return;
    }
    SrsBuffer in(const_cast<char*>(meta_body.data()), (int)meta_body.size());
    std::unique_ptr<SrsAmf0Any> name;
    std::unique_ptr<SrsAmf0Any> body;
    srs_error_t err = srs_success;
    // A metadata that does not parse is left out: the file only loses those fields.
    if ((err = SrsAmf0Any::read_any(&in, &name)) == srs_success && name->is_string() && !in.empty() &&
        (err = SrsAmf0Any::read_any(&in, &body)) == srs_success && body->is_property_bag()) {
        const SrsAmf0PropertyBag* bag = body->to_properties();
        for (int i = 0; i < bag->count(); i++) {
            const std::string& k = bag->key_at(i);
            if (k != "duration" && k != "filesize" && k != "keyframes" && k != "padding") {
                props->append(k, bag->value_at(i)->copy());
            }
        }
    }
    srs_error_reset(err);
}

std::string encode_metadata(const SrsAmf0EcmaArray& fields, double duration, double filesize,
                            const std::vector<SrsDvrFlvKeyframe>& keyframes, int padding) {
    SrsAmf0EcmaArray props;
    props.set("duration", SrsAmf0Any::number(duration));
    props.set("filesize", SrsAmf0Any::number(filesize));
    props.copy_properties_from(fields);
    std::unique_ptr<SrsAmf0Object> index = SrsAmf0Any::object();
    std::unique_ptr<SrsAmf0StrictArray> positions = SrsAmf0Any::strict_array();
    std::unique_ptr<SrsAmf0StrictArray> times = SrsAmf0Any::strict_array();
    for (const SrsDvrFlvKeyframe& k : keyframes) {
        positions->append(SrsAmf0Any::number((double)k.position));
        times->append(SrsAmf0Any::number(k.timestamp / 1000.0));
    }
    index->set("filepositions", std::move(positions));
    index->set("times", std::move(times));
    props.set("keyframes", std::move(index));
    // The padding, the last property, is a strict array of nulls: one byte each, so it fills
    // any size, and readers skip it (ffmpeg makes no metadata tag of an array). Encoded empty,
    // then its count and nulls are put in place (no object per byte).
    props.set("padding", SrsAmf0Any::strict_array());

    std::unique_ptr<SrsAmf0Any> name = SrsAmf0Any::str("onMetaData");
    std::string out(name->total_size() + props.total_size(), '\0');
    SrsBuffer buf(&out[0], (int)out.size());
    srs_error_t err = name->write(&buf);
    if (err == srs_success) {
        err = props.write(&buf);
    }
    // The size was computed from the same objects: a failure would be a bug, not input.
    if (err != srs_success) {
        srs_error("dvr: encode onMetaData: %s", srs_error_desc(err).c_str());
        srs_error_reset(err);
        return "";
    }
    // ... count (4 bytes, 0) then the ECMA array's end (00 00 09, AMF0 spec 2.11).
    if (padding > 0) {
        size_t count_at = out.size() - 3 - 4;
        SrsBuffer c(&out[count_at], 4);
        c.write_4bytes(padding);
        out.insert(out.size() - 3, (size_t)padding, (char)SrsAmf0MarkerNull);
    }
    return out;
}

// Writes bytes at offset of the file at path (the file may be open elsewhere in append mode).
srs_error_t write_at(const std::string& path, int64_t offset, const std::string& bytes) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_OPENE, "open %s: %s", path.c_str(), strerror(errno));
    }
    ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), (off_t)offset);
    int e = errno;
    ::close(fd);
    if (n != (ssize_t)bytes.size()) {
        return srs_error_new(ERROR_SYSTEM_FILE_WRITE, "write %s at %lld: %s", path.c_str(), (long long)offset,
                             n < 0 ? strerror(e) : "short write");
    }
    return srs_success;
}

}  // namespace

std::string srs_dvr_flv_metadata(const std::string& meta_body, double duration, double filesize,
                                 const std::vector<SrsDvrFlvKeyframe>& keyframes, int size) {
    SrsAmf0EcmaArray fields;
    copy_publisher_fields(meta_body, &fields);
    if (size <= 0) {
        return encode_metadata(fields, duration, filesize, {}, SRS_DVR_FLV_KEYFRAMES_CAPACITY * kKeyframeBytes);
    }
    std::string base = encode_metadata(fields, duration, filesize, {}, 0);
    if (base.empty() || (int)base.size() > size) {
        return "";
    }
    int room = (size - (int)base.size()) / kKeyframeBytes;
    int n = (int)keyframes.size();
    std::vector<SrsDvrFlvKeyframe> kept;
    if (n <= room) {
        kept = keyframes;
    } else if (room == 1) {
        kept.push_back(keyframes.front());
    } else if (room > 1) {
        // Evenly spaced, the first and the last kept.
        for (int i = 0; i < room; i++) {
            kept.push_back(keyframes[(int64_t)i * (n - 1) / (room - 1)]);
        }
    }
    int padding = size - (int)base.size() - (int)kept.size() * kKeyframeBytes;
    return encode_metadata(fields, duration, filesize, kept, padding);
}

srs_error_t srs_dvr_flv_scan(const std::string& path, SrsDvrFlvScan* out) {
    *out = SrsDvrFlvScan();
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_OPENE, "open %s: %s", path.c_str(), strerror(errno));
    }
    struct stat st;
    int64_t filesize = ::fstat(fd, &st) == 0 ? (int64_t)st.st_size : 0;
    char head[SRS_FLV_HEADER_SIZE + SRS_FLV_PREVIOUS_TAG_SIZE];
    if (::pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) || memcmp(head, "FLV", 3) != 0) {
        ::close(fd);
        return srs_error_new(ERROR_DVR_CANNOT_APPEND, "%s is not an FLV file", path.c_str());
    }
    // Tag headers only (FLV spec E.3), and the first bytes of audio/video to classify them:
    // a long file is read in a fraction of its size.
    int64_t pos = sizeof(head);
    out->end = pos;
    while (pos + SRS_FLV_TAG_HEADER_SIZE <= filesize) {
        char th[SRS_FLV_TAG_HEADER_SIZE];
        if (::pread(fd, th, sizeof(th), (off_t)pos) != (ssize_t)sizeof(th)) {
            break;
        }
        SrsBuffer b(th, sizeof(th));
        uint8_t type = (uint8_t)b.read_1bytes() & 0x1f;
        int32_t size = b.read_3bytes();
        int64_t ts = (uint32_t)b.read_3bytes();
        ts |= (int64_t)(uint8_t)b.read_1bytes() << 24;
        int64_t next = pos + SRS_FLV_TAG_HEADER_SIZE + size + SRS_FLV_PREVIOUS_TAG_SIZE;
        if ((type != SrsMsgAudio && type != SrsMsgVideo && type != SrsMsgAMF0Data) || next > filesize) {
            // A torn or garbled tail (a crash while writing): append after what is whole.
            break;
        }
        char first[5] = {0};
        int nfirst = std::min(size, (int32_t)sizeof(first));
        if (type != SrsMsgAMF0Data &&
            ::pread(fd, first, nfirst, (off_t)(pos + SRS_FLV_TAG_HEADER_SIZE)) != (ssize_t)nfirst) {
            break;
        }
        if (type == SrsMsgAMF0Data && out->meta_offset < 0 && size <= kMaxMetaSize) {
            std::string body(size, '\0');
            if (::pread(fd, &body[0], size, (off_t)(pos + SRS_FLV_TAG_HEADER_SIZE)) != (ssize_t)size) {
                break;
            }
            out->meta_offset = pos + SRS_FLV_TAG_HEADER_SIZE;
            out->meta_size = size;
            out->meta_body = std::move(body);
        } else if (type != SrsMsgAMF0Data && !is_sequence_header(type, first, nfirst)) {
            if (out->first_ts < 0) {
                out->first_ts = ts;
            }
            out->last_ts = std::max(out->last_ts, ts);
            if (type == SrsMsgVideo && SrsFlvTag::is_video_coded_keyframe(first, nfirst)) {
                out->keyframes.push_back(SrsDvrFlvKeyframe{pos, ts});
            }
        }
        pos = next;
        out->end = pos;
    }
    ::close(fd);
    return srs_success;
}

void SrsDvrFile::on_written(const SrsMediaMessage& msg, int64_t timestamp) {
    // The duration is the media's: sequence headers carry no time of their own.
    if (msg.is_av() && !msg.is_sequence_header()) {
        if (first_ts_ < 0) {
            first_ts_ = timestamp;
        }
        last_ts_ = std::max(last_ts_, timestamp);
    }
}

srs_error_t SrsDvrFile::open_tmp(const std::string& path) {
    srs_error_t err = srs_success;
    path_ = path;
    tmp_ = path + ".tmp";
    in_place_ = false;
    if ((err = srs_path_mkdir_all(srs_path_dirname(path))) != srs_success) {
        return srs_error_wrap(err, "dvr folder of %s", path.c_str());
    }
    if ((err = writer_.open(tmp_)) != srs_success) {
        return srs_error_wrap(err, "dvr file");
    }
    return err;
}

srs_error_t SrsDvrFile::finish(srs_error_t err) {
    if (err == srs_success && !in_place_ && ::rename(tmp_.c_str(), path_.c_str()) < 0) {
        err = srs_error_new(ERROR_SYSTEM_FILE_RENAME, "rename %s to %s: %s", tmp_.c_str(), path_.c_str(),
                            strerror(errno));
    }
    if (err != srs_success) {
        if (!in_place_) {
            ::unlink(tmp_.c_str());
        }
        return srs_error_wrap(err, "dvr finish %s", path_.c_str());
    }
    return err;
}

void SrsDvrFile::close_quietly() {
    if (!is_open()) {
        return;
    }
    srs_error_t err = close();
    if (err != srs_success) {
        srs_error("dvr: finish %s: %s", path_.c_str(), srs_error_desc(err).c_str());
        srs_error_reset(err);
    }
}

SrsDvrFlvFile::SrsDvrFlvFile() : enc_(&writer_) {}

SrsDvrFlvFile::~SrsDvrFlvFile() {
    close_quietly();
}

srs_error_t SrsDvrFlvFile::write_head(const SrsMediaMessage* meta) {
    srs_error_t err = srs_success;
    meta_body_ = meta && meta->size() > 0 ? std::string(meta->data(), meta->size()) : std::string();
    std::string body = srs_dvr_flv_metadata(meta_body_, 0, 0, {}, 0);
    meta_offset_ = SRS_FLV_HEADER_SIZE + SRS_FLV_PREVIOUS_TAG_SIZE + SRS_FLV_TAG_HEADER_SIZE;
    meta_size_ = (int)body.size();
    if ((err = enc_.write_header()) != srs_success ||
        (err = enc_.write_tag(SrsMsgAMF0Data, 0, body.data(), (int)body.size())) != srs_success) {
        return srs_error_wrap(err, "dvr write %s", tmp_.c_str());
    }
    return err;
}

srs_error_t SrsDvrFlvFile::open(const std::string& path, const SrsMediaMessage* meta) {
    srs_error_t err = srs_success;
    if ((err = open_tmp(path)) != srs_success) {
        return err;
    }
    if ((err = write_head(meta)) != srs_success) {
        writer_.close();
        ::unlink(tmp_.c_str());
        return err;
    }
    return err;
}

srs_error_t SrsDvrFlvFile::open_append(const std::string& path, const SrsMediaMessage* meta) {
    srs_error_t err = srs_success;
    path_ = path;
    tmp_ = path;
    in_place_ = true;
    if ((err = srs_path_mkdir_all(srs_path_dirname(path))) != srs_success) {
        return srs_error_wrap(err, "dvr folder of %s", path.c_str());
    }
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || st.st_size == 0) {
        // No file yet: a new one, written in place.
        if ((err = writer_.open(path)) != srs_success) {
            return srs_error_wrap(err, "dvr file");
        }
        return write_head(meta);
    }
    SrsDvrFlvScan scan;
    if ((err = srs_dvr_flv_scan(path, &scan)) != srs_success) {
        return srs_error_wrap(err, "dvr append to %s", path.c_str());
    }
    // Cut a torn tail so the next tag follows a whole one.
    if (scan.end < (int64_t)st.st_size && ::truncate(path.c_str(), (off_t)scan.end) != 0) {
        return srs_error_new(ERROR_DVR_CANNOT_APPEND, "dvr append: truncate %s to %lld: %s", path.c_str(),
                             (long long)scan.end, strerror(errno));
    }
    if ((err = writer_.open_append(path)) != srs_success) {
        return srs_error_wrap(err, "dvr append");
    }
    meta_offset_ = scan.meta_offset;
    meta_size_ = scan.meta_size;
    meta_body_ = scan.meta_body;
    keyframes_ = scan.keyframes;
    first_ts_ = scan.first_ts;
    last_ts_ = std::max<int64_t>(0, scan.last_ts);
    append_after_ = scan.last_ts < 0 ? -1 : scan.last_ts + kAppendGapMs;
    srs_trace("dvr: append to %s after %lld bytes, %d keyframes, last timestamp %lld", path.c_str(),
              (long long)scan.end, (int)scan.keyframes.size(), (long long)scan.last_ts);
    return err;
}

srs_error_t SrsDvrFlvFile::write(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    int64_t ts = msg.timestamp;
    if (append_after_ >= 0) {
        // The first message of this part lands just after the previous part.
        if (!offset_set_) {
            ts_offset_ = append_after_ - msg.timestamp;
            offset_set_ = true;
        }
        ts = std::max<int64_t>(0, msg.timestamp + ts_offset_);
    }
    int64_t pos = writer_.tellg();
    if ((err = enc_.write_tag(msg.type, ts, msg.data(), msg.size())) != srs_success) {
        return srs_error_wrap(err, "dvr write %s", tmp_.c_str());
    }
    if (msg.is_video() && SrsFlvTag::is_video_coded_keyframe(msg.data(), msg.size())) {
        keyframes_.push_back(SrsDvrFlvKeyframe{pos, ts});
    }
    on_written(msg, ts);
    return err;
}

srs_error_t SrsDvrFlvFile::close() {
    srs_error_t err = srs_success;
    if (!is_open()) {
        return err;
    }
    // FLV spec E.5 onMetaData: duration in seconds, filesize in bytes; rewritten to the size it
    // was written with, so no tag moves.
    int64_t filesize = writer_.tellg();
    writer_.close();
    if (meta_offset_ > 0) {
        std::string body =
            srs_dvr_flv_metadata(meta_body_, duration_ms() / 1000.0, (double)filesize, keyframes_, meta_size_);
        if (body.empty()) {
            // An appended file whose metadata (not ours) has no room: left as it is.
            srs_warn("dvr: %s: no room to update onMetaData of %d bytes", path_.c_str(), meta_size_);
        } else {
            err = write_at(tmp_, meta_offset_, body);
        }
    }
    return finish(std::move(err));
}

SrsDvrMp4File::SrsDvrMp4File() : muxer_(std::make_unique<SrsMp4Muxer>(&writer_)) {}

SrsDvrMp4File::~SrsDvrMp4File() {
    close_quietly();
}

int64_t SrsDvrMp4File::bytes() const {
    return (int64_t)muxer_->position();
}

srs_error_t SrsDvrMp4File::open(const std::string& path, const SrsMediaMessage*) {
    srs_error_t err = srs_success;
    if ((err = open_tmp(path)) != srs_success) {
        return err;
    }
    if ((err = muxer_->open()) != srs_success) {
        writer_.close();
        ::unlink(tmp_.c_str());
        return srs_error_wrap(err, "dvr write %s", tmp_.c_str());
    }
    return err;
}

srs_error_t SrsDvrMp4File::write(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    if (msg.is_video()) {
        err = muxer_->write_video(msg.timestamp, msg.data(), msg.size());
    } else if (msg.is_audio()) {
        err = muxer_->write_audio(msg.timestamp, msg.data(), msg.size());
    } else {
        return err;
    }
    if (err != srs_success) {
        return srs_error_wrap(err, "dvr write %s", tmp_.c_str());
    }
    on_written(msg, msg.timestamp);
    return err;
}

srs_error_t SrsDvrMp4File::close() {
    srs_error_t err = srs_success;
    if (!is_open()) {
        return err;
    }
    err = muxer_->close();
    writer_.close();
    return finish(std::move(err));
}

bool srs_dvr_path_is_mp4(const std::string& path) {
    return ends_with(path, ".mp4");
}
