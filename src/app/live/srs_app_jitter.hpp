// Timestamp correction for what players receive (time_jitter full|zero|off, atc), and the
// audio/video interleaver behind mix_correct.
#pragma once

#include <srs_core.hpp>
#include <srs_kernel_message.hpp>

#include <deque>
#include <string>

// How a consumer rewrites timestamps (SRS vhost directive play.time_jitter).
enum class SrsJitterAlgorithm {
    // Start at 0 and keep deltas; jumps (a republish, a wrap, an encoder reset) larger than
    // SRS_JITTER_MAX_MS are replaced by one default frame time, so output never jumps.
    Full,
    // Start at 0 and keep deltas; a republish continues after the last output timestamp.
    Zero,
    // Timestamps as the publisher sent them.
    Off,
};

// Parses "full", "zero", "off"; anything else gives Off, as SRS does.
SrsJitterAlgorithm srs_jitter_algorithm_parse(const std::string& name);
const char* srs_jitter_algorithm_name(SrsJitterAlgorithm a);

// A larger step between two consecutive messages is a discontinuity (ms).
#define SRS_JITTER_MAX_MS 250
// The step used to bridge a discontinuity (ms).
#define SRS_JITTER_DEFAULT_FRAME_MS 10

// Per-consumer timestamp corrector. Output = input + offset, so the relative timing of
// audio and video is kept exactly; the offset only changes at a discontinuity, where it is
// chosen to continue one default frame after the last output.
class SrsRtmpJitter {
public:
    SrsRtmpJitter() = default;

public:
    // Rewrites msg->timestamp in place (the consumer's own copy of the header).
    void correct(SrsMediaMessage* msg, SrsJitterAlgorithm algorithm);
    // A new publisher starts: in Zero mode the next message continues after the last output.
    void on_republish() { rebase_ = true; }
    // The last timestamp produced, -1 before any.
    int64_t last_output() const { return last_output_; }

private:
    bool started_ = false;
    bool rebase_ = false;
    int64_t offset_ = 0;
    int64_t last_input_ = 0;
    int64_t last_output_ = -1;
};

// Interleaves audio and video by timestamp for publishers that send them out of order
// (mix_correct on). Messages are held until both kinds are present, or until enough of one
// kind arrived to call the stream pure audio or pure video.
class SrsMixQueue {
public:
    SrsMixQueue() = default;

public:
    void push(const SrsMediaMessage& msg);
    // Takes the earliest message when the queue may release one; false otherwise.
    bool pop(SrsMediaMessage* out);
    void clear();
    int size() const { return (int)msgs_.size(); }

private:
    // Sorted by timestamp; stable for equal timestamps.
    std::deque<SrsMediaMessage> msgs_;
    int nb_videos_ = 0;
    int nb_audios_ = 0;
};
