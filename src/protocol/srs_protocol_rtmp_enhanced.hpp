// The enhanced RTMP connect negotiation (Veovera enhanced-rtmp v2, "Enhancing NetConnection
// connect Command"): a client lists in its connect command the FourCCs it can take
// (fourCcList, v1) and what it can do with each ([video|audio]FourCcInfoMap, v2) and the
// extended capabilities it has (capsEx); the server answers in its _result with what it accepts.
// This server relays: it forwards every enhanced tag unchanged (it decodes and encodes nothing).
#pragma once

#include <srs_core_error.hpp>

#include <string>
#include <vector>

class SrsAmf0Object;

// capsEx (enhanced-rtmp v2): the extended capabilities of an endpoint.
enum SrsRtmpCapsEx : int {
    // Understands NetConnection.Connect.ReconnectRequest.
    SrsRtmpCapsExReconnect = 0x01,
    // Multitrack audio/video messages.
    SrsRtmpCapsExMultitrack = 0x02,
    // The ModEx packet type that modifies a tag header.
    SrsRtmpCapsExModEx = 0x04,
    // The ModEx TimestampOffsetNano (nanosecond offset to the tag timestamp).
    SrsRtmpCapsExTimestampNanoOffset = 0x08,
};

// FourCcInfoMask (enhanced-rtmp v2): what an endpoint does with a FourCC.
enum SrsRtmpFourCcInfo : int {
    SrsRtmpFourCcCanDecode = 0x01,
    SrsRtmpFourCcCanEncode = 0x02,
    SrsRtmpFourCcCanForward = 0x04,
};

// What the server passes through, in the order it prefers them (the spec orders fourCcList by
// preference): video then audio.
const std::vector<std::string>& srs_rtmp_enhanced_video_fourccs();
const std::vector<std::string>& srs_rtmp_enhanced_audio_fourccs();
// The capsEx of the server and of its own client: Multitrack, ModEx and TimestampNanoOffset,
// which it parses and forwards unchanged; not Reconnect (it never asks a client to reconnect).
int srs_rtmp_enhanced_caps_ex();

// Adds fourCcList, videoFourCcInfoMap, audioFourCcInfoMap (every FourCC CanForward) and capsEx
// to a connect command object (client) or to the properties of a connect _result (server).
// relay adds "*" (any codec, enhanced-rtmp v2) to the fourCcList: the server's own client (edge,
// forward, ingest) relays whatever it gets, so an origin that selects tracks by the list must
// not leave any out.
void srs_rtmp_enhanced_announce(SrsAmf0Object* obj, bool relay = false);

// What a peer announced. Empty lists and 0 when it announced nothing (a legacy peer).
struct SrsRtmpEnhancedCaps {
    // fourCcList, in the peer's order; "*" means any.
    std::vector<std::string> fourcc_list;
    // The FourCCs of the info maps, with their FourCcInfoMask.
    std::vector<std::pair<std::string, int>> video_info;
    std::vector<std::pair<std::string, int>> audio_info;
    int caps_ex = 0;

    bool enhanced() const { return !fourcc_list.empty() || !video_info.empty() || !audio_info.empty(); }
    // The FourCCs the peer takes: its fourCcList or, from a v2 peer that sent only the info maps,
    // those it can decode or forward. Empty for a legacy peer.
    std::vector<std::string> accepted_fourccs() const;
};

// Reads the enhanced properties of a connect command object or _result properties. Values of
// the wrong type are ignored (a peer's mistakes must not refuse the connection).
void srs_rtmp_enhanced_parse(const SrsAmf0Object* obj, SrsRtmpEnhancedCaps* caps);
