#include <srs_app_hls_muxer.hpp>

#include <srs_app_hls_fmp4.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_message.hpp>
#include <srs_kernel_ts.hpp>
#include <srs_protocol_aes.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace {

// A segment shorter than this is never cut (SRS: twice its 100 ms minimum), so a burst of
// keyframes cannot make tiny segments.
const int64_t kMinSegmentMs = 200;
// A timestamp that goes back more than this, or jumps forward more than the larger of this
// and three target durations, starts a new discontinuous segment.
const int64_t kTimestampJumpMs = 10000;
const int64_t kTimestampBackMs = 1000;
// hls_ts_floor, as in SRS: how many fragments [timestamp] may drift from the clock before it is
// pulled back, and how much of a fragment a segment bends per fragment of drift.
const int64_t kFloorMaxDeviation = 10;
const double kFloorReapRatio = 0.3;
// How the playlist names a segment's init segment (RFC 8216 4.3.2.5), read back by hls_recover.
const char* const kMapTag = "#EXT-X-MAP:URI=\"";
const char* const kKeyTag = "#EXT-X-KEY:";

// The URI="..." attribute of a tag line; empty when none.
std::string uri_attribute(const std::string& line) {
    size_t from = line.find("URI=\"");
    if (from == std::string::npos) {
        return "";
    }
    from += 5;
    size_t quote = line.find('"', from);
    return line.substr(from, quote == std::string::npos ? std::string::npos : quote - from);
}

}  // namespace

SrsHlsOnError srs_hls_on_error_from(const std::string& v) {
    if (v == "ignore") {
        return SrsHlsOnError::Ignore;
    }
    if (v == "disconnect") {
        return SrsHlsOnError::Disconnect;
    }
    return SrsHlsOnError::Continue;
}

SrsHlsStorage srs_hls_storage_from(const std::string& v) {
    if (v == "ram") {
        return SrsHlsStorage::Ram;
    }
    if (v == "both") {
        return SrsHlsStorage::Both;
    }
    return SrsHlsStorage::Disk;
}

int64_t srs_hls_floor_next_piece(int64_t previous, int64_t now_piece) {
    int64_t next = previous ? previous + 1 : now_piece - 1;
    if (next - now_piece > kFloorMaxDeviation || now_piece - next > kFloorMaxDeviation) {
        next = now_piece - 1;
    }
    return next;
}

// Where the TS of a segment goes: its file, its RAM buffer, or both.
class SrsHlsMuxer::SegmentWriter : public ISrsWriter {
public:
    SegmentWriter(bool disk, bool ram) : disk_(disk), ram_(ram) {}

    srs_error_t open(const std::string& tmp_path) { return disk_ ? file_.open(tmp_path) : srs_success; }
    // hls_keys: what is written from now on is encrypted.
    srs_error_t encrypt(const std::string& key, const std::string& iv) {
        cipher_ = std::make_unique<SrsAes128CbcEncryptor>();
        return cipher_->init(key, iv);
    }
    // Writes what the cipher holds back (the padded last block).
    srs_error_t finish() {
        srs_error_t err = srs_success;
        if (!cipher_) {
            return srs_success;
        }
        sealed_.clear();
        if ((err = cipher_->finish(&sealed_)) != srs_success) {
            return srs_error_wrap(err, "encrypt segment");
        }
        cipher_.reset();
        iovec iov{&sealed_[0], sealed_.size()};
        return write_plain(&iov, 1);
    }
    void close() { file_.close(); }
    const std::string& tmp_path() const { return file_.path(); }
    std::string& memory() { return mem_; }
    int64_t bytes() const { return bytes_; }

    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override {
        iovec iov{const_cast<void*>(buf), size};
        return writev(&iov, 1, nwrite);
    }
    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override {
        srs_error_t err = srs_success;
        ssize_t total = 0;
        for (int i = 0; i < iov_size; i++) {
            total += (ssize_t)iov[i].iov_len;
        }
        if (!cipher_) {
            err = write_plain(iov, iov_size);
        } else {
            sealed_.clear();
            for (int i = 0; i < iov_size && err == srs_success; i++) {
                err = cipher_->update(iov[i].iov_base, iov[i].iov_len, &sealed_);
            }
            iovec sealed{&sealed_[0], sealed_.size()};
            err = err != srs_success ? srs_error_wrap(err, "encrypt segment") : write_plain(&sealed, 1);
        }
        if (err != srs_success) {
            return err;
        }
        if (nwrite) {
            *nwrite = total;
        }
        return srs_success;
    }

private:
    srs_error_t write_plain(const iovec* iov, int iov_size) {
        srs_error_t err = srs_success;
        if (disk_ && (err = file_.writev(iov, iov_size, nullptr)) != srs_success) {
            return srs_error_wrap(err, "write segment");
        }
        for (int i = 0; i < iov_size; i++) {
            if (ram_) {
                mem_.append((const char*)iov[i].iov_base, iov[i].iov_len);
            }
            bytes_ += (int64_t)iov[i].iov_len;
        }
        return srs_success;
    }

