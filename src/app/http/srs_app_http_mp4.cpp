#include <srs_app_http_mp4.hpp>

#include <srs_core_log.hpp>

SrsHttpMp4Encoder::SrsHttpMp4Encoder(ISrsWriter* out, bool has_video, bool has_audio, int64_t fragment_ms)
    : writer_(out), want_video_(has_video), want_audio_(has_audio), fragment_ms_(fragment_ms) {}

srs_error_t SrsHttpMp4Encoder::write_messages(const SrsMediaMessage* msgs, int count) {
    srs_error_t err = srs_success;
    buf_.clear();
    for (int i = 0; i < count; i++) {
        const SrsMediaMessage& m = msgs[i];
        if (m.is_video()) {
            err = mux_.write_video(m.timestamp, m.data(), m.size());
        } else if (m.is_audio()) {
            err = mux_.write_audio(m.timestamp, m.data(), m.size());
        } else {
            continue;
        }
        if (err != srs_success) {
            return srs_error_wrap(err, "http-mp4: mux");
        }
        if (init_sent_ && mux_.config_version() != init_version_) {
            return srs_error_new(ERROR_KERNEL_MP4_MUX, "http-mp4: the stream's codec configuration changed");
        }
        const SrsFmp4Input& in = mux_.last_input();
        if (in.sample) {
            first_ts_ = first_ts_ < 0 ? in.timestamp : first_ts_;
            last_ts_ = in.timestamp;
        }
        bool long_enough = fragment_ms_ > 0 && mux_.queued_ms() >= fragment_ms_;
        bool cut_here = in.sample && ((in.video && in.keyframe) || long_enough);
        if (cut_here && mux_.has_fragment() && (err = cut(&buf_)) != srs_success) {
            return srs_error_wrap(err, "http-mp4: fragment");
        }
    }
    if (buf_.empty()) {
        return err;
    }
    if ((err = writer_->write(buf_.data(), buf_.size(), nullptr)) != srs_success) {
        return srs_error_wrap(err, "http-mp4: write %d bytes", (int)buf_.size());
    }
    return err;
}

srs_error_t SrsHttpMp4Encoder::cut(std::string* out) {
    if (!init_sent_) {
        // A track the source announced may have its sequence header late: wait for it a while,
        // then start with the tracks there are. Waited by the stream's clock: the samples
        // dropped meanwhile are a GOP's worth at a time.
        bool waited = first_ts_ >= 0 && last_ts_ - first_ts_ >= SRS_HTTP_MP4_WAIT_CONFIG_MS;
        bool ready = mux_.ready(want_video_, want_audio_) || (waited && mux_.ready(false, false));
        if (!ready) {
            mux_.discard();
            return srs_success;
        }
        out->append(mux_.init_segment());
        init_version_ = mux_.config_version();
        init_sent_ = true;
        srs_trace("http-mp4: init segment, video=%d, audio=%d", mux_.has_video(), mux_.has_audio());
    }
    fragments_++;
    return mux_.fragment(false, out);
}
