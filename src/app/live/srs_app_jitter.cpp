#include <srs_app_jitter.hpp>

#include <algorithm>

// With this many messages of one kind and none of the other, the stream is pure audio or
// pure video and the mix queue stops waiting for the other kind.
#define SRS_MIX_PURE_AV 10
// A hard bound, so a broken publisher cannot grow the mix queue.
#define SRS_MIX_MAX_MSGS 512

SrsJitterAlgorithm srs_jitter_algorithm_parse(const std::string& name) {
    if (name == "full") {
        return SrsJitterAlgorithm::Full;
    }
    if (name == "zero") {
        return SrsJitterAlgorithm::Zero;
    }
    return SrsJitterAlgorithm::Off;
}

const char* srs_jitter_algorithm_name(SrsJitterAlgorithm a) {
    switch (a) {
        case SrsJitterAlgorithm::Full:
            return "full";
        case SrsJitterAlgorithm::Zero:
            return "zero";
        default:
            return "off";
    }
}

void SrsRtmpJitter::correct(SrsMediaMessage* msg, SrsJitterAlgorithm algorithm) {
    if (algorithm == SrsJitterAlgorithm::Off) {
        return;
    }

    // Script data (onMetaData) carries no media time and never moves the clock: it goes at 0,
    // as SRS sends it. FFmpeg's FLV demuxer (RTMP and HTTP-FLV players, recorders) skips an
    // onMetaData at 0 but takes one at any other time for a packet of a phantom subtitle
    // stream, which a publisher that re-sends its metadata (GStreamer's flvmux) would add.
    if (!msg->is_av()) {
        msg->timestamp = 0;
        return;
    }

    int64_t ts = msg->timestamp;
    if (!started_) {
        // The first message starts at zero.
        started_ = true;
        rebase_ = false;
        offset_ = -ts;
    } else {
        int64_t delta = ts - last_input_;
        bool jump = delta > SRS_JITTER_MAX_MS || delta < -SRS_JITTER_MAX_MS;
        // After a republish the new publisher's clock may restart anywhere; a small backwards
        // step there is a restart too, not audio/video interleaving.
        bool restart = rebase_ && (delta < 0 || delta > SRS_JITTER_MAX_MS);
        if (algorithm == SrsJitterAlgorithm::Full && (jump || restart)) {
            offset_ = std::max<int64_t>(last_output_, 0) + SRS_JITTER_DEFAULT_FRAME_MS - ts;
        } else if (algorithm == SrsJitterAlgorithm::Zero && rebase_) {
            offset_ = std::max<int64_t>(last_output_, 0) + SRS_JITTER_DEFAULT_FRAME_MS - ts;
        }
        rebase_ = false;
    }
    last_input_ = ts;

    int64_t out = std::max<int64_t>(ts + offset_, 0);
    msg->timestamp = out;
    // Audio and video may interleave a little out of order: bridge from the largest output so
    // neither track goes backwards after a discontinuity.
    last_output_ = std::max(last_output_, out);
}

void SrsMixQueue::push(const SrsMediaMessage& msg) {
    // Publishers send almost in order, so the position is found from the back in O(1).
    auto it = msgs_.end();
    while (it != msgs_.begin() && (it - 1)->timestamp > msg.timestamp) {
        --it;
    }
    msgs_.insert(it, msg);
    if (msg.is_video()) {
        nb_videos_++;
    } else if (msg.is_audio()) {
        nb_audios_++;
    }
}

bool SrsMixQueue::pop(SrsMediaMessage* out) {
    if (msgs_.empty()) {
        return false;
    }
    bool mixed = nb_videos_ > 0 && nb_audios_ > 0;
    bool pure_video = nb_videos_ >= SRS_MIX_PURE_AV && nb_audios_ == 0;
    bool pure_audio = nb_audios_ >= SRS_MIX_PURE_AV && nb_videos_ == 0;
    bool overflow = (int)msgs_.size() > SRS_MIX_MAX_MSGS;
    if (!mixed && !pure_video && !pure_audio && !overflow) {
        return false;
    }

    *out = std::move(msgs_.front());
    msgs_.pop_front();
    if (out->is_video()) {
        nb_videos_--;
    } else if (out->is_audio()) {
        nb_audios_--;
    }
    return true;
}

void SrsMixQueue::clear() {
    msgs_.clear();
    nb_videos_ = 0;
    nb_audios_ = 0;
}