    bool disk_;
    bool ram_;
    SrsFileWriter file_;
    std::string mem_;
    int64_t bytes_ = 0;
    // hls_keys: the segment's cipher, and its output of one write.
    std::unique_ptr<SrsAes128CbcEncryptor> cipher_;
    std::string sealed_;
};

SrsHlsMuxer::SrsHlsMuxer(const std::string& vhost, const std::string& app, const std::string& stream,
                         SrsHlsMemoryStore* store, ISrsHlsHooks* hooks)
    : vhost_(vhost), app_(app), stream_(stream), store_(store), hooks_(hooks) {}

SrsHlsMuxer::~SrsHlsMuxer() {
    // The files stay (dispose() is the owner's decision); only a partial segment is dropped.
    abandon_segment();
}

srs_error_t SrsHlsMuxer::on_publish(const SrsHlsConfig& config) {
    srs_error_t err = srs_success;
    if (publishing_) {
        if ((err = on_unpublish()) != srs_success) {
            srs_warn("hls: end previous publish of %s/%s: %s", app_.c_str(), stream_.c_str(),
                     srs_error_desc(err).c_str());
            srs_error_reset(err);
        }
    }
    if (config.in_ram() && !store_) {
        return srs_error_new(ERROR_HLS_WRITE_FAILED, "hls: no RAM store for hls_storage ram");
    }

    std::string m3u8_rel = srs_path_clean(srs_path_template_expand(config.m3u8_file, template_values(0)));
    if (m3u8_rel.empty() || srs_string_starts_with(m3u8_rel, "..")) {
        return srs_error_new(ERROR_HLS_WRITE_FAILED, "hls: invalid hls_m3u8_file %s", config.m3u8_file.c_str());
    }

    // A playlist that moves (another path, file name or storage) leaves nothing behind; nor
    // does a change between TS and fMP4: one playlist cannot hold both.
    if (configured_ && (m3u8_rel != m3u8_rel_ || config.path != config_.path || config.storage != config_.storage ||
                        config.use_fmp4 != config_.use_fmp4)) {
        dispose();
    }
    bool first = !configured_;
    config_ = config;
    configured_ = true;
    m3u8_rel_ = m3u8_rel;
    if (first && config_.recover && config_.on_disk()) {
        recover_sequence();
    }

    next_discontinuity_ = !segments_.empty();
    if (config_.use_fmp4) {
        ts_.reset();
        if (!fmp4_) {
            fmp4_ = std::make_unique<SrsHlsFmp4Segmenter>();
        } else {
            fmp4_->new_epoch();
        }
    } else {
        fmp4_.reset();
        ts_ = std::make_unique<SrsTsTransmuxer>(nullptr);
    }
    // Each publish gets a key of its own (hls_keys may have changed too).
    key_.reset();
    info_.reset();
    has_video_ = has_audio_ = got_keyframe_ = false;
    has_last_dts_ = false;
    last_dts_ = 0;
    last_video_dts_ = last_audio_dts_ = -1;
    video_sh_.clear();
    audio_sh_.clear();
    stat_ = SrsHlsStat();
    publishing_ = true;
    srs_trace(
        "hls: publish %s/%s/%s, m3u8=%s, %s, fragment=%.3fs, window=%.3fs, storage=%s, seq=%" PRId64, vhost_.c_str(),
        app_.c_str(), stream_.c_str(), m3u8_rel_.c_str(), config_.use_fmp4 ? "fmp4" : "ts",
        (double)config_.fragment / SRS_UTIME_SECONDS, (double)config_.window / SRS_UTIME_SECONDS,
        config_.storage == SrsHlsStorage::Disk ? "disk" : (config_.storage == SrsHlsStorage::Ram ? "ram" : "both"),
        next_seq_);
    return srs_success;
}

