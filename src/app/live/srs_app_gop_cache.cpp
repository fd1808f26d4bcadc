#include <srs_app_gop_cache.hpp>

#include <srs_core_log.hpp>

SrsGopCache::SrsGopCache()
    : enabled_(true),
      max_frames_(SRS_GOP_DEFAULT_MAX_FRAMES),
      msgs_(0),
      has_keyframe_(false),
      audio_after_last_video_(0),
      nb_overflows_(0) {}

void SrsGopCache::set_enabled(bool v) {
    enabled_ = v;
    if (!v) {
        clear();
    }
}

void SrsGopCache::cache(const SrsMediaMessage& msg) {
    if (!enabled_) {
        return;
    }

    if (msg.is_video()) {
        if (msg.is_video_sequence_header()) {
            return;
        }
        // A new GOP replaces the old one.
        if (msg.is_keyframe()) {
            msgs_.clear();
            has_keyframe_ = true;
        } else if (!has_keyframe_) {
            // Frames before the first keyframe cannot be decoded by a new player.
            return;
        }
        audio_after_last_video_ = 0;
    } else if (msg.is_audio()) {
        if (msg.is_audio_sequence_header()) {
            return;
        }
        audio_after_last_video_++;
        // Video stopped (or never came): the cached GOP is stale, go audio only.
        if (has_keyframe_ && audio_after_last_video_ > SRS_GOP_PURE_AUDIO_FRAMES) {
            srs_trace("gop cache: no video for %d audio frames, switch to audio only", audio_after_last_video_);
            has_keyframe_ = false;
        }
    } else {
        return;
    }

    msgs_.push_back(msg);

    // Audio only: every frame is a start point, keep a rolling window.
    if (!has_keyframe_) {
        if (msgs_.size() > SRS_GOP_PURE_AUDIO_FRAMES) {
            msgs_.drop_front(msgs_.size() - SRS_GOP_PURE_AUDIO_FRAMES);
        }
        return;
    }

    if (max_frames_ > 0 && msgs_.size() > max_frames_) {
        // The GOP is too long to cache: drop it and wait for the next keyframe, as SRS does.
        nb_overflows_++;
        srs_warn("gop cache: %d frames exceed gop_cache_max_frames=%d, dropped until next keyframe", msgs_.size(),
                 max_frames_);
        clear();
    }
}

void SrsGopCache::clear() {
    msgs_.clear();
    // An idle source (thousands may wait to be freed) holds no cache memory.
    msgs_.shrink_to(0);
    has_keyframe_ = false;
    audio_after_last_video_ = 0;
}

int64_t SrsGopCache::start_time() const {
    return msgs_.empty() ? -1 : msgs_.front().timestamp;
}
