// The last group of pictures of a live stream, so a player that joins late starts at a
// keyframe at once instead of waiting up to a GOP (SRS play.gop_cache).
#pragma once

#include <srs_app_ring.hpp>
#include <srs_core.hpp>
#include <srs_kernel_message.hpp>

// With this many audio frames and no video after them, the stream is audio only (about 3 s
// of AAC at 26 ms a frame); the cache then keeps a rolling window of that many frames.
#define SRS_GOP_PURE_AUDIO_FRAMES 115
// SRS's default for gop_cache_max_frames.
#define SRS_GOP_DEFAULT_MAX_FRAMES 2500

// Holds audio and video messages from the last video keyframe on. Sequence headers and
// metadata are not kept here (the source keeps the latest of each). Bounded: at most
// max_frames messages, and an audio-only stream keeps only its last few seconds.
class SrsGopCache {
public:
    SrsGopCache();
    SRS_DISALLOW_COPY(SrsGopCache);

public:
    // Disabling drops what is cached.
    void set_enabled(bool v);
    bool enabled() const { return enabled_; }
    // 0 means unlimited (not recommended).
    void set_max_frames(int v) { max_frames_ = v; }
    int max_frames() const { return max_frames_; }

    // Offers an audio or video message (sequence headers are ignored).
    void cache(const SrsMediaMessage& msg);
    void clear();

    int size() const { return msgs_.size(); }
    bool empty() const { return msgs_.empty(); }
    const SrsMediaMessage& at(int i) const { return msgs_.at(i); }
    // Whether the cache starts at a video keyframe (false for audio only).
    bool starts_at_keyframe() const { return has_keyframe_; }
    // The timestamp of the first cached message, -1 when empty.
    int64_t start_time() const;
    // How many times the cache was dropped for exceeding max_frames.
    int64_t nb_overflows() const { return nb_overflows_; }

private:
    bool enabled_;
    int max_frames_;
    SrsRing<SrsMediaMessage> msgs_;
    // The cache holds a GOP that starts at a keyframe.
    bool has_keyframe_;
    int audio_after_last_video_;
    int64_t nb_overflows_;
};