srs_error_t SrsHlsMuxer::on_unpublish() {
    srs_error_t err = srs_success;
    if (!publishing_) {
        return srs_success;
    }
    publishing_ = false;
    if (current_ && current_has_frames_) {
        err = close_segment(last_dts_);
    } else {
        abandon_segment();
    }
    ts_.reset();
    srs_trace("hls: unpublish %s/%s/%s, segments=%" PRId64 ", dropped=%" PRId64 ", next seq=%" PRId64, vhost_.c_str(),
              app_.c_str(), stream_.c_str(), stat_.nb_segments, stat_.nb_dropped_frames, next_seq_);
    if (err != srs_success) {
        return srs_error_wrap(err, "hls: close last segment");
    }
    return srs_success;
}

srs_error_t SrsHlsMuxer::on_audio(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    if (!publishing_ || config_.acodec == "an" || msg.size() < 2) {
        return srs_success;
    }
    if (msg.is_audio_sequence_header()) {
        std::string sh(msg.data(), msg.size());
        // A new audio config mid-stream: players must reset their decoder (RFC 8216 4.3.2.3).
        // fMP4: what is queued belongs to the old init segment, so it is flushed first.
        if (!audio_sh_.empty() && sh != audio_sh_ && current_ && current_has_frames_) {
            if ((err = close_segment(last_dts_)) != srs_success) {
                return srs_error_wrap(err, "hls: cut on audio codec change");
            }
            next_discontinuity_ = true;
            stat_.nb_discontinuities++;
        }
        audio_sh_ = sh;
        info_.on_audio(msg);
        bool sample = false;
        err = ts_ ? ts_->write_audio(msg.timestamp, msg.data(), msg.size()) : fmp4_->write(msg, false, &sample);
        if (err != srs_success) {
            return srs_error_wrap(err, "hls: audio sequence header");
        }
        return srs_success;
    }
    return write_frame(msg, false);
}

srs_error_t SrsHlsMuxer::on_video(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    if (!publishing_ || config_.vcodec == "vn" || msg.size() < 2) {
        return srs_success;
    }
    if (msg.is_video_sequence_header()) {
        std::string sh(msg.data(), msg.size());
        if (!video_sh_.empty() && sh != video_sh_ && current_ && current_has_frames_) {
            if ((err = close_segment(last_dts_)) != srs_success) {
                return srs_error_wrap(err, "hls: cut on video codec change");
            }
            next_discontinuity_ = true;
            stat_.nb_discontinuities++;
            got_keyframe_ = false;
        }
        video_sh_ = sh;
        info_.on_video(msg);
        bool sample = false;
        err = ts_ ? ts_->write_video(msg.timestamp, msg.data(), msg.size()) : fmp4_->write(msg, true, &sample);
        if (err != srs_success) {
            return srs_error_wrap(err, "hls: video sequence header");
        }
        return srs_success;
    }
    return write_frame(msg, true);
}

bool SrsHlsMuxer::should_cut(const SrsMediaMessage& msg, bool video, bool keyframe) const {
    int64_t duration = msg.timestamp - current_->start_dts;
    int64_t fragment_ms = config_.fragment / SRS_UTIME_MILLISECONDS;
    int64_t min_ms = fragment_ms < kMinSegmentMs ? fragment_ms : kMinSegmentMs;
    if (duration < min_ms || fragment_ms <= 0) {
        return false;
    }
    if (video) {
        // hls_ts_floor: shorter segments while behind the clock, longer while ahead.
        int64_t target_ms = fragment_ms;
        if (config_.ts_floor) {
            target_ms += (int64_t)(kFloorReapRatio * (double)floor_deviation_ * (double)fragment_ms);
        }
        if (duration >= target_ms && (keyframe || !config_.wait_keyframe)) {
            return true;
        }
        // No keyframe in time: cut anyway, so the segment keeps to the target duration.
        return duration >= (int64_t)(fragment_ms * config_.td_ratio);
    }
    // Pure audio, or video that stopped coming (SRS's "absolutely overflow").
    return duration >= (int64_t)(fragment_ms * config_.aof_ratio);
}

