#include <srs_protocol_rtmp_chunk.hpp>

#include <srs_kernel_message.hpp>

int srs_rtmp_default_cid(const SrsMediaMessage& msg) {
    if (msg.cid >= SRS_RTMP_CSID_MIN && msg.cid <= SRS_RTMP_CSID_MAX) {
        return msg.cid;
    }
    switch (msg.type) {
        case SrsMsgSetChunkSize:
        case SrsMsgAbort:
        case SrsMsgAcknowledgement:
        case SrsMsgUserControl:
        case SrsMsgWindowAckSize:
        case SrsMsgSetPeerBandwidth:
            // RTMP spec 5.4: protocol control messages go on chunk stream 2.
            return SRS_RTMP_CID_PROTOCOL_CONTROL;
        case SrsMsgVideo:
        case SrsMsgAggregate:
            return SRS_RTMP_CID_VIDEO;
        case SrsMsgAudio:
            return SRS_RTMP_CID_AUDIO;
        case SrsMsgAMF0Command:
        case SrsMsgAMF3Command:
            // Connection-level commands (connect, createStream) on 3, stream ones (play,
            // publish, onStatus) on 5 with the data messages.
            return msg.stream_id == 0 ? SRS_RTMP_CID_OVER_CONNECTION : SRS_RTMP_CID_OVER_STREAM;
        default:
            return msg.stream_id == 0 ? SRS_RTMP_CID_OVER_CONNECTION : SRS_RTMP_CID_OVER_STREAM;
    }
}

int srs_rtmp_basic_header_size(int csid) {
    if (csid < 64) {
        return 1;
    }
    if (csid < 320) {
        return 2;
    }
    return 3;
}

namespace {

// RTMP spec 5.3.1.1: csid 2..63 in the low 6 bits; 0 means one more byte (csid - 64);
// 1 means two more bytes, little endian (csid - 64).
char* srs_write_basic_header(char* p, int fmt, int csid) {
    if (csid < 64) {
        *p++ = (char)((fmt << 6) | csid);
    } else if (csid < 320) {
        *p++ = (char)(fmt << 6);
        *p++ = (char)(csid - 64);
    } else {
        int v = csid - 64;
        *p++ = (char)((fmt << 6) | 1);
        *p++ = (char)(v & 0xff);
        *p++ = (char)((v >> 8) & 0xff);
    }
    return p;
}

char* srs_write_be24(char* p, uint32_t v) {
    *p++ = (char)(v >> 16);
    *p++ = (char)(v >> 8);
    *p++ = (char)v;
    return p;
}

char* srs_write_be32(char* p, uint32_t v) {
    *p++ = (char)(v >> 24);
    *p++ = (char)(v >> 16);
    *p++ = (char)(v >> 8);
    *p++ = (char)v;
    return p;
}

}  // namespace

int srs_rtmp_write_fmt0_header(char* p, int csid, uint32_t timestamp, int length, uint8_t type, int32_t stream_id) {
    char* start = p;
    p = srs_write_basic_header(p, SrsRtmpFmt0, csid);
    bool extended = timestamp >= SRS_RTMP_EXTENDED_TIMESTAMP;
    p = srs_write_be24(p, extended ? SRS_RTMP_EXTENDED_TIMESTAMP : timestamp);
    p = srs_write_be24(p, (uint32_t)length);
    *p++ = (char)type;
    // The message stream id is little endian (RTMP spec 5.3.1.2.1).
    uint32_t sid = (uint32_t)stream_id;
    *p++ = (char)(sid & 0xff);
    *p++ = (char)((sid >> 8) & 0xff);
    *p++ = (char)((sid >> 16) & 0xff);
    *p++ = (char)((sid >> 24) & 0xff);
    if (extended) {
        p = srs_write_be32(p, timestamp);
    }
    return (int)(p - start);
}

int srs_rtmp_write_fmt3_header(char* p, int csid, uint32_t timestamp) {
    char* start = p;
    p = srs_write_basic_header(p, SrsRtmpFmt3, csid);
    if (timestamp >= SRS_RTMP_EXTENDED_TIMESTAMP) {
        p = srs_write_be32(p, timestamp);
    }
    return (int)(p - start);
}
