// The fMP4 segments of HLS (hls_use_fmp4; RFC 8216 3.3, CMAF): an SrsFmp4Muxer fed with the
// published tags, cut by SrsHlsMuxer's rules (the same as for TS) into one fragment per segment
// with a styp first (CMAF 7.3.2.3), and the init segments the playlist's EXT-X-MAP points to.
// Every codec the muxer carries goes in (H.264, HEVC, AV1, VP9; AAC, Opus, MP3, AC-3, E-AC-3).
// Decode times run on across segments, codec changes and republishes.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_kernel_fmp4.hpp>

#include <string>

class SrsMediaMessage;

class SrsHlsFmp4Segmenter {
public:
    SrsHlsFmp4Segmenter();
    ~SrsHlsFmp4Segmenter();
    SRS_DISALLOW_COPY(SrsHlsFmp4Segmenter);

public:
    // A tag; *sample true when it queued a media sample (not for sequence headers, samples
    // before the first keyframe, codecs not carried or tags that do not parse).
    srs_error_t write(const SrsMediaMessage& msg, bool video, bool* sample);
    // Whether a segment would hold any sample.
    bool has_samples() const { return mux_.has_fragment(); }
    // The body of a segment: styp, moof and mdat of the queued samples. Each track's last
    // sample waits for the next one to know its duration and starts the next segment (the
    // keyframe a cut is made before), unless flush: the end of a publish or of a codec
    // configuration takes everything. Empty when there is nothing.
    srs_error_t segment(bool flush, std::string* out);
    // Whether the next segment needs another init segment than the last one made: none yet,
    // a track changed (the muxer's config_version()), or a republish.
    bool init_due() const { return !has_init_ || init_version_ != mux_.config_version(); }
    // ftyp + moov of the tracks configured now; an error when no track is described yet.
    srs_error_t init_segment(std::string* out) const;
    // The init segment of init_segment() is written: the segments from now refer to it.
    void init_written() {
        has_init_ = true;
        init_version_ = mux_.config_version();
    }
    // A republish: the next segment gets a new init segment (the publisher may have changed
    // anything), and its times continue after the last ones (SrsFmp4Muxer::new_epoch).
    void new_epoch();
    // Drops what is queued (a segment that could not be written) and waits for a keyframe.
    void discard() { mux_.discard(); }
    const SrsFmp4Muxer& muxer() const { return mux_; }

private:
    SrsFmp4Muxer mux_;
    bool has_init_ = false;
    uint32_t init_version_ = 0;
};