srs_error_t SrsHlsMuxer::write_frame(const SrsMediaMessage& msg, bool video) {
    srs_error_t err = srs_success;
    int64_t dts = msg.timestamp;
    bool keyframe = video && msg.is_keyframe();

    if (video) {
        has_video_ = true;
        // What comes before the first keyframe cannot be decoded.
        if (!got_keyframe_ && !keyframe) {
            stat_.nb_dropped_frames++;
            return srs_success;
        }
        got_keyframe_ = true;
    } else {
        has_audio_ = true;
    }

    if (video) {
        info_.on_video(msg);
    } else {
        info_.on_audio(msg);
    }

    // A timestamp jump (an encoder restart without republish, a broken mixer) cannot be
    // inside one segment: cut and mark the next segment discontinuous.
    int64_t prev = video ? last_video_dts_ : last_audio_dts_;
    int64_t max_td_ms = (int64_t)(config_.fragment / SRS_UTIME_MILLISECONDS * config_.td_ratio);
    int64_t jump = kTimestampJumpMs > 3 * max_td_ms ? kTimestampJumpMs : 3 * max_td_ms;
    bool jumped = current_ && current_has_frames_ && prev >= 0 && (dts < prev - kTimestampBackMs || dts > prev + jump);
    if (fmp4_) {
        return write_frame_fmp4(msg, video, keyframe, jumped);
    }
    if (jumped) {
        srs_warn("hls: %s/%s %s timestamp jumps %" PRId64 " -> %" PRId64 ", new segment", app_.c_str(), stream_.c_str(),
                 video ? "video" : "audio", prev, dts);
        if ((err = close_segment(last_dts_)) != srs_success) {
            return srs_error_wrap(err, "hls: cut on timestamp jump");
        }
        next_discontinuity_ = true;
        stat_.nb_discontinuities++;
    }

    if (current_ && current_has_frames_ && should_cut(msg, video, keyframe)) {
        if ((err = close_segment(dts)) != srs_success) {
            return srs_error_wrap(err, "hls: reap segment");
        }
    }
    if (!current_ && (err = open_segment(dts)) != srs_success) {
        return srs_error_wrap(err, "hls: open segment");
    }

    if (video) {
        err = ts_->write_video(dts, msg.data(), msg.size());
        last_video_dts_ = dts;
    } else {
        err = ts_->write_audio(dts, msg.data(), msg.size());
        last_audio_dts_ = dts;
    }
    if (err != srs_success) {
        return srs_error_wrap(err, "hls: mux %s at %" PRId64, video ? "video" : "audio", dts);
    }
    current_has_frames_ = true;
    if (!has_last_dts_ || dts > last_dts_) {
        last_dts_ = dts;
        has_last_dts_ = true;
    }
    return srs_success;
}

std::string SrsHlsMuxer::disk_path(const std::string& rel, bool key) const {
    const std::string& dir = key && !config_.key_file_path.empty() ? config_.key_file_path : config_.path;
    std::string root = dir.empty() ? "." : dir;
    while (root.size() > 1 && root.back() == '/') {
        root.pop_back();
    }
    return root + "/" + rel;
}

SrsPathTemplateValues SrsHlsMuxer::template_values(int64_t seq) const {
    SrsPathTemplateValues values;
    values.vhost = vhost_;
    values.app = app_;
    values.stream = stream_;
    values.seq = seq;
    values.wall = srs_get_wall_time();
    return values;
}

srs_error_t SrsHlsMuxer::open_segment(int64_t dts) {
    srs_error_t err = srs_success;
    auto seg = std::make_unique<SrsHlsSegment>();
    seg->sequence = next_seq_;
    seg->start_dts = dts;
    seg->discontinuity = next_discontinuity_;

    SrsPathTemplateValues values = template_values(seg->sequence);
    values.ts_floor = config_.ts_floor && config_.fragment > 0;
    if (values.ts_floor) {
        int64_t now_piece = values.wall / config_.fragment;
        floor_piece_ = srs_hls_floor_next_piece(floor_piece_, now_piece);
        floor_deviation_ = floor_piece_ - now_piece;
        values.floor_piece = floor_piece_;
    }
    // [duration] stays until the segment is closed.
    seg->rel = srs_path_clean(srs_path_template_expand(config_.segment_file(), values));
    if (seg->rel.empty() || srs_string_starts_with(seg->rel, "..")) {
        return srs_error_new(ERROR_HLS_WRITE_FAILED, "hls: invalid %s %s",
                             config_.use_fmp4 ? "hls_fmp4_file" : "hls_ts_file", config_.segment_file().c_str());
    }
    if ((err = use_key(seg.get())) != srs_success) {
        return srs_error_wrap(err, "hls: key of segment %" PRId64, seg->sequence);
    }
    if (fmp4_) {
        // The segment's bytes are made whole when it is closed, one fragment per segment.
        next_seq_++;
        next_discontinuity_ = false;
        current_ = std::move(seg);
        current_has_frames_ = false;
        return srs_success;
    }

    auto writer = std::make_unique<SegmentWriter>(config_.on_disk(), config_.in_ram());
    if (config_.on_disk()) {
        std::string path = disk_path(seg->rel);
        if ((err = srs_path_mkdir_all(srs_path_dirname(path))) != srs_success) {
            return srs_error_wrap(err, "hls: segment dir");
        }
        if ((err = writer->open(path + ".tmp")) != srs_success) {
            return srs_error_wrap(err, "hls: open segment");
        }
    } else {
        writer->memory().reserve(256 * 1024);
    }
    if (key_ && (err = writer->encrypt(key_->bytes, srs_aes_iv_of_sequence(seg->sequence))) != srs_success) {
        writer->close();
        if (!writer->tmp_path().empty()) {
            ::unlink(writer->tmp_path().c_str());
        }
        return srs_error_wrap(err, "hls: encrypt segment");
    }
    if ((err = ts_->set_writer(writer.get())) != srs_success) {
        srs_error_reset(err);
    }

    next_seq_++;
    next_discontinuity_ = false;
    current_ = std::move(seg);
    writer_ = std::move(writer);
    current_has_frames_ = false;
    return srs_success;
}

