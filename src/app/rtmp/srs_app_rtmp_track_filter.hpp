// Which audio/video tracks an RTMP player gets, from the fourCcList it announced in its connect
// (enhanced-rtmp v2, "Enhancing NetConnection connect Command"). The rule, also in
// doc/enhanced-rtmp.md:
// - no fourCcList (a legacy player), or one with "*": every message, unchanged, as SRS sends;
// - otherwise a track whose FourCC is on the wire (IsExHeader video, SoundFormat 9 audio, the
//   tracks of a Multitrack tag) passes only when its FourCC is listed; so does the non-standard
//   legacy HEVC tag (codec id 12), as hvc1. The other legacy tags (H.264, AAC, MP3...) always pass:
//   the list names the codecs that need the enhanced header, and FFmpeg 6.1+ lists "av01,vp09,hvc1"
//   and still plays legacy H.264 and AAC;
// - a message whose tracks are all allowed passes unchanged (its payload stays shared); one with
//   none is dropped; a ManyTracksManyCodecs message with some is rewritten, for this player only,
//   into the same layout with the allowed tracks;
// - messages without a track (video commands, metadata, data) and tags that do not parse pass:
//   the filter selects tracks, it does not validate what the publisher sent.
#pragma once

#include <srs_kernel_flv_ex.hpp>
#include <srs_kernel_message.hpp>

#include <cstdint>
#include <string>
#include <vector>

class SrsRtmpTrackFilter {
public:
    enum class Verdict { Keep, Drop, Rewrite };

public:
    explicit SrsRtmpTrackFilter(const std::vector<std::string>& fourcc_list);

public:
    // The player gets every message unchanged: nothing to look at.
    bool pass_all() const { return all_; }
    // What the player gets of msg; for Rewrite, *out is the message to send instead.
    Verdict check(const SrsMediaMessage& msg, SrsMediaMessage* out);
    // Applies check() to a batch in place, keeping the order.
    void filter(std::vector<SrsMediaMessage>& msgs);
    // For the logs.
    std::string describe() const;
    int64_t nb_dropped() const { return nb_dropped_; }
    int64_t nb_rewritten() const { return nb_rewritten_; }

private:
    bool allowed(uint32_t fourcc) const;
    template <typename Tag>
    Verdict check_tracks(const SrsMediaMessage& msg, const Tag& tag, SrsMediaMessage* out);

private:
    bool all_ = false;
    std::vector<uint32_t> fourccs_;
    // Reused between messages, so the steady state allocates nothing.
    SrsExVideoTag vtag_;
    SrsExAudioTag atag_;
    int64_t nb_dropped_ = 0;
    int64_t nb_rewritten_ = 0;
};
