// The one routine that feeds what a publisher sends into its live source: RTMP publishers,
// the edge's pull from its origin, and the ingest protocols to come (SRT, MPEG-TS over UDP,
// FLV over HTTP POST) all hand it their messages, so the routing lives in one place.
#pragma once

#include <srs_core_error.hpp>
#include <srs_protocol_rtmp_packet.hpp>

class SrsLiveSource;
class SrsMediaMessage;

// Routes received messages into a live source the caller has published to: audio and video
// (on_audio / on_video), aggregates (RTMP spec 7.1.6, split by the source) and data messages,
// AMF0 or AMF3 (RTMP spec 7.1.2), of which onMetaData (FLV spec E.5, also wrapped in the
// encoders' @setDataFrame) is the source's metadata. Other data (onTextData, |RtmpSampleAccess,
// ...) is not media and is dropped, and so is every type a front end owns: commands, control
// messages (chunk size, ack, user control), shared objects.
class SrsPublishFeed {
public:
    explicit SrsPublishFeed(SrsLiveSource* source);
    SRS_DISALLOW_COPY(SrsPublishFeed);

public:
    // Whether feed() routes this type of message; a front end handles the others itself.
    static bool takes(uint8_t type);
    // Feeds one message. The errors are a data message that does not decode, and what the
    // source returns (a refused message, or a feature of the source that failed on it): the
    // caller decides whether the publish goes on.
    srs_error_t feed(const SrsMediaMessage& msg);

private:
    srs_error_t feed_data(const SrsMediaMessage& msg);

private:
    SrsLiveSource* source_;
    // Data messages only: it has no requests of ours to remember.
    SrsRtmpCommandDecoder decoder_;
};