void SrsHlsMuxer::abandon_segment() {
    if (!current_) {
        return;
    }
    if (ts_) {
        srs_error_t err = ts_->set_writer(nullptr);
        srs_error_reset(err);
    }
    if (fmp4_) {
        fmp4_->discard();
    }
    if (writer_) {
        writer_->close();
        if (!writer_->tmp_path().empty()) {
            ::unlink(writer_->tmp_path().c_str());
        }
    }
    // The sequence number is not reused: a player may have seen nothing of it, but a new
    // segment under an old number would be worse than a gap.
    writer_.reset();
    current_.reset();
    current_has_frames_ = false;
}

srs_error_t SrsHlsMuxer::close_segment(int64_t end_dts, bool flush) {
    srs_error_t err = srs_success;
    if (fmp4_) {
        std::unique_ptr<SrsHlsSegment> seg = std::move(current_);
        current_has_frames_ = false;
        seg->duration_ms = end_dts > seg->start_dts ? end_dts - seg->start_dts : 0;
        seg->rel = srs_string_replace(seg->rel, "[duration]", std::to_string(seg->duration_ms));
        auto body = std::make_shared<std::string>();
        if ((err = finish_fmp4(seg.get(), flush, body.get())) != srs_success) {
            return srs_error_wrap(err, "hls: segment %" PRId64, seg->sequence);
        }
        if (body->empty()) {
            // Nothing decodable came (no track described): no segment, no gap in the playlist.
            return srs_success;
        }
        if ((err = encrypt_fmp4(*seg, body.get())) != srs_success) {
            return srs_error_wrap(err, "hls: segment %" PRId64, seg->sequence);
        }
        seg->bytes = (int64_t)body->size();
        if ((err = store_file(seg->rel, body)) != srs_success) {
            return srs_error_wrap(err, "hls: segment %" PRId64, seg->sequence);
        }
        if (config_.in_ram()) {
            seg->body = body;
        }
        return add_segment(std::move(seg));
    }

    // Buffered audio belongs to this segment.
    srs_error_t flush_err = ts_ ? ts_->set_writer(nullptr) : srs_success;
    std::unique_ptr<SrsHlsSegment> seg = std::move(current_);
    std::unique_ptr<SegmentWriter> writer = std::move(writer_);
    current_has_frames_ = false;
    if (flush_err == srs_success) {
        flush_err = writer->finish();
    }
    writer->close();
    if (flush_err != srs_success) {
        if (!writer->tmp_path().empty()) {
            ::unlink(writer->tmp_path().c_str());
        }
        return srs_error_wrap(flush_err, "hls: flush segment %" PRId64, seg->sequence);
    }

    seg->duration_ms = end_dts > seg->start_dts ? end_dts - seg->start_dts : 0;
    seg->rel = srs_string_replace(seg->rel, "[duration]", std::to_string(seg->duration_ms));
    seg->bytes = writer->bytes();
    if (config_.on_disk()) {
        std::string path = disk_path(seg->rel);
        if (::rename(writer->tmp_path().c_str(), path.c_str()) < 0) {
            int e = errno;
            ::unlink(writer->tmp_path().c_str());
            return srs_error_new(ERROR_SYSTEM_FRAGMENT_RENAME, "hls: rename %s: %s", path.c_str(), strerror(e));
        }
    }
    if (config_.in_ram()) {
        seg->body = std::make_shared<const std::string>(std::move(writer->memory()));
        store_->put("/" + seg->rel, seg->body);
    }
    return add_segment(std::move(seg));
}

