// RTMP chunk stream constants and the chunk header encoder (RTMP spec 5.3.1), shared by
// the protocol stack and anything that pre-encodes chunks.
#pragma once

#include <srs_core.hpp>

class SrsMediaMessage;

// Chunk stream ids we send on by default, as SRS does, so players see the same layout.
#define SRS_RTMP_CID_PROTOCOL_CONTROL 2
#define SRS_RTMP_CID_OVER_CONNECTION 3
#define SRS_RTMP_CID_OVER_CONNECTION2 4
#define SRS_RTMP_CID_OVER_STREAM 5
#define SRS_RTMP_CID_VIDEO 6
#define SRS_RTMP_CID_AUDIO 7
#define SRS_RTMP_CID_OVER_STREAM2 8

// Chunk stream ids a basic header can carry (RTMP spec 5.3.1.1): 2..63 in one byte,
// 64..319 in two, 64..65599 in three.
#define SRS_RTMP_CSID_MIN 2
#define SRS_RTMP_CSID_MAX 65599

// Chunk sizes: the spec's initial 128, and the 60000 SRS switches to after connect.
#define SRS_RTMP_DEFAULT_CHUNK_SIZE 128
#define SRS_RTMP_SRS_CHUNK_SIZE 60000

// A timestamp field of this value means a 4-byte extended timestamp follows (5.3.1.3).
#define SRS_RTMP_EXTENDED_TIMESTAMP 0xFFFFFF
// The largest message length a chunk message header can carry.
#define SRS_RTMP_MAX_MESSAGE_LENGTH 0xFFFFFF

// The largest chunk header: 3-byte basic header, 11-byte fmt 0 header, 4-byte extended
// timestamp.
#define SRS_RTMP_MAX_CHUNK_HEADER 18

// Chunk header formats (RTMP spec 5.3.1.2).
enum SrsRtmpChunkFmt {
    SrsRtmpFmt0 = 0,  // timestamp, length, type, stream id
    SrsRtmpFmt1 = 1,  // timestamp delta, length, type
    SrsRtmpFmt2 = 2,  // timestamp delta
    SrsRtmpFmt3 = 3,  // nothing: continuation, or same header as before
};

// User Control event types (RTMP spec 7.1.7, and Flash's SWF verification and buffer events).
enum SrsRtmpUserControlEvent {
    SrsUcStreamBegin = 0,
    SrsUcStreamEOF = 1,
    SrsUcStreamDry = 2,
    SrsUcSetBufferLength = 3,
    SrsUcStreamIsRecorded = 4,
    SrsUcPingRequest = 6,
    SrsUcPingResponse = 7,
    SrsUcSwfVerifyRequest = 26,
    SrsUcSwfVerifyResponse = 27,
    SrsUcBufferEmpty = 31,
    SrsUcBufferReady = 32,
};

// Set Peer Bandwidth limit types (RTMP spec 5.4.5).
enum SrsRtmpPeerBandwidthType {
    SrsPeerBandwidthHard = 0,
    SrsPeerBandwidthSoft = 1,
    SrsPeerBandwidthDynamic = 2,
};

// The chunk stream id a message goes on: its cid when set, else SRS's choice by type.
int srs_rtmp_default_cid(const SrsMediaMessage& msg);
// Bytes of the basic header for a chunk stream id: 1, 2 or 3.
int srs_rtmp_basic_header_size(int csid);
// Writes a fmt 0 chunk header (basic header, 11 bytes, extended timestamp when needed) and
// returns its size; p must have SRS_RTMP_MAX_CHUNK_HEADER bytes.
int srs_rtmp_write_fmt0_header(char* p, int csid, uint32_t timestamp, int length, uint8_t type, int32_t stream_id);
// Writes a fmt 3 chunk header and returns its size. It repeats the extended timestamp
// when the message has one, as Flash does (ffmpeg and Flash both accept it).
int srs_rtmp_write_fmt3_header(char* p, int csid, uint32_t timestamp);
