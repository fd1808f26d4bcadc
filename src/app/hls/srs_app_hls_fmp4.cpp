#include <srs_app_hls_fmp4.hpp>

#include <srs_app_hls_muxer.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_path.hpp>

#include <srs_kernel_message.hpp>

#include <cinttypes>

SrsHlsFmp4Segmenter::SrsHlsFmp4Segmenter() = default;

SrsHlsFmp4Segmenter::~SrsHlsFmp4Segmenter() = default;

srs_error_t SrsHlsFmp4Segmenter::write(const SrsMediaMessage& msg, bool video, bool* sample) {
    srs_error_t err = srs_success;
    if (video) {
        err = mux_.write_video(msg.timestamp, msg.data(), msg.size());
    } else {
        err = mux_.write_audio(msg.timestamp, msg.data(), msg.size());
    }
    if (err != srs_success) {
        return srs_error_wrap(err, "fmp4 %s at %" PRId64, video ? "video" : "audio", msg.timestamp);
    }
    *sample = mux_.last_input().sample;
    return srs_success;
}

srs_error_t SrsHlsFmp4Segmenter::segment(bool flush, std::string* out) {
    out->clear();
    srs_error_t err = flush ? mux_.flush(true, out) : mux_.fragment(true, out);
    if (err != srs_success) {
        return srs_error_wrap(err, "fmp4 segment");
    }
    return srs_success;
}

srs_error_t SrsHlsFmp4Segmenter::init_segment(std::string* out) const {
    if (!mux_.has_video() && !mux_.has_audio()) {
        return srs_error_new(ERROR_HLS_WRITE_FAILED, "fmp4 init: no track described");
    }
    *out = mux_.init_segment();
    return srs_success;
}

void SrsHlsFmp4Segmenter::new_epoch() {
    mux_.new_epoch();
    has_init_ = false;
}

// The fMP4 side of SrsHlsMuxer (the TS side and the rules both share are in srs_app_hls_muxer.cpp).

srs_error_t SrsHlsMuxer::write_frame_fmp4(const SrsMediaMessage& msg, bool video, bool keyframe, bool jumped) {
    srs_error_t err = srs_success;
    int64_t dts = msg.timestamp;
    // Decided before the frame goes in, as for TS; but the frame goes into the muxer first: it
    // holds back each track's last sample until the next one gives its duration, so the
    // keyframe a segment is cut before is the one held back, and the new segment starts
    // with it.
    bool cut = current_ && current_has_frames_ && (jumped || should_cut(msg, video, keyframe));
    bool sample = false;
    if ((err = fmp4_->write(msg, video, &sample)) != srs_success) {
        return srs_error_wrap(err, "hls: mux");
    }
    if (jumped) {
        srs_warn("hls: %s/%s %s timestamp jumps to %" PRId64 ", new segment", app_.c_str(), stream_.c_str(),
                 video ? "video" : "audio", dts);
    }
    if (cut && (err = close_segment(jumped ? last_dts_ : dts, false)) != srs_success) {
        return srs_error_wrap(err, "hls: reap segment");
    }
    if (jumped) {
        next_discontinuity_ = true;
        stat_.nb_discontinuities++;
    }
    if (!current_ && (err = open_segment(dts)) != srs_success) {
        return srs_error_wrap(err, "hls: open segment");
    }
    if (video) {
        last_video_dts_ = dts;
    } else {
        last_audio_dts_ = dts;
    }
    current_has_frames_ = current_has_frames_ || sample;
    if (!has_last_dts_ || dts > last_dts_) {
        last_dts_ = dts;
        has_last_dts_ = true;
    }
    return srs_success;
}

srs_error_t SrsHlsMuxer::finish_fmp4(SrsHlsSegment* seg, bool flush, std::string* body) {
    srs_error_t err = srs_success;
    if ((err = fmp4_->segment(flush, body)) != srs_success) {
        return err;
    }
    if (body->empty()) {
        return srs_success;
    }
    // A dispose() forgets the init segment's file: a new one then, whatever the muxer says.
    if ((fmp4_->init_due() || init_rel_.empty()) && (err = write_init(seg)) != srs_success) {
        // Without its init segment the segment cannot be played: both are dropped, and the
        // next segment tries again.
        body->clear();
        return err;
    }
    seg->init_rel = init_rel_;
    seg->init_uri = init_uri_;
    return srs_success;
}

srs_error_t SrsHlsMuxer::write_init(SrsHlsSegment* seg) {
    srs_error_t err = srs_success;
    auto init = std::make_shared<std::string>();
    if ((err = fmp4_->init_segment(init.get())) != srs_success) {
        return err;
    }
    // Named after the first segment that uses it, so a new one (a codec change, a republish)
    // never overwrites one a player may still fetch for the segments before it.
    std::string rel = srs_path_clean(srs_path_template_expand_seq(config_.init_file, template_values(seg->sequence)));
    if (rel.empty() || srs_string_starts_with(rel, "..")) {
        return srs_error_new(ERROR_HLS_WRITE_FAILED, "hls: invalid hls_init_file %s", config_.init_file.c_str());
    }
    // Not written (a full disk): the next segment tries again with a new one.
    if ((err = store_file(rel, init)) != srs_success) {
        return srs_error_wrap(err, "hls: init segment");
    }
    fmp4_->init_written();
    // Another init segment than the previous segment's: a new codec configuration or
    // publisher, which players must be told of (RFC 8216 4.3.2.3).
    if (!init_rel_.empty() && !seg->discontinuity) {
        seg->discontinuity = true;
        stat_.nb_discontinuities++;
    }
    std::string old = init_rel_;
    init_rel_ = rel;
    init_uri_ = uri_of(rel);
    srs_trace("hls: init segment %s, %d bytes, for seq=%" PRId64, rel.c_str(), (int)init->size(), seg->sequence);
    if (!old.empty() && old != rel) {
        delete_unused({old}, false);
    }
    return srs_success;
}