std::string SrsHlsMuxer::uri_of(const std::string& rel) const {
    // Relative to the playlist, or below hls_entry_prefix as SRS writes it (a prefix ending
    // in "/" takes the relative URI, else the path from the root).
    const std::string& prefix = config_.entry_prefix;
    if (prefix.empty()) {
        return srs_path_relative_uri(m3u8_rel_, rel);
    }
    if (srs_string_ends_with(prefix, "/")) {
        return prefix + srs_path_relative_uri(m3u8_rel_, rel);
    }
    return prefix + "/" + rel;
}

srs_error_t SrsHlsMuxer::add_segment(std::unique_ptr<SrsHlsSegment> seg) {
    srs_error_t err = srs_success;
    seg->uri = uri_of(seg->rel);

    srs_info("hls: segment %s seq=%" PRId64 " duration=%" PRId64 "ms%s", seg->rel.c_str(), seg->sequence,
             seg->duration_ms, seg->discontinuity ? " discontinuity" : "");
    stat_.nb_segments++;
    segments_.push_back(*seg);

    if (hooks_) {
        SrsHlsSegmentEvent ev;
        ev.vhost = vhost_;
        ev.app = app_;
        ev.stream = stream_;
        ev.file = config_.on_disk() ? disk_path(seg->rel) : "";
        ev.url_path = "/" + seg->rel;
        ev.uri = seg->uri;
        ev.m3u8_file = config_.on_disk() ? disk_path(m3u8_rel_) : "";
        ev.m3u8_url_path = m3u8_url_path();
        ev.sequence = seg->sequence;
        ev.duration = seg->duration_ms / 1000.0;
        ev.discontinuity = seg->discontinuity;
        ev.nb_notify = config_.nb_notify;
        hooks_->on_hls_segment(ev);
    }

    shrink_window();
    if ((err = write_playlist()) != srs_success) {
        return srs_error_wrap(err, "hls: playlist");
    }
    return srs_success;
}

void SrsHlsMuxer::shrink_window() {
    // Segments that left the window at the previous cut have been out of every playlist for
    // a whole segment now: delete them, and the init segments only they referred to.
    std::vector<std::string> inits, keys;
    for (const SrsHlsSegment& seg : expired_) {
        delete_segment_files(seg);
        if (!seg.init_rel.empty()) {
            inits.push_back(seg.init_rel);
        }
        if (!seg.key_rel.empty()) {
            keys.push_back(seg.key_rel);
        }
    }
    expired_.clear();
    delete_unused(inits, false);
    delete_unused(keys, true);

    // Keep the shortest tail longer than hls_window (SRS's rule): the oldest segment leaves
    // once the others alone cover the window.
    int64_t window_ms = config_.window / SRS_UTIME_MILLISECONDS;
    int64_t total = 0;
    for (const SrsHlsSegment& seg : segments_) {
        total += seg.duration_ms;
    }
    while (segments_.size() > 1 && total - segments_.front().duration_ms > window_ms) {
        total -= segments_.front().duration_ms;
        // RFC 8216 6.2.2: removing an EXT-X-DISCONTINUITY bumps EXT-X-DISCONTINUITY-SEQUENCE.
        if (segments_.front().discontinuity) {
            discontinuity_seq_++;
        }
        expired_.push_back(std::move(segments_.front()));
        segments_.pop_front();
    }
}

void SrsHlsMuxer::delete_segment_files(const SrsHlsSegment& seg) {
    if (config_.in_ram() && store_) {
        store_->remove("/" + seg.rel);
    }
    if (config_.on_disk() && config_.cleanup) {
        remove_file(seg.rel);
    }
    stat_.nb_deleted++;
}

void SrsHlsMuxer::delete_unused(const std::vector<std::string>& rels, bool keys) {
    std::string SrsHlsSegment::*field = keys ? &SrsHlsSegment::key_rel : &SrsHlsSegment::init_rel;
    for (const std::string& rel : rels) {
        bool used = keys ? key_ && key_->rel == rel : rel == init_rel_;
        used = used || (current_ && (*current_).*field == rel);
        for (const SrsHlsSegment& seg : segments_) {
            used = used || seg.*field == rel;
        }
        for (const SrsHlsSegment& seg : expired_) {
            used = used || seg.*field == rel;
        }
        if (used) {
            continue;
        }
        if (config_.in_ram() && store_) {
            store_->remove("/" + rel);
        }
        if (config_.on_disk() && config_.cleanup) {
            remove_file(rel, keys);
        }
    }
}

void SrsHlsMuxer::remove_file(const std::string& rel, bool key) {
    std::string path = disk_path(rel, key);
    if (::unlink(path.c_str()) < 0 && errno != ENOENT) {
        srs_warn("hls: delete %s: %s", path.c_str(), strerror(errno));
    }
}

