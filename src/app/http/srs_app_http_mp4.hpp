// HTTP-MP4 live remux: one player's fragmented MP4 body (an http_remux mount ending in .mp4),
// so a bare <video src=...mp4> plays the live stream: the init segment once the codecs are
// known, then fragments, all in one HTTP response.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_kernel_fmp4.hpp>
#include <srs_kernel_message.hpp>

#include <string>

// The default of http_remux.mp4_fragment, the longest a fragment waits for a keyframe: a long
// GOP (or audio only) still reaches the player twice a second, so with the merged-write delay on
// top a player never waits a second.
const int64_t SRS_HTTP_MP4_FRAGMENT_MS = 500;
// How long a player waits for the sequence header of a track it expects (the source said the
// stream has it) before it starts without that track.
const int64_t SRS_HTTP_MP4_WAIT_CONFIG_MS = 3000;

// Muxes a player's messages into fMP4 and writes each batch's bytes in one write.
//
// The cutting rule: the consumer starts at a keyframe (the GOP cache), so does the first
// fragment; a fragment ends before each video keyframe (one per GOP, each opening with a sync
// sample) or, with no keyframe in sight, once it holds fragment_ms of media (never, when 0). The
// init segment goes out with the first fragment, when every expected track has its
// configuration. A new configuration (another resolution or codec) cannot be announced in
// the same body: the play ends with an error, and the player reconnects.
class SrsHttpMp4Encoder {
public:
    // The expected tracks (the source's codecs, as HTTP-FLV guesses its header flags);
    // fragment_ms is http_remux.mp4_fragment (0: a fragment per GOP only).
    SrsHttpMp4Encoder(ISrsWriter* out, bool has_video, bool has_audio, int64_t fragment_ms = SRS_HTTP_MP4_FRAGMENT_MS);
    SRS_DISALLOW_COPY(SrsHttpMp4Encoder);

public:
    srs_error_t write_messages(const SrsMediaMessage* msgs, int count);
    bool init_sent() const { return init_sent_; }
    int fragments() const { return fragments_; }

private:
    // Cuts a fragment into out_ (the init segment first, when due).
    srs_error_t cut(std::string* out);

private:
    ISrsWriter* writer_;
    bool want_video_;
    bool want_audio_;
    int64_t fragment_ms_;
    SrsFmp4Muxer mux_;
    bool init_sent_ = false;
    uint32_t init_version_ = 0;
    // The first sample's timestamp (ms), -1 before: how long the init segment has waited.
    int64_t first_ts_ = -1;
    int64_t last_ts_ = 0;
    int fragments_ = 0;
    // Reused between batches.
    std::string buf_;
};