srs_error_t SrsHlsMuxer::write_playlist() {
    srs_error_t err = srs_success;
    SrsM3u8Playlist pl;
    // EXT-X-MAP in a playlist without EXT-X-I-FRAMES-ONLY needs version 6; SRS 7 and Apple's
    // fMP4 examples say 7 (RFC 8216 7), which every fMP4 player accepts.
    pl.version = config_.use_fmp4 ? 7 : 3;
    pl.min_target_duration = (int)ceil((double)config_.fragment / SRS_UTIME_SECONDS * config_.td_ratio - 0.0005);
    pl.discontinuity_sequence = discontinuity_seq_;
    pl.media_sequence = next_seq_;
    pl.segments.reserve(segments_.size());
    for (const SrsHlsSegment& seg : segments_) {
        SrsM3u8Segment s;
        s.sequence = seg.sequence;
        s.duration = seg.duration_ms / 1000.0;
        s.uri = seg.uri;
        s.discontinuity = seg.discontinuity;
        s.map_uri = seg.init_uri;
        s.key_uri = seg.key_uri;
        pl.segments.push_back(std::move(s));
    }
    std::string text = srs_m3u8_encode(pl);

    // The multivariant playlist first: whoever reads a media playlist (nginx on hls_path too)
    // finds the multivariant one beside it.
    if ((err = write_master()) != srs_success) {
        return srs_error_wrap(err, "hls: multivariant playlist");
    }
    if (config_.on_disk() && (err = srs_file_write_atomic(disk_path(m3u8_rel_), text)) != srs_success) {
        return srs_error_wrap(err, "hls: write %s", m3u8_rel_.c_str());
    }
    if (config_.in_ram()) {
        store_->put(m3u8_url_path(), std::make_shared<const std::string>(text));
    }
    playlist_text_ = std::move(text);
    return srs_success;
}

srs_error_t SrsHlsMuxer::store_file(const std::string& rel, std::shared_ptr<const std::string> body) {
    srs_error_t err = srs_success;
    if (config_.on_disk() && (err = srs_file_write_atomic(disk_path(rel), *body)) != srs_success) {
        return srs_error_wrap(err, "hls: write %s", rel.c_str());
    }
    if (config_.in_ram()) {
        store_->put("/" + rel, std::move(body));
    }
    return srs_success;
}

void SrsHlsMuxer::dispose() {
    abandon_segment();
    bool disk = configured_ && config_.on_disk();
    bool ram = configured_ && config_.in_ram() && store_;
    size_t n = segments_.size() + expired_.size();
    std::vector<const SrsHlsSegment*> all;
    for (const SrsHlsSegment& seg : expired_) {
        all.push_back(&seg);
    }
    for (const SrsHlsSegment& seg : segments_) {
        all.push_back(&seg);
    }
    // The files: segments, their init segments (fMP4), the playlists.
    std::vector<std::string> rels;
    for (const SrsHlsSegment* seg : all) {
        rels.push_back(seg->rel);
        if (!seg->init_rel.empty()) {
            rels.push_back(seg->init_rel);
        }
    }
    if (!init_rel_.empty()) {
        rels.push_back(init_rel_);
    }
    if (configured_ && !m3u8_rel_.empty()) {
        rels.push_back(m3u8_rel_);
        rels.push_back(master_rel());
    }
    std::vector<std::string> keys;
    for (const SrsHlsSegment* seg : all) {
        if (!seg->key_rel.empty()) {
            keys.push_back(seg->key_rel);
        }
    }
    if (key_) {
        keys.push_back(key_->rel);
    }
    for (bool key : {false, true}) {
        std::vector<std::string>& files = key ? keys : rels;
        std::sort(files.begin(), files.end());
        files.erase(std::unique(files.begin(), files.end()), files.end());
        for (const std::string& rel : files) {
            if (disk) {
                remove_file(rel, key);
            }
            if (ram) {
                store_->remove("/" + rel);
            }
        }
    }
    segments_.clear();
    expired_.clear();
    playlist_text_.clear();
    master_text_.clear();
    init_rel_.clear();
    init_uri_.clear();
    key_.reset();
    next_discontinuity_ = false;
    srs_trace("hls: dispose %s/%s/%s, %d segments removed", vhost_.c_str(), app_.c_str(), stream_.c_str(), (int)n);
}

void SrsHlsMuxer::dispose_memory() {
    if (!configured_ || !config_.in_ram() || !store_) {
        return;
    }
    if (config_.storage == SrsHlsStorage::Ram) {
        dispose();
        return;
    }
    for (SrsHlsSegment& seg : segments_) {
        store_->remove("/" + seg.rel);
        seg.body.reset();
    }
    for (SrsHlsSegment& seg : expired_) {
        store_->remove("/" + seg.rel);
        seg.body.reset();
    }
    auto remove_shared = [this](const SrsHlsSegment& seg) {
        store_->remove("/" + seg.init_rel);
        store_->remove("/" + seg.key_rel);
    };
    std::for_each(segments_.begin(), segments_.end(), remove_shared);
    std::for_each(expired_.begin(), expired_.end(), remove_shared);
    if (!init_rel_.empty()) {
        store_->remove("/" + init_rel_);
    }
    if (key_) {
        store_->remove("/" + key_->rel);
    }
    store_->remove(m3u8_url_path());
    store_->remove("/" + master_rel());
}

void SrsHlsMuxer::recover_sequence() {
    // A playlist left by a previous run (a restart while publishing): continue its sequence and
    // keep its segments in the window, so players see a discontinuity, not a reset, and the
    // old files are cleaned as the window moves on.
    std::ifstream f(disk_path(m3u8_rel_));
    if (!f) {
        return;
    }
    std::string line;
    int64_t seq = -1;
    int64_t discontinuity_seq = 0;
    double duration = -1;
    bool discontinuity = false;
    int64_t n = 0;
    std::deque<SrsHlsSegment> segs;
    std::string m3u8_dir = srs_path_dirname(m3u8_rel_);
    // fMP4: the EXT-X-MAP in force (its URI, and its file when it is one of ours).
    std::string map_uri, map_rel;
    bool has_map = false;
    // hls_keys: the EXT-X-KEY in force.
    std::string key_uri, key_rel;
    while (std::getline(f, line)) {
        line = srs_string_trim(line);
        int64_t v = 0;
        if (srs_string_starts_with(line, "#EXT-X-MEDIA-SEQUENCE:")) {
            if (srs_parse_int64(line.substr(22), &v) && v >= 0) {
                seq = v;
            }
        } else if (srs_string_starts_with(line, "#EXT-X-DISCONTINUITY-SEQUENCE:")) {
            if (srs_parse_int64(line.substr(30), &v) && v >= 0) {
                discontinuity_seq = v;
            }
        } else if (line == "#EXT-X-DISCONTINUITY") {
            discontinuity = true;
        } else if (srs_string_starts_with(line, kKeyTag)) {
            key_uri = srs_string_contains(line, "METHOD=NONE") ? "" : uri_attribute(line);
            key_rel = key_rel_of(key_uri);
        } else if (srs_string_starts_with(line, kMapTag)) {
            map_uri = uri_attribute(line);
            std::string rel = srs_path_clean(m3u8_dir.empty() ? map_uri : m3u8_dir + "/" + map_uri);
            bool ours = !srs_string_contains(map_uri, "://") && !map_uri.empty() && map_uri[0] != '/' &&
                        !srs_string_starts_with(rel, "..");
            map_rel = ours ? rel : "";
            has_map = true;
        } else if (srs_string_starts_with(line, "#EXTINF:")) {
            duration = atof(line.c_str() + 8);
        } else if (!line.empty() && line[0] != '#' && duration >= 0 && seq >= 0) {
            SrsHlsSegment seg;
            seg.sequence = seq + n++;
            seg.duration_ms = (int64_t)llround(duration * 1000);
            seg.discontinuity = discontinuity;
            seg.uri = line;
            seg.init_uri = map_uri;
            seg.init_rel = map_rel;
            seg.key_uri = key_uri;
            seg.key_rel = key_rel;
            // Only segments we can find again (relative URIs below hls_path) are kept.
            std::string rel = srs_path_clean(m3u8_dir.empty() ? line : m3u8_dir + "/" + line);
            struct stat st;
            if (!srs_string_contains(line, "://") && line[0] != '/' && !srs_string_starts_with(rel, "..") &&
                ::stat(disk_path(rel).c_str(), &st) == 0) {
                seg.rel = rel;
                segs.push_back(std::move(seg));
            }
            duration = -1;
            discontinuity = false;
        }
    }
    if (seq < 0) {
        return;
    }
    // Segments of the other format (hls_use_fmp4 changed over the restart) cannot share the
    // playlist: only the sequence goes on.
    if (has_map != config_.use_fmp4) {
        segs.clear();
    }
    next_seq_ = seq + n;
    discontinuity_seq_ = discontinuity_seq;
    segments_ = std::move(segs);
    srs_trace("hls: recovered %s, %d segments, next seq=%" PRId64, m3u8_rel_.c_str(), (int)segments_.size(), next_seq_);
}
